# expect-error: P0001

fn main() do
  if true do
    println("never closed")
end
