# expect-error: E0045 at 1:1 in util.mpl
# expect-message: module `Util` cannot import itself
import Util

fn main() do
  println(Util.name())
end
