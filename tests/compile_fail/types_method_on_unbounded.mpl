# expect-error: E0030 at 5:3
# expect-message: no method `size` on type `T`
# expect-message: no method `size`
fn f<T>(x :: T) -> Int do
  x.size()
end

fn main() do
  println("${f(1)}")
end
