# expect-error: E0033 at 4:3
# expect-message: `continue` outside of loop
fn main() do
  continue
end
