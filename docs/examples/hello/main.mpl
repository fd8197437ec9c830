# The first program in every language.
fn greet(name :: String) -> String do
  "Hello, ${name}!"
end

fn main() do
  println(greet("Mesh"))
  let squares = for i in 1..6 do i * i end
  println("squares: ${squares}")
end
