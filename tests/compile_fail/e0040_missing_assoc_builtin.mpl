# expect-error: E0040 at 7:1
# expect-message: impl `Add` for `V` is missing associated type `Output`
struct V do
  x :: Int
end

impl Add for V do
  fn add(self, other :: V) -> V do
    V { x: self.x + other.x }
  end
end

fn main() do
  println("x")
end
