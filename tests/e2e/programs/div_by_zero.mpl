# Integer division by zero is a panic: a message on stderr and a non-zero exit status.
fn divide(a :: Int, b :: Int) -> Int = a / b

fn main() do
  println("before")
  let r = divide(10, 0)
  println("after ${r}")
end
