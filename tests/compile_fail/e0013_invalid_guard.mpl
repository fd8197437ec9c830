# expect-error: E0013 at 6:12
# expect-message: invalid guard: operator `*` not allowed in guard
fn main() do
  let x = 3
  case x do
    n when n * 2 > 4 -> println("a")
    _ -> println("b")
  end
end
