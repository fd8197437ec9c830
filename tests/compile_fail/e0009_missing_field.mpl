# expect-error: E0009 at 9:11
# expect-message: missing field y in struct Point
struct Point do
  x :: Int
  y :: Int
end

fn main() do
  let p = Point { x: 1 }
  println("${p.x}")
end
