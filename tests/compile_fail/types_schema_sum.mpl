# expect-error: E0028 at 3:1
# expect-message: cannot derive `Schema` for `T`
type T do
  A
  B
end deriving(Schema)

fn main() do
  println("x")
end
