# expect-error: P0001 at 6:1
# expect-message: expected `)` to close `(`, found `end`
fn main() do
  let x = (1 + 
  println("x")
end
