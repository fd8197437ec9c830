# expect-error: E0001 at 4:18
# expect-message: expected Int, found String
fn main() do
  let x :: Int = "hello"
  println("${x}")
end
