# expect-error: E0041 at 12:3
# expect-message: impl `Named` for `P` provides associated type `Item` which is not declared by the trait
interface Named do
  fn name(self) -> String
end

struct P do
  x :: Int
end

impl Named for P do
  type Item = Int
  fn name(self) -> String do
    "p"
  end
end

fn main() do
  println(P { x: 1 }.name())
end
