# expect-error: E0028 at 3:1
# expect-message: cannot derive `Serialize` for `P`
struct P do
  x :: Int
end deriving(Eq, Serialize)

fn main() do
  println("x")
end
