# expect-error: E0002 at 4:22
# expect-message: infinite type: a occurs in Fun(a) -> b
fn main() do
  let f = fn(x) -> x(x) end
  println("no")
end
