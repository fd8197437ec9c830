pub struct Pt do
  x :: Int
  y :: Int
end

pub type Shape do
  Square(Int)
  Circle(Int)
end

pub fn square(side :: Int) -> Shape = Square(side)

pub fn area(s :: Shape) -> Int do
  case s do
    Square(n) -> n * n
    Circle(r) -> 3 * r * r
  end
end

fn helper() -> String = "shapes helper"

pub fn describe() -> String = helper()
