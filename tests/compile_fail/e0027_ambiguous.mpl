# expect-error: E0027 at 28:11
# expect-message: ambiguous method `speak` for type `Dog`: candidates from traits [Loud, Quiet]
interface Loud do
  fn speak(self) -> String
end

interface Quiet do
  fn speak(self) -> String
end

struct Dog do
  n :: Int
end

impl Loud for Dog do
  fn speak(self) -> String do
    "WOOF"
  end
end

impl Quiet for Dog do
  fn speak(self) -> String do
    "woof"
  end
end

fn main() do
  println(Dog { n: 1 }.speak())
end
