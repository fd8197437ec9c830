# expect-warning: W0001 at 7:5
# expect-message: redundant match arm (arm 2)
fn main() do
  let x = 3
  case x do
    _ -> println("any")
    1 -> println("one")
  end
end
