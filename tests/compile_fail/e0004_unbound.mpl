# expect-error: E0004 at 5:14
# expect-message: undefined variable: totl
fn main() do
  let total = 1
  println("${totl}")
end
