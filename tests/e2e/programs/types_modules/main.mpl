import Shapes.Core
import Util.Registry
from Shapes.Core import Line, Poly, Measurable
from Util.Registry import Tally

struct Stick do
  n :: Int
end

impl Measurable for Stick do
  fn measure(self) -> Int = self.n * 100
end

fn main() do
  let r = Registry.new_registry() |> Registry.register(Line { len: 3 }) |> Registry.register(Line { len: 4 })
  println("${Registry.total(r)}")
  println("${Registry.descriptions(r)}")
  let p = Registry.new_registry() |> Registry.register(Tri(1, 2, 3)) |> Registry.register(Core.Quad(1, 1, 1, 1))
  println("${Registry.total(p)} ${Registry.descriptions(p)}")
  let s = Registry.register(Registry.new_registry(), Stick { n: 2 })
  println("${Registry.total(s)}")
  let l :: Core.Line = Core.Line { len: 9 }
  println("${l} ${l == Line { len: 9 }} ${l < Line { len: 10 }} ${hash(l) == hash(Line { len: 9 })}")
  println(Json.encode(Quad(1, 2, 3, 4)))
  println("${Core.reveal()} / ${Registry.reveal()}")
  println(Core.Units.cm(5))
  println("${Stick { n: 1 }.describe()} ${Line { len: 1 }.describe()}")
  let t = Tally.start(10)
  let total_after = Tally.add(t, 5)
  println("tally ${total_after} ${Tally.get(t)}")
end
