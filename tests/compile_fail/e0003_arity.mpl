# expect-error: E0003 at 8:14
# expect-message: expected 2 argument(s), found 1
fn add(a :: Int, b :: Int) -> Int do
  a + b
end

fn main() do
  println("${add(1)}")
end
