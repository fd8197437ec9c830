struct V do
  x :: Int
  y :: Int
end

impl Add for V do
  type Output = V
  fn add(self, o :: V) -> V do
    V { x: self.x + o.x, y: self.y + o.y }
  end
end

impl Neg for V do
  type Output = V
  fn neg(self) -> V do
    V { x: 0 - self.x, y: 0 - self.y }
  end
end

fn sum<T>(a :: T, b :: T) -> T where T: Add do
  a + b
end

fn main() do
  let v = sum(V { x: 1, y: 2 }, V { x: 10, y: 20 })
  println("${v.x} ${v.y}")
  let w = -v
  println("${w.x}")
end
