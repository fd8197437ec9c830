# expect-error: E0039 at 5:3
# expect-message: field `tags` has type `List<String>` which cannot be mapped from a database row
struct User do
  name :: String
  tags :: List<String>
end deriving(Row)

fn main() do
  println("x")
end
