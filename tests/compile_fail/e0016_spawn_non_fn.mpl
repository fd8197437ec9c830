# expect-error: E0016 at 4:17
# expect-message: cannot spawn non-function: found Int
fn main() do
  let p = spawn(42)
  println("x")
end
