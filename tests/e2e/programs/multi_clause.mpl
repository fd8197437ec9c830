# Multi-clause functions with literal patterns and guards.
fn fib(0) = 0
fn fib(1) = 1
fn fib(n) = fib(n - 1) + fib(n - 2)

fn sign(n) when n < 0 = "negative"
fn sign(0) = "zero"
fn sign(_) = "positive"

fn yes_no(true) = "yes"
fn yes_no(false) = "no"

fn pair_kind((0, 0)) = "origin"
fn pair_kind((0, _)) = "y-axis"
fn pair_kind((_, 0)) = "x-axis"
fn pair_kind(_) = "plane"

fn main() do
  println("${fib(15)}")
  println(sign(-3))
  println(sign(0))
  println(sign(9))
  println(yes_no(true))
  println(yes_no(false))
  println(pair_kind((0, 0)))
  println(pair_kind((0, 5)))
  println(pair_kind((5, 0)))
  println(pair_kind((2, 3)))
end
