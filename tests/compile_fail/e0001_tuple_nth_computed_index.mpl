# expect-error: E0001 at 6:27
# expect-message: Tuple.nth with a computed index needs elements of one type, found (Int, String, Float)
fn main() do
  let t = (7, "seven", 7.5)
  let i = 1
  println("${Tuple.nth(t, i + 1)}")
end
