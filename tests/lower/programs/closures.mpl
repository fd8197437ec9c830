fn apply(f :: Fun(Int) -> Int, x :: Int) -> Int do
  f(x)
end

fn double(x :: Int) -> Int do
  x * 2
end

fn identity<T>(x :: T) -> T do
  x
end

fn main() do
  let n = 10
  let add_n = fn(x :: Int) -> x + n end
  println("${add_n(5)} ${apply(add_n, 1)} ${apply(double, 21)}")
  let xs = [1, 2, 3, 4]
  let ys = List.map(xs, fn x -> x * x end)
  println("${List.length(ys)} ${List.get(ys, 3)}")
  let total = List.reduce(xs, 0, fn acc, x -> acc + x end)
  println("total ${total}")
  let r = xs |> List.map(fn x -> x + n end) |> List.filter(fn x -> x > 12 end)
  println("${r}")
  println(identity("generic") <> " ${identity(7)}")
  let half = fn x :: Float -> x / 2.0 end
  println("${half(5.0)}")
end
