from Inventory.Model import Priced

pub struct Stack<T> do
  items :: List<T>
end deriving(Display)

pub fn empty<T>() -> Stack<T> do
  Stack { items: [] }
end

pub fn push<T>(s :: Stack<T>, x :: T) -> Stack<T> do
  Stack { items: [x] ++ s.items }
end

pub fn size<T>(s :: Stack<T>) -> Int do
  List.length(s.items)
end

pub fn total_cost<T>(xs :: List<T>) -> Float where T: Priced do
  List.reduce(xs, 0.0, fn(acc, x) -> acc + x.cost() end)
end

pub fn labels<T>(xs :: List<T>) -> String where T: Priced do
  xs |> List.map(fn(x) -> x.label() end) |> String.join(", ")
end

pub fn largest<T>(xs :: List<T>, init :: T) -> T where T: Ord do
  List.reduce(xs, init, fn(acc, x) -> if x > acc do x else acc end end)
end

fn helper() -> String do
  "store"
end

pub fn name() -> String do
  helper()
end
