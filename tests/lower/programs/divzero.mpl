fn div(a :: Int, b :: Int) -> Int do
  a / b
end

fn main() do
  println("before")
  println("${div(1, 0)}")
  println("after")
end
