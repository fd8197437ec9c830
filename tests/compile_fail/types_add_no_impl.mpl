# expect-error: E0006 at 8:11
# expect-message: P does not implement Add
struct P do
  x :: Int
end

fn main() do
  let p = P { x: 1 } + P { x: 2 }
  println("x")
end
