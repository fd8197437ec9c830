# expect-error: E0022 at 3:1
# expect-message: catch-all clause must be the last clause of function `describe/1`
fn describe(n) do
  "other"
end

fn describe(0) do
  "zero"
end

fn main() do
  println(describe(0))
end
