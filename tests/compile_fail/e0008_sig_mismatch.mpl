# expect-error: E0008 at 12:3
# expect-message: method area in impl Shape has wrong signature: expected Fun(Sq) -> Int, found Fun(Sq) -> String
interface Shape do
  fn area(self) -> Int
end

struct Sq do
  side :: Int
end

impl Shape for Sq do
  fn area(self) -> String do
    "big"
  end
end

fn main() do
  println(Sq { side: 2 }.area())
end
