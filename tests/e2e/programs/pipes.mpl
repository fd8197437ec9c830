# The pipe operator, with bare functions, extra arguments, closures and multi-line chains.
fn add(a :: Int, b :: Int) -> Int = a + b
fn triple(x :: Int) -> Int = x * 3
fn label(x :: Int, prefix :: String) -> String = "${prefix}${x}"

fn main() do
  let a = 4 |> triple
  println("${a}")
  let b = 4 |> add(6) |> triple
  println("${b}")
  let c = 5
    |> add(1)
    |> triple
    |> label("result=")
  println(c)
  let d = [1, 2, 3, 4, 5]
    |> List.map(fn x -> x * 10 end)
    |> List.filter(fn x -> x > 20 end)
  println("${d}")
  let total = [1, 2, 3] |> List.reduce(0, fn acc, x -> acc + x end)
  println("${total}")
end
