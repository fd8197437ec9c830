# expect-error: E0031 at 3:1
# expect-message: module not found
import Geometry

fn main() do
  println("x")
end
