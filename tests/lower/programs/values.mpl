struct Point do
  x :: Int
  y :: Int
end deriving(Eq, Ord, Debug)

fn show(o :: Option<Int>) -> String do
  case o do
    Some(v) -> "Some ${v}"
    None -> "None"
  end
end

fn main() do
  let lens = List.map(["a", "bcd"], String.length)
  println("${lens}")
  let opts = List.map([1, 2], Some)
  println(show(List.head(opts)))
  let id = fn x -> x end
  println(id("str") <> " ${id(5)}")
  let base = 10
  let outer = fn a -> fn b -> a + b + base end end
  let inner = outer(1)
  println("${inner(2)}")
  case compare(3, 5) do
    Less -> println("less")
    Equal -> println("equal")
    Greater -> println("greater")
  end
  let p = Point { x: 1, y: 2 }
  println(inspect(p))
  println("${p < Point { x: 1, y: 3 }}")
  let sorted = List.sort([3, 1, 2], fn a, b -> a - b end)
  println("${sorted}")
  let fs = [1.5, 2.5]
  println("${List.map(fs, fn f -> f * 2.0 end)}")
  println("${List.filter([1, 2, 3, 4], fn x -> x > 2 end)}")
end
