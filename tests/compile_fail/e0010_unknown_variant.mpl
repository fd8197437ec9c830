# expect-error: E0010 at 12:5
# expect-message: unknown variant: Blue
type Color do
  Red
  Green
end

fn main() do
  let c = Red
  case c do
    Red -> println("red")
    Blue -> println("blue")
    _ -> println("other")
  end
end
