# expect-warning: W0002 at 4:1
# expect-message: return type annotation on non-first clause of `fact` will be ignored
fn fact(0) -> Int = 1
fn fact(n) -> Int = n * fact(n - 1)

fn main() do
  println("${fact(5)}")
end
