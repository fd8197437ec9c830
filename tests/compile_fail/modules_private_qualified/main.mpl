# expect-error: E0035 at 7:11 in main.mpl
# expect-message: private item cannot be imported
# expect-message: add `pub` to
import Util

fn main() do
  println(Util.secret())
end
