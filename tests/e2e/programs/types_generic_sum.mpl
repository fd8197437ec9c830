type T do
  A
  B(Int)
end deriving(Eq, Row)

type Tree<V> do
  Leaf
  Node(Tree<V>, V, Tree<V>)
end deriving(Eq, Ord, Display, Debug, Hash, Json)

fn insert<V>(t :: Tree<V>, v :: V) -> Tree<V> where V: Ord do
  case t do
    Leaf -> Node(Leaf, v, Leaf)
    Node(l, x, r) -> if v < x do Node(insert(l, v), x, r) else Node(l, x, insert(r, v)) end
  end
end

fn to_list<V>(t :: Tree<V>) -> List<V> do
  case t do
    Leaf -> []
    Node(l, x, r) -> to_list(l) ++ [x] ++ to_list(r)
  end
end

fn main() do
  let t = [5, 2, 8, 1] |> List.reduce(Leaf, fn(acc, x) -> insert(acc, x) end)
  println("${to_list(t)}")
  println("${t}")
  let j = Json.encode(insert(insert(Leaf, "b"), "a"))
  println(j)
  case Tree.from_json(j) do
    Ok(back) -> println("${to_list(back)} ${back == insert(insert(Leaf, "b"), "a")}")
    Err(e) -> println("err ${e}")
  end
  println("${A == A} ${B(1) == B(2)}")
  println("${compare(Node(Leaf, 1, Leaf), Leaf)} ${hash(t) == hash(t)}")
end
