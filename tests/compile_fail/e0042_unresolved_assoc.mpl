# expect-error: E0042 at 12:21
# expect-message: cannot resolve associated type `Item`
interface Container do
  type Item
  fn first(self) -> Self.Item
end

fn main() do
  println("x")
end

fn bad(x :: Int) -> Self.Item do
  x
end
