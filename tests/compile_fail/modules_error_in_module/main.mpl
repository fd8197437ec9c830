# expect-error: E0001 at 1:39 in util.mpl
# expect-message: expected String, found Int
import Util

fn main() do
  println(Util.shout("a"))
end
