# expect-error: E0009 at 10:14
# expect-message: type Point has no field z
struct Point do
  x :: Int
  y :: Int
end

fn main() do
  let p = Point { x: 1, y: 2 }
  println("${p.z}")
end
