# expect-error: E0006 at 9:11
# expect-message: Int does not implement Printable
# expect-message: no interface named `Printable` is defined
fn f<T>(x :: T) -> String where T: Printable do
  "x"
end

fn main() do
  println(f(1))
end
