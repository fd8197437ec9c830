# Type aliases, Fun types in aliases and struct fields, generic functions, atoms, Ordering.
type Score = Int
type Transform = Fun(Int) -> Int
type Named<T> = (String, T)

struct Op do
  name :: String
  apply :: Fun(Int, Int) -> Int
end

fn run_all(fs :: List<Transform>, x :: Score) -> Score do
  List.reduce(fs, x, fn acc, f -> f(acc) end)
end

fn identity<T>(x :: T) -> T = x

fn pair_up(a, b) = (a, b)

fn label(n :: Named<Int>) -> String do
  let (name, v) = n
  "${name}:${v}"
end

fn order_name(o :: Ordering) -> String do
  case o do
    Less -> "less"
    Equal -> "equal"
    Greater -> "greater"
  end
end

fn main() do
  println("${run_all([fn x -> x + 1 end, fn x -> x * 10 end], 4)}")
  let op = Op { name: "plus", apply: fn a, b -> a + b end }
  println("${op.name} ${op.apply(20, 22)}")
  println("${identity(7)} ${identity("seven")}")
  let (p, q) = pair_up(true, 1.25)
  println("${p} ${q}")
  println(label(("answer", 42)))
  println(order_name(compare(1, 2)))
  println(order_name(compare("b", "a")))
  println(order_name(compare(3.5, 3.5)))
  let a = :ok
  println("${a}")
end
