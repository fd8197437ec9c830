# expect-error: E0005 at 5:14
# expect-message: type Int is not callable
fn main() do
  let n = 5
  println("${n(1)}")
end
