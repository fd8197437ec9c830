# expect-error: E0036

fn get() -> Int!String = Ok(1)

fn main() do
  let x = get()?
  println("${x}")
end
