# expect-error: E0012 at 11:3
# expect-message: non-exhaustive match on `Color`
type Color do
  Red
  Green
  Blue
end

fn main() do
  let c = Red
  case c do
    Red -> println("red")
    Green -> println("green")
  end
end
