# expect-error: E0025 at 6:12
# expect-message: guard expression must return `Bool`, found `Int`
fn main() do
  let x = 3
  case x do
    n when n -> println("a")
    _ -> println("b")
  end
end
