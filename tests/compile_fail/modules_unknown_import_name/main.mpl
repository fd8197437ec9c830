# expect-error: E0034 at 4:1 in main.mpl
# expect-message: name not found in module
# expect-message: is not exported by module `Util`
from Util import shout, whisper

fn main() do
  println(shout("a"))
end
