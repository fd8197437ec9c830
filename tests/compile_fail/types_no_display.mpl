# expect-error: E0006 at 9:14
# expect-message: P does not implement Display
struct P do
  x :: Int
end

fn main() do
  let p = P { x: 1 }
  println("${p}")
end
