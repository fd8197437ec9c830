# A generalised local function used inside another generalised local function stays generic
# there, and both are instantiated at each use.
fn main() do
  let id = fn v -> v end
  let wrap = fn w -> id(w) end
  println(wrap("q"))
  println("${wrap(1)}")
  let outer = fn x ->
    let inner = fn y -> [x, y] end
    let twice = fn z -> inner(z) end
    "${List.length(inner(x))} ${twice(x)}"
  end
  println(outer(1))
  println(outer("a"))
  let pair = fn w ->
    let k = fn u -> (id(u), id(w)) end
    "${k(w)} ${k(7)}"
  end
  println(pair("p"))
  println(pair(false))
end
