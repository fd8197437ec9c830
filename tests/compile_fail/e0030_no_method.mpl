# expect-error: E0030 at 9:11
# expect-message: no method `shout` on type `P`
struct P do
  x :: Int
end

fn main() do
  let p = P { x: 1 }
  println(p.shout())
end
