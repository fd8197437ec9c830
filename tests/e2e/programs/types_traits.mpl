interface Shape do
  fn area(self) -> Float
  fn name(self) -> String do
    "shape"
  end
end

struct Circle do
  r :: Float
end deriving(Eq, Display, Debug)

struct Rect do
  w :: Float
  h :: Float
end deriving(Eq, Ord, Display, Debug, Hash)

impl Shape for Circle do
  fn area(self) -> Float do
    3.0 * self.r * self.r
  end
  fn name(self) -> String do
    "circle"
  end
end

impl Shape for Rect do
  fn area(self) -> Float do
    self.w * self.h
  end
end

fn describe<T>(s :: T) -> String where T: Shape do
  "${s.name()} ${s.area()}"
end

struct Vec2 do
  x :: Int
  y :: Int
end deriving(Eq, Display)

impl Add for Vec2 do
  type Output = Vec2
  fn add(self, other :: Vec2) -> Vec2 do
    Vec2 { x: self.x + other.x, y: self.y + other.y }
  end
end

impl Neg for Vec2 do
  type Output = Vec2
  fn neg(self) -> Vec2 do
    Vec2 { x: 0 - self.x, y: 0 - self.y }
  end
end

type Color do
  Red
  Green
  Custom(Int, Int, Int)
end deriving(Eq, Ord, Display, Debug, Hash)

struct Celsius do
  deg :: Int
end deriving(Display)

struct Fahrenheit do
  deg :: Int
end deriving(Display)

impl From<Celsius> for Fahrenheit do
  fn from(c :: Celsius) -> Fahrenheit do
    Fahrenheit { deg: c.deg * 9 / 5 + 32 }
  end
end

struct Countdown do
  items :: List<Int>
end

impl Iterable for Countdown do
  type Item = Int
  type Iter = ListIterator
  fn iter(self) -> ListIterator do
    Iter.from(self.items)
  end
end

struct Box<T> do
  value :: T
end deriving(Eq, Display, Debug)

fn biggest<T>(xs :: List<T>, init :: T) -> T where T: Ord do
  List.reduce(xs, init, fn(acc, x) -> if x > acc do x else acc end end)
end

fn main() do
  let c = Circle { r: 2.0 }
  let r = Rect { w: 2.0, h: 3.5 }
  println(describe(c))
  println(describe(r))
  println(c.to_string())
  println(inspect(r))
  println("${Vec2 { x: 1, y: 2 } + Vec2 { x: 10, y: 20 }}")
  println("${-(Vec2 { x: 1, y: 2 })}")
  println("${Custom(1, 2, 3)} ${Red} ${Red == Red} ${Red < Green}")
  println(inspect(Custom(1, 2, 3)))
  println("${compare(Red, Green)} ${compare(3, 1)} ${compare("a", "a")}")
  let f = Fahrenheit.from(Celsius { deg: 100 })
  println("${f}")
  let f2 :: Fahrenheit = Celsius { deg: 0 }.into()
  println("${f2}")
  for x in Countdown { items: [3, 2, 1] } do
    println("tick ${x}")
  end
  let b = Box { value: 42 }
  println("${b} ${b == Box { value: 42 }}")
  println(inspect(Box { value: "hi" }))
  println("${biggest([3, 9, 2], 0)} ${biggest(["b", "z", "a"], "")}")
  let m = Map.new() |> Map.put("a", 1) |> Map.put("b", 2)
  println("${m.get("a")} ${m.size()} ${m.has_key("b")}")
  let s = Set.new() |> Set.add(1) |> Set.add(2)
  println("${s.contains(2)} ${s.size()}")
  println("${[1, 2, 3].map(fn(x) -> x * 2 end).length()}")
  println("${hash(Rect { w: 1.0, h: 2.0 }) == hash(Rect { w: 1.0, h: 2.0 })}")
  let d :: Int = default()
  let ds :: String = default()
  println("${d} '${ds}'")
  println("${Rect { w: 1.0, h: 2.0 } < Rect { w: 1.0, h: 3.0 }}")
end
