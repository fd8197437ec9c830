# expect-error: E0004 at 6:11
# expect-message: undefined variable: totl

fn main() do
  let total = 3
  println(totl)
end
