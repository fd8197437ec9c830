type Shape do
  Circle(Float)
  Rect(Float, Float)
  Dot
end

fn area(s :: Shape) -> Float do
  case s do
    Circle(r) -> 3.0 * r * r
    Rect(w, h) -> w * h
    Dot -> 0.0
  end
end

fn name(s :: String) -> Int do
  case s do
    "one" -> 1
    "two" | "deux" -> 2
    _ -> 0
  end
end

fn first_two(xs :: List<Int>) -> Int do
  case xs do
    a :: b :: _ -> a + b
    a :: _ -> a
    _ -> -1
  end
end

fn classify(n) when n < 0 = "negative"
fn classify(0) = "zero"
fn classify(n) = "positive"

fn nested(o :: Option<Option<Int>>) -> Int do
  case o do
    Some(Some(n)) when n > 10 -> n * 2
    Some(Some(n)) -> n
    Some(None) -> -1
    None -> -2
  end
end

fn show_opt(o :: Option<Int>) -> String do
  case o do
    Some(x) -> "Some(${x})"
    None -> "None"
  end
end

fn kind(s :: Shape) -> String do
  case s do
    Circle(_) | Dot -> "round"
    Rect(w, h) when w == h -> "square"
    _ -> "rect"
  end
end

fn main() do
  println(kind(Dot) <> " " <> kind(Rect(2.0, 2.0)) <> " " <> kind(Rect(1.0, 2.0)) <> " " <> kind(Circle(1.0)))
  println("${area(Circle(2.0))} ${area(Rect(2.0, 3.5))} ${area(Dot)}")
  println("${name("one")} ${name("deux")} ${name("three")}")
  println("${first_two([5, 6, 7])} ${first_two([9])} ${first_two([])}")
  println(classify(-4) <> " " <> classify(0) <> " " <> classify(3))
  println("${nested(Some(Some(20)))} ${nested(Some(Some(3)))} ${nested(Some(None))} ${nested(None)}")
  let pair = (3, "x")
  case pair do
    (3, s) -> println("three " <> s)
    _ -> println("other")
  end
  case Some(5) do
    Some(v) as whole when v > 1 -> println("got ${v} " <> show_opt(whole))
    _ -> println("none or small")
  end
end
