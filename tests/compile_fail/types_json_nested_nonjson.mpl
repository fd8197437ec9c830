# expect-error: E0038 at 8:3
# expect-message: field `inner` of type `Inner` is not JSON-serializable
struct Inner do
  v :: Int
end

struct Outer do
  inner :: Inner
end deriving(Json)

fn main() do
  println("x")
end
