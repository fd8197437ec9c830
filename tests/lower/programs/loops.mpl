fn count(n :: Int, acc :: Int) -> Int do
  if n == 0 do
    acc
  else
    count(n - 1, acc + 1)
  end
end

fn main() do
  let squares = for i in 0..5 do
    i * i
  end
  println("${squares}")
  let evens = for x in [1, 2, 3, 4, 5, 6] when x % 2 == 0 do
    x * 10
  end
  println("${evens}")
  let partial = for i in 0..100 do
    if i == 3 do
      break
    end
    i
  end
  println("${partial}")
  let i = 0
  while true do
    println("loop")
    break
  end
  println("${count(10000000, 0)}")
  let m = %{"a" => 1, "b" => 2}
  let keys = for {k, v} in m do
    k <> "=${v}"
  end
  println("${keys}")
end
