# expect-error: E0038 at 4:3
# expect-message: field `pid` of type `Pid` is not JSON-serializable
struct Handle do
  pid :: Pid
end deriving(Json)

fn main() do
  println("x")
end
