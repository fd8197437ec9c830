# expect-error: E0007 at 12:1
# expect-message: impl Shape for Sq is missing method name
interface Shape do
  fn area(self) -> Int
  fn name(self) -> String
end

struct Sq do
  side :: Int
end

impl Shape for Sq do
  fn area(self) -> Int do
    self.side * self.side
  end
end

fn main() do
  println("${Sq { side: 2 }.area()}")
end
