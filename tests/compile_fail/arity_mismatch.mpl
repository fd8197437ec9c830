# expect-error: E0003
# expect-message: expected 2 argument(s), found 1

fn add(a :: Int, b :: Int) -> Int = a + b

fn main() do
  println("${add(1)}")
end
