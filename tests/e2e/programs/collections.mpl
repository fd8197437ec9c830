# Lists, maps, sets and tuples: literals, the core operations and how they print.
fn main() do
  let xs = [3, 1, 2]
  println("${xs} ${List.length(xs)}")
  println("${List.append(xs, 4)} ${xs}")
  println("${[0] ++ xs}")
  println("${List.reverse(xs)}")
  println("${List.get(xs, 1)} ${List.head(xs)} ${List.tail(xs)} ${List.last(xs)}")
  println("${List.sort(xs, fn a, b -> a - b end)}")
  println("${List.contains(xs, 2)} ${List.contains(["a", "b"], "b")}")
  println("${List.any(xs, fn x -> x > 2 end)} ${List.all(xs, fn x -> x > 2 end)}")
  println("${List.take(xs, 2)} ${List.drop(xs, 2)}")
  println("${List.zip(xs, ["c", "a", "b"])}")
  println("${List.enumerate(["x", "y"])}")
  println("${List.flatten([[1], [2, 3], []])}")
  println("${[[1, 2], [3]]} ${[["a"], []]}")
  println("${[1.5, 2.0]} ${[true, false]}")
  let m = %{"a" => 1, "b" => 2}
  let m2 = Map.put(m, "c", 3)
  println("${m2} ${Map.size(m)} ${Map.size(m2)}")
  println("${Map.has_key(m2, "c")} ${Map.has_key(m, "c")}")
  println("${Map.keys(m2)} ${Map.values(m2)}")
  println("${Map.delete(m2, "a")}")
  let by_id = %{1 => "one", 2 => "two"}
  println("${by_id}")
  let s = Set.from_list([3, 1, 3, 2])
  println("${s} ${Set.size(s)} ${Set.contains(s, 2)}")
  println("${%{}} ${Set.new()} ${List.new()}")
  let t = (1, "two", 3.5)
  let (a, b, c) = t
  println("${a} ${b} ${c}")
end
