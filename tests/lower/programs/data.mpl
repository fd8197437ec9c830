struct Point do
  x :: Int
  y :: Int
end deriving(Eq, Display, Debug)

fn parse(s :: String) -> Int!String do
  if s == "bad" do
    Err("bad input")
  else
    Ok(String.length(s))
  end
end

fn total(a :: String, b :: String) -> Int!String do
  let x = parse(a)?
  let y = parse(b)?
  Ok(x + y)
end

fn first(xs :: List<Int>) -> Option<Int> do
  case xs do
    h :: _ -> Some(h)
    _ -> None
  end
end

fn plus_one(xs :: List<Int>) -> Option<Int> do
  let h = first(xs)?
  Some(h + 1)
end

fn show(o :: Option<Int>) -> String do
  case o do
    Some(v) -> "Some ${v}"
    None -> "None"
  end
end

fn main() do
  let p = Point { x: 1, y: 2 }
  let q = %{p | y: 5}
  println("${p.x} ${q.y} ${p == q} ${p == Point { x: 1, y: 2 }}")
  case total("ab", "cde") do
    Ok(v) -> println("ok ${v}")
    Err(e) -> println("err " <> e)
  end
  case total("ab", "bad") do
    Ok(v) -> println("ok ${v}")
    Err(e) -> println("err " <> e)
  end
  println(show(plus_one([4, 5])) <> " " <> show(plus_one([])))
  println("${"abc" == "abc"} ${"abc" < "abd"} ${[1, 2] == [1, 2]} ${[1, 2] < [1, 3]}")
end
