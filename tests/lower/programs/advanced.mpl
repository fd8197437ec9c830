type Tree do
  Leaf
  Node(Tree, Int, Tree)
end

struct Pair<A, B> do
  first :: A
  second :: B
end

fn insert(t :: Tree, v :: Int) -> Tree do
  case t do
    Leaf -> Node(Leaf, v, Leaf)
    Node(l, x, r) -> if v < x do
      Node(insert(l, v), x, r)
    else
      Node(l, x, insert(r, v))
    end
  end
end

fn to_list(t :: Tree) -> List<Int> do
  case t do
    Leaf -> []
    Node(l, x, r) -> to_list(l) ++ [x] ++ to_list(r)
  end
end

fn make_adder(n :: Int) -> Fun(Int) -> Int do
  fn x -> x + n end
end

fn compose(f :: Fun(Int) -> Int, g :: Fun(Int) -> Int) -> Fun(Int) -> Int do
  fn x -> g(f(x)) end
end

fn find_first_negative(xs :: List<Int>) -> Int do
  for x in xs do
    if x < 0 do
      return x
    end
  end
  0
end

fn swap<A, B>(p :: Pair<A, B>) -> Pair<B, A> do
  Pair { first: p.second, second: p.first }
end

fn sum_to(n :: Int) -> Int do
  let total = 0
  let i = 0
  let acc = for k in 1..(n + 1) do
    k
  end
  List.reduce(acc, 0, fn a, b -> a + b end)
end

fn main() do
  let t = List.reduce([5, 3, 8, 1, 4], Leaf, fn acc, v -> insert(acc, v) end)
  println("${to_list(t)}")
  let add3 = make_adder(3)
  let times2 = fn x -> x * 2 end
  let both = compose(add3, times2)
  println("${both(4)}")
  println("${find_first_negative([3, 4, -7, 2])} ${find_first_negative([1])}")
  let p = Pair { first: 1, second: "one" }
  let q = swap(p)
  println(q.first <> " ${q.second}")
  println("${sum_to(100)}")
  let grid = for i in 0..3 do
    for j in 0..3 when j != i do
      i * 10 + j
    end
  end
  println("${grid}")
  let odd = for x in 0..10 do
    if x % 2 == 0 do
      continue
    end
    x
  end
  println("${odd}")
  let classify = fn 0 -> "zero" | n when n < 0 -> "neg" | _ -> "pos" end
  println(classify(0) <> classify(-1) <> classify(5))
  let words = ["pear", "fig", "apple"]
  let lens = words |> List.map(fn w -> String.length(w) end)
  println("${lens}")
  let m = %{1 => "one", 2 => "two"}
  println(Map.get(m, 2))
  let s = Set.add(Set.add(Set.new(), 3), 3)
  println("${Set.size(s)}")
  let nested = [[1, 2], [3]]
  println("${nested}")
  let counter = 0
  let total = for x in [1, 2, 3] do
    let y = x * 100
    y + counter
  end
  println("${total}")
end
