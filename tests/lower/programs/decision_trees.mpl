# Matches the decision tree switches on beyond the first column: later columns, nested
# constructor arguments, Int literals under constructors, guards that fall through to the next
# compatible row, and variables bound next to switched columns.

type Shape do
  Circle(Int)
  Rect(Int, Int)
  Empty
end

fn classify(a :: Int, b :: Int) -> String do
  case (a, b) do
    (0, 0) -> "origin"
    (0, _) -> "y-axis"
    (_, 0) -> "x-axis"
    _ -> "plane"
  end
end

fn both(x :: Int, y :: Int) -> String do
  "${pick(x, y)}"
end

fn pick(0, 0) = 100
fn pick(_, 0) = 200
fn pick(0, y) = 300 + y
fn pick(x, 1) = 400 + x
fn pick(x, y) = x * y

fn nested(o :: Option<Option<Int>>) -> String do
  case o do
    Some(Some(0)) -> "some-some-zero"
    Some(Some(n)) when n > 10 -> "some-some-big ${n}"
    Some(Some(n)) -> "some-some ${n}"
    Some(None) -> "some-none"
    None -> "none"
  end
end

fn area(s :: Shape, scale :: Int) -> Int do
  case s do
    Rect(0, _) -> 0
    Rect(_, 0) -> 0
    Circle(1) -> 3 * scale
    Circle(r) -> 3 * r * r * scale
    Rect(w, h) when w == h -> w * w * scale + 1
    Rect(w, h) -> w * h * scale
    Empty -> -1
  end
end

fn pair_opts(a :: Option<Int>, b :: Option<Int>) -> Int do
  case (a, b) do
    (None, None) -> 0
    (Some(x), None) -> x
    (None, Some(2)) -> 22
    (None, Some(y)) -> y
    (Some(x), Some(y)) when x > y -> x - y
    (Some(x), Some(y)) -> x + y
  end
end

fn main() do
  println("${classify(0, 0)} ${classify(0, 5)} ${classify(5, 0)} ${classify(2, 3)}")
  println("${both(0, 0)} ${both(7, 0)} ${both(0, 9)} ${both(8, 1)} ${both(3, 4)}")
  println("${nested(Some(Some(0)))} ${nested(Some(Some(42)))} ${nested(Some(Some(3)))}")
  println("${nested(Some(None))} ${nested(None)}")
  println("${area(Rect(0, 5), 2)} ${area(Rect(5, 0), 2)} ${area(Circle(1), 2)} ${area(Circle(2), 2)}")
  println("${area(Rect(3, 3), 2)} ${area(Rect(3, 4), 2)} ${area(Empty, 2)}")
  println("${pair_opts(None, None)} ${pair_opts(Some(5), None)} ${pair_opts(None, Some(2))}")
  println("${pair_opts(None, Some(7))} ${pair_opts(Some(9), Some(4))} ${pair_opts(Some(1), Some(4))}")
end
