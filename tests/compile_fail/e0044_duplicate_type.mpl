# expect-error: E0044 at 7:1
# expect-message: duplicate definition of type `P`
struct P do
  x :: Int
end

struct P do
  y :: Int
end

fn main() do
  println("x")
end
