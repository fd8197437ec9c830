pub interface Measurable do
  fn measure(self) -> Int
  fn describe(self) -> String do
    "measurable"
  end
end

pub struct Line do
  len :: Int
end deriving(Eq, Ord, Display, Hash)

pub type Poly do
  Tri(Int, Int, Int)
  Quad(Int, Int, Int, Int)
end deriving(Eq, Display, Json)

impl Measurable for Line do
  fn measure(self) -> Int = self.len
end

impl Measurable for Poly do
  fn measure(self) -> Int do
    case self do
      Tri(a, b, c) -> a + b + c
      Quad(a, b, c, d) -> a + b + c + d
    end
  end
  fn describe(self) -> String = "polygon"
end

fn secret() -> String = "core secret"

pub fn reveal() -> String = secret()

pub module Units do
  pub fn cm(n :: Int) -> String = "${n}cm"
end
