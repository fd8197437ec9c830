# Named functions, one-line bodies, recursion, inferred return types, early return.
fn add(a :: Int, b :: Int) -> Int do
  a + b
end

fn square(x :: Int) -> Int = x * x

fn double(x) = x * 2

fn fact(n :: Int) -> Int do
  if n <= 1 do
    1
  else
    n * fact(n - 1)
  end
end

fn first_negative(a :: Int, b :: Int, c :: Int) -> Int do
  if a < 0 do
    return a
  end
  if b < 0 do
    return b
  end
  c
end

fn describe(n :: Int) -> String do
  if n < 0 do
    "negative"
  else if n == 0 do
    "zero"
  else if n < 10 do
    "small"
  else
    "large"
  end
end

fn main() do
  println("${add(2, 3)}")
  println("${square(12)}")
  println("${double(21)}")
  println("${fact(20)}")
  println("${first_negative(1, -2, -3)}")
  println("${first_negative(1, 2, 3)}")
  println(describe(-4))
  println(describe(0))
  println(describe(7))
  println(describe(70))
  let x = 1
  let x = x + 10
  let x :: Int = x * 2
  println("${x}")
end
