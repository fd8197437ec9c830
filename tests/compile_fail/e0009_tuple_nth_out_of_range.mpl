# expect-error: E0009 at 4:32
# expect-message: tuple index 2 out of range for (Int, Int) (2 element(s))
fn main() do
  println("${tuple_nth((1, 2), 2)}")
end
