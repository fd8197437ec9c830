# case expressions: literals, strings, tuples, or-patterns, as-patterns, guards, cons, nesting.
fn kind(n :: Int) -> String do
  case n do
    0 -> "zero"
    1 | 2 | 3 -> "small"
    -1 -> "minus one"
    x when x > 100 -> "huge"
    _ -> "other"
  end
end

fn greet(lang :: String) -> String do
  case lang do
    "en" -> "hello"
    "fr" -> "bonjour"
    other -> "?? ${other}"
  end
end

fn describe(pair) do
  case pair do
    (0, 0) -> "origin"
    (x, 0) when x > 0 -> "positive x-axis"
    (_, 0) -> "negative x-axis"
    (a, b) -> "point ${a},${b}"
  end
end

fn total(xs :: List<Int>) -> Int do
  case xs do
    h :: t -> h + total(t)
    _ -> 0
  end
end

fn first_two(xs :: List<String>) -> String do
  case xs do
    a :: b :: _ -> "${a} then ${b}"
    a :: _ -> "only ${a}"
    _ -> "none"
  end
end

fn unwrap_all(o :: Option<Option<Int>>) -> String do
  case o do
    Some(Some(v)) -> "deep ${v}"
    Some(None) -> "inner none"
    None -> "none"
  end
end

fn main() do
  println(kind(0))
  println(kind(2))
  println(kind(-1))
  println(kind(500))
  println(kind(50))
  println(greet("fr"))
  println(greet("de"))
  println(describe((0, 0)))
  println(describe((4, 0)))
  println(describe((-4, 0)))
  println(describe((2, 7)))
  println("${total([1, 2, 3, 4])}")
  println(first_two(["a", "b", "c"]))
  println(first_two(["z"]))
  println(first_two([]))
  println(unwrap_all(Some(Some(7))))
  println(unwrap_all(Some(None)))
  println(unwrap_all(None))
  let r = case Some(41) do
    Some(n) as whole -> n + 1
    None -> 0
  end
  println("${r}")
end
