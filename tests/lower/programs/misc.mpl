struct Handler do
  name :: String
  run :: Fun(Int) -> Int
end




fn apply_all(hs :: List<Handler>, x :: Int) -> List<String> do
  for h in hs do
    h.name <> "=" <> "${h.run(x)}"
  end
end

fn is_even(n :: Int) -> Bool do
  if n == 0 do
    true
  else
    is_odd(n - 1)
  end
end

fn is_odd(n :: Int) -> Bool do
  if n == 0 do
    false
  else
    is_even(n - 1)
  end
end

fn main() do
  let k = 10
  let hs = [Handler { name: "inc", run: fn x -> x + 1 end }, Handler { name: "addk", run: fn x -> x + k end }]
  println("${apply_all(hs, 3)}")
  println("hi" <> " ${is_even(10)} ${is_odd(7)}")
  let t = (1, (2.5, "s"), [true])
  let (a, (b, c), d) = t
  println("${a} ${b} ${c} ${d}")
  let m = %{"x" => [1, 2], "y" => []}
  println("${Map.get(m, "x")} ${Map.size(m)} ${Map.has_key(m, "z")}")
  let nums = [5, 3, 9]
  case nums do
    x :: rest -> println("first ${x} rest ${rest}")
    _ -> println("empty")
  end
end
