from Shapes.Core import Measurable

pub struct Registry<T> do
  entries :: List<T>
end

pub fn new_registry<T>() -> Registry<T> = Registry { entries: [] }

pub fn register<T>(r :: Registry<T>, x :: T) -> Registry<T> = Registry { entries: r.entries ++ [x] }

pub fn total<T>(r :: Registry<T>) -> Int where T: Measurable do
  List.reduce(r.entries, 0, fn(acc, x) -> acc + x.measure() end)
end

pub fn descriptions<T>(r :: Registry<T>) -> List<String> where T: Measurable do
  List.map(r.entries, fn(x) -> x.describe() end)
end

fn secret() -> String = "registry secret"

pub fn reveal() -> String = secret()

pub service Tally do
  fn init(start :: Int) -> Int do
    start
  end

  call Add(n :: Int) :: Int do |count|
    (count + n, count + n)
  end

  call Get() :: Int do |count|
    (count, count)
  end
end


