# expect-error: E0037 at 4:11
# expect-message: `?` requires `Result` or `Option`
fn twice(n :: Int) -> Result<Int, String> do
  let m = n?
  Ok(m * 2)
end

fn main() do
  println("x")
end
