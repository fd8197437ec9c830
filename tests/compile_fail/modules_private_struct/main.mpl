# expect-error: E0035 at 7:11 in main.mpl
# expect-message: private item cannot be imported
# expect-message: add `pub` to
import Geo

fn main() do
  let p = Geo.Point { x: 1, y: 2 }
  println("${p.x}")
end
