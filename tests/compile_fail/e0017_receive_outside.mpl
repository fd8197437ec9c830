# expect-error: E0017 at 4:3
# expect-message: receive used outside actor block
fn main() do
  receive do
    msg -> println("got")
  end
end
