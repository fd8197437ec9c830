# expect-error: E0045 at 1:1 in beta.mpl
# expect-message: circular dependency: Alpha -> Beta -> Alpha
import Alpha

fn main() do
  println(Alpha.a())
end
