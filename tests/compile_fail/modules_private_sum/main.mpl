# expect-error: E0035 at 4:1 in main.mpl
# expect-message: private item cannot be imported
# expect-message: add `pub` to
from Geo import Shape

fn main() do
  println("x")
end
