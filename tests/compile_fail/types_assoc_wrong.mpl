# expect-error: E0041 at 9:3
# expect-message: impl `Add` for `V` provides associated type `Extra` which is not declared by the trait
struct V do
  x :: Int
end

impl Add for V do
  type Output = V
  type Extra = Int
  fn add(self, o :: V) -> V = V { x: self.x + o.x }
end

fn main() do
  println("x")
end
