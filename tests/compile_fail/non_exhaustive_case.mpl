# expect-error: E0012
# expect-message: Blue

type Color do
  Red
  Green
  Blue
end

fn name(c :: Color) -> String do
  case c do
    Red -> "red"
    Green -> "green"
  end
end

fn main() do
  println(name(Red))
end
