# expect-error: E0032 at 4:3
# expect-message: `break` outside of loop
fn main() do
  break
end
