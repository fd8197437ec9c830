# expect-error: E0031 at 5:11 in main.mpl
# expect-message: module not found
# expect-message: did you mean `Util`?
fn main() do
  println(Utill.shout("a"))
end
