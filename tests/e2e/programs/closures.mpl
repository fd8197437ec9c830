# Closures: captures, every literal form, functions as values, higher-order functions.
fn apply_twice(f :: Fun(Int) -> Int, x :: Int) -> Int do
  f(f(x))
end

fn make_adder(n :: Int) -> Fun(Int) -> Int do
  fn(x :: Int) -> x + n end
end

fn compose(f, g) = fn x -> g(f(x)) end

fn inc(x :: Int) -> Int = x + 1

fn main() do
  let base = 10
  let add_base = fn(x :: Int) -> x + base end
  println("${add_base(5)}")
  let mul = fn a, b -> a * b end
  println("${mul(6, 7)}")
  let answer = fn -> 42 end
  println("${answer()}")
  let verbose = fn x do
    let y = x * 3
    y + 1
  end
  println("${verbose(4)}")
  let classify = fn 0 -> "zero" | n when n < 0 -> "neg" | _ -> "pos" end
  println(classify(0))
  println(classify(-1))
  println(classify(8))
  println("${apply_twice(inc, 5)}")
  println("${apply_twice(fn x -> x * x end, 3)}")
  let add5 = make_adder(5)
  println("${add5(100)}")
  let inc_then_double = compose(inc, fn x -> x * 2 end)
  println("${inc_then_double(4)}")
  let greet = fn name -> "hi ${name}" end
  println(greet("there"))
end
