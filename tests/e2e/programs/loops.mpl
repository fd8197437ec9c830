# while, for comprehensions over ranges, lists, maps and sets; break and continue; when filters.
fn main() do
  let squares = for i in 0..5 do
    i * i
  end
  println("${squares}")
  let empty = for i in 5..0 do i end
  println("${empty}")
  let evens = for x in [1, 2, 3, 4, 5, 6] when x % 2 == 0 do x * 10 end
  println("${evens}")
  let words = for w in ["a", "bb", "ccc"] do "${w}!" end
  println("${words}")
  let until_big = for i in 0..100 do
    if i > 3 do
      break
    end
    i
  end
  println("${until_big}")
  let skip_odd = for i in 0..7 do
    if i % 2 == 1 do
      continue
    end
    i
  end
  println("${skip_odd}")
  let prices = %{"apple" => 3, "pear" => 5}
  let lines = for {name, price} in prices do "${name}=${price}" end
  println("${lines}")
  let uniq = Set.new() |> Set.add(3) |> Set.add(1) |> Set.add(3)
  let doubled = for x in uniq do x * 2 end
  println("${doubled}")
  let nested = for i in 1..3 do
    for j in 1..3 do i * j end
  end
  println("${nested}")
  let i = 0
  let count = 0
  while i < 3 do
    println("tick ${i}")
    break
  end
  println("done")
end
