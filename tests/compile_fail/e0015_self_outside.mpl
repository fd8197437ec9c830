# expect-error: E0015 at 4:12
# expect-message: self() used outside actor block
fn main() do
  let me = self()
  println("x")
end
