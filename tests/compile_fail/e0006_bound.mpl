# expect-error: E0006 at 12:11
# expect-message: Int does not implement Greet
interface Greet do
  fn greet(self) -> String
end

fn hello<T>(x :: T) -> String where T: Greet do
  x.greet()
end

fn main() do
  println(hello(42))
end
