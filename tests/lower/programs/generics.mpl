struct Box<T> do
  value :: T
end

impl Display for Box<T> do
  fn to_string(self) -> String do
    "Box[" <> "${self.value}" <> "]"
  end
end

type Maybe<T> do
  Just(T)
  Nothing
end

fn unwrap_or<T>(m :: Maybe<T>, d :: T) -> T do
  case m do
    Just(v) -> v
    Nothing -> d
  end
end

fn main() do
  let b = Box { value: 42 }
  let s = Box { value: "hi" }
  println("${b} ${s}")
  println("${[b, b]}")
  println("${unwrap_or(Just(5), 0)} ${unwrap_or(Nothing, "d")}")
  let ms = [Just(1), Nothing, Just(3)]
  let total = List.reduce(ms, 0, fn acc, m -> acc + unwrap_or(m, 0) end)
  println("${total}")
end
