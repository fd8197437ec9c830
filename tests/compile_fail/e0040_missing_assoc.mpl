# expect-error: E0040 at 12:1
# expect-message: impl `Source` for `Nums` is missing associated type `Item`
interface Source do
  type Item
  fn take(self) -> Self.Item
end

struct Nums do
  n :: Int
end

impl Source for Nums do
  fn take(self) -> Int do
    self.n
  end
end

fn main() do
  println("x")
end
