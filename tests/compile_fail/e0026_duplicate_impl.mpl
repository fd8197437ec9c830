# expect-error: E0026 at 17:1
# expect-message: duplicate impl: `Named` is already implemented for `P`
interface Named do
  fn name(self) -> String
end

struct P do
  x :: Int
end

impl Named for P do
  fn name(self) -> String do
    "a"
  end
end

impl Named for P do
  fn name(self) -> String do
    "b"
  end
end

fn main() do
  println(P { x: 1 }.name())
end
