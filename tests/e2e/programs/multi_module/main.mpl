# A project with modules: qualified access, selective import, pub items, nested modules.
import Geometry.Shapes
from Util.Text import shout, repeat

fn helper() -> String = "main helper"

fn main() do
  let sq = Shapes.square(3)
  println("${Shapes.area(sq)}")
  let p = Shapes.Pt { x: 1, y: 2 }
  println("${p.x + p.y}")
  println(shout("hey"))
  println(repeat("ab", 3))
  println(helper())
  println(Shapes.describe())
end
