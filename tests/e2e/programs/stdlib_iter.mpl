# Lazy iterators: adapters, terminals with early exit, collectors, for loops.
fn main() do
  let xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
  let evens = Iter.from(xs) |> Iter.filter(fn x -> x % 2 == 0 end) |> Iter.map(fn x -> x * 10 end) |> List.collect()
  println("${evens}")
  let firsts = Iter.from(xs) |> Iter.skip(2) |> Iter.take(3) |> List.collect()
  println("${firsts}")
  let pairs = Iter.from(["a", "b", "c"]) |> Iter.enumerate() |> List.collect()
  println("${pairs}")
  let zipped = Iter.zip(Iter.from([1, 2, 3]), Iter.from(["x", "y"])) |> List.collect()
  println("${zipped}")
  println("${Iter.from(xs) |> Iter.count()} ${Iter.from(xs) |> Iter.sum()}")
  # early exit: the mapping closure runs only until the answer is known
  let probe = Iter.from(xs) |> Iter.map(fn x -> 100 / (4 - x) end)
  println("${Iter.any(probe, fn x -> x == 100 end)}")
  println("${Iter.from(xs) |> Iter.all(fn x -> x < 5 end)}")
  println("${Iter.from(xs) |> Iter.find(fn x -> x * x > 30 end)}")
  println("${Iter.from(xs) |> Iter.find(fn x -> x > 100 end)}")
  println("${Iter.from(xs) |> Iter.reduce(0, fn acc, x -> acc + x * x end)}")
  let m = Iter.from(["one", "two", "three"]) |> Iter.map(fn w -> (w, String.length(w)) end) |> Map.collect()
  println("${m} ${Map.get(m, "three")}")
  let s = Iter.from(["b", "a", "b", "c", "a"]) |> Set.collect()
  println("${s} ${Set.contains(s, "c")}")
  let word = Iter.from(["he", "ll", "o"]) |> String.collect()
  println(word)
  let it = Iter.from([3, 1, 2]) |> Iter.map(fn x -> x + 100 end)
  for x in it do
    println("${x}")
  end
  let big = Iter.from(Range.to_list(Range.new(0, 1000))) |> Iter.filter(fn x -> x % 3 == 0 end) |> Iter.take(4) |> List.collect()
  println("${big}")
  let strs = Iter.from(["x", "y"]) |> Iter.map(fn s -> s <> "!" end) |> List.collect()
  println("${strs}")
  let fl = Iter.from([1.5, 2.25]) |> Iter.map(fn f -> f * 2.0 end) |> List.collect()
  println("${fl}")
end
