# Structs: literals, field access, update, nesting, generic structs, derived Display/Debug/Eq.
struct Point do
  x :: Int
  y :: Int
end deriving(Eq, Display, Debug)

struct Line do
  from :: Point
  to :: Point
  name :: String
end

struct Pair<A, B> do
  first :: A
  second :: B
end deriving(Display)

fn length_sq(l :: Line) -> Int do
  let dx = l.to.x - l.from.x
  let dy = l.to.y - l.from.y
  dx * dx + dy * dy
end

fn main() do
  let p = Point { x: 1, y: 2 }
  println("${p.x} ${p.y}")
  let q = %{p | y: 20}
  println("${p}")
  println("${q}")
  println(inspect(q))
  println("${p == q} ${p == Point { x: 1, y: 2 }}")
  let l = Line { from: p, to: Point { x: 4, y: 6 }, name: "diag" }
  println("${l.name} ${length_sq(l)}")
  let l2 = %{l | name: "renamed", to: Point { x: 1, y: 2 }}
  println("${l2.name} ${length_sq(l2)} ${l.name}")
  let pair = Pair { first: "one", second: 1 }
  println("${pair}")
  println("${pair.first} ${pair.second + 1}")
end
