# expect-error: E0006 at 8:14
# expect-message: P does not implement Eq
struct P do
  x :: Int
end deriving()

fn main() do
  println("${P { x: 1 } == P { x: 1 }}")
end
