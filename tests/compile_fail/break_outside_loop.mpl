# expect-error: E0032 at 4:3

fn main() do
  break
end
