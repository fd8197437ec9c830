# expect-error: E0011 at 11:5
# expect-message: or-pattern alternatives bind different variables: [r] vs [n]
type Shape do
  Circle(Int)
  Square(Int)
end

fn main() do
  let s = Circle(3)
  case s do
    Circle(r) | Square(n) -> println("x")
  end
end
