pub struct Item do
  name :: String
  qty :: Int
  price :: Float
  tag :: Option<String>
end deriving(Eq, Display, Json)

pub type Status do
  Active
  Backorder(Int)
  Retired(String)
end deriving(Eq, Display, Json)

pub struct Page<T> do
  items :: List<T>
  total :: Int
end deriving(Json)

pub struct Entry<T> do
  status :: Status
  value :: T
end deriving(Json)

pub interface Priced do
  fn cost(self) -> Float
  fn label(self) -> String do
    "item"
  end
end

impl Priced for Item do
  fn cost(self) -> Float do
    self.price * Float.from(self.qty)
  end
  fn label(self) -> String do
    self.name
  end
end

fn round2(x :: Float) -> Float do
  Float.from(Math.round(x * 100.0)) / 100.0
end

pub fn summary(i :: Item) -> String do
  "${i.name} x${i.qty} = ${round2(i.cost())}"
end
