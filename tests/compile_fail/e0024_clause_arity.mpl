# expect-error: E0024 at 4:28
# expect-message: all clauses of `closure` must have the same number of parameters; expected 1, found 2
fn main() do
  let f = fn 0 -> "zero" | n, m -> "other" end
  println(f(1))
end
