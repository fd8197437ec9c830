# expect-error: E0036 at 8:11
# expect-message: `?` operator requires function to return `Result` or `Option`
fn parse(s :: String) -> Result<Int, String> do
  Ok(1)
end

fn twice(s :: String) -> Int do
  let n = parse(s)?
  n * 2
end

fn main() do
  println("${twice("1")}")
end
