# expect-error: E0003 at 7:11
# expect-message: type `Box` expects 1 type argument(s), found 2
struct Box<T> do
  v :: T
end

fn f(b :: Box<Int, String>) -> Int = 1

fn main() do
  println("x")
end
