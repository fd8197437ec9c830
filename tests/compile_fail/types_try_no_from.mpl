# expect-error: E0036 at 15:11
# expect-message: `?` operator requires function to return `Result` or `Option`
# expect-message: add `impl From<E1> for E2
struct E1 do
  m :: String
end

struct E2 do
  m :: String
end

fn a() -> Result<Int, E1> = Err(E1 { m: "x" })

fn b() -> Result<Int, E2> do
  let v = a()?
  Ok(v)
end

fn main() do
  println("x")
end
