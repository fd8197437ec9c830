# expect-error: E0023 at 7:1
# expect-message: function `f/1` already defined; multi-clause functions must have consecutive clauses
fn f(0) = "zero"

fn g() = 1

fn f(n) = "other"

fn main() do
  println(f(1))
end
