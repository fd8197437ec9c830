# Sum types: nullary, positional and named payloads, generic types, nested patterns.
type Shape do
  Circle(Float)
  Rect(w :: Float, h :: Float)
  Dot
end

type Tree<T> do
  Leaf
  Node(Tree<T>, T, Tree<T>)
end

type Color do
  Red
  Green
  Blue
end deriving(Display, Eq)

fn area(s :: Shape) -> Float do
  case s do
    Circle(r) -> 3.0 * r * r
    Rect(w, h) -> w * h
    Dot -> 0.0
  end
end

fn insert(t :: Tree<Int>, v :: Int) -> Tree<Int> do
  case t do
    Leaf -> Node(Leaf, v, Leaf)
    Node(l, x, r) ->
      if v < x do
        Node(insert(l, v), x, r)
      else
        Node(l, x, insert(r, v))
      end
  end
end

fn sum(t :: Tree<Int>) -> Int do
  case t do
    Leaf -> 0
    Node(l, x, r) -> sum(l) + x + sum(r)
  end
end

fn in_order(t :: Tree<Int>) -> List<Int> do
  case t do
    Leaf -> []
    Node(l, x, r) -> in_order(l) ++ [x] ++ in_order(r)
  end
end

fn depth(t) do
  case t do
    Leaf -> 0
    Node(l, _, r) -> 1 + Math.max(depth(l), depth(r))
  end
end

fn next(c :: Color) -> Color do
  case c do
    Red -> Green
    Green -> Blue
    Blue -> Red
  end
end

fn main() do
  println("${area(Circle(2.0))}")
  println("${area(Rect(3.0, 4.5))}")
  println("${area(Shape.Dot)}")
  let t = [5, 2, 8, 1, 9, 3] |> List.reduce(Leaf, fn acc, x -> insert(acc, x) end)
  println("${sum(t)}")
  println("${in_order(t)}")
  println("${depth(t)}")
  println("${next(Red)} ${next(Blue)} ${next(Red) == Green}")
  let names = Node(Leaf, "solo", Leaf)
  let label = case names do
    Node(Leaf, s, Leaf) -> "single ${s}"
    _ -> "other"
  end
  println(label)
end
