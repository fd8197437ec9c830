# expect-error: E0001 at 6:18 in main.mpl
# expect-message: expected Int, found String
import Util

fn main() do
  let n :: Int = Util.shout("a")
  println("${n}")
end
