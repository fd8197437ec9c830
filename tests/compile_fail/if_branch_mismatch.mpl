# expect-error: E0001
# expect-message: expected Int, found String

fn pick(b :: Bool) -> Int do
  if b do
    1
  else
    "two"
  end
end

fn main() do
  println("${pick(true)}")
end
