# expect-error: E0029 at 3:1
# expect-message: cannot derive `Ord` for `P` without `Eq`
struct P do
  x :: Int
end deriving(Ord)

fn main() do
  println("x")
end
