# expect-error: E0001 at 6:20
# expect-message: expected Int, found String
fn pair<T>(a :: T, b :: T) -> List<T> = [a, b]

fn main() do
  let xs = pair(1, "two")
  println("x")
end
