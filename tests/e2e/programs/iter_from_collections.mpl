# Iter.from accepts every collection: maps yield (key, value) tuples, ranges yield Ints.
fn main() do
  let m = %{"a" => 1, "b" => 2}
  let pairs = Iter.from(m) |> Iter.map(fn ((k, v)) -> "${k}=${v}" end) |> List.collect()
  println("${pairs}")
  let s = Set.from_list([3, 1, 3])
  println("${Iter.from(s) |> Iter.count()}")
  println("${Iter.from(0..10) |> Iter.filter(fn x -> x % 3 == 0 end) |> Iter.sum()}")
  let xs = [1, 2, 3] |> Iter.from() |> Iter.map(fn x -> x * 2 end) |> List.collect()
  println("${xs}")
  let firsts = Iter.from(1..1000000) |> Iter.map(fn x -> x * x end) |> Iter.take(3) |> List.collect()
  println("${firsts}")
end
