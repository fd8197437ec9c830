fn add(a :: Int, b :: Int) -> Int do
  a + b
end

fn sign(n :: Int) -> String do
  if n < 0 do
    "minus"
  else if n == 0 do
    "zero"
  else
    "plus"
  end
end

fn main() do
  let x = add(40, 2)
  println("x = ${x}")
  println(sign(-3) <> " " <> sign(0) <> " " <> sign(9))
  let f = 1.5 * 4.0
  println("f = ${f}")
  println("${7 / 2} ${7 % 3} ${-7 / 2}")
  println("${x > 10 and x < 100} ${not (x == 42)}")
  let t = (1, "two", 3.0)
  let (a, b, c) = t
  println("${a} ${b} ${c}")
end
