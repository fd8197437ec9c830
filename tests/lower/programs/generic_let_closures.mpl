# A generalised `let` closure (used at several types) that captures variables, used inside other
# closures: the closures must carry what the generalised value captures.

fn run(k :: Int) -> String do
  let tag = "k=${k}"
  let pair = fn x -> (x, tag) end
  let f = fn n -> pair(n + k) end
  let g = fn s -> pair(s) end
  let (a, t1) = f(1)
  let (b, t2) = g("s")
  "${a} ${t1} ${b} ${t2}"
end

fn nested(k :: Int) -> Int do
  let add_k = fn x -> (x, k) end
  let outer = fn n -> List.map([n, n + 1], fn m -> elem(add_k(m)) end) end
  let (_, same) = add_k(true)
  let total = List.reduce(outer(10), 0, fn acc, v -> acc + v end)
  if same == k do total else 0 end
end

fn elem(p :: (Int, Int)) -> Int do
  let (a, b) = p
  a + b
end

fn main() do
  println(run(10))
  let xs = List.map([1, 2], fn i -> run(i) end)
  println("${List.length(xs)} ${List.head(xs)}")
  println("${nested(5)}")
end
