# Loop-carried maps, sets and strings updated in place by the linearity pass, and loops where an
# old version is used again (kept in a list, read after the update, passed on): those must keep
# their contents.

fn fill(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i >= n do
    m
  else
    fill(Map.put(m, i * 7 % 101, i), i + 1, n)
  end
end

fn count_words(ws :: List<String>, i :: Int, m :: Map<String, Int>) -> Map<String, Int> do
  if i >= List.length(ws) do
    m
  else
    let w = List.get(ws, i)
    count_words(ws, i + 1, Map.put(m, w, Map.get(m, w) + 1))
  end
end

# the map of every 5th iteration is kept: later in-place updates must not reach it
fn keep_every_5th(m :: Map<Int, Int>, i :: Int, n :: Int, kept :: List<Map<Int, Int>>) -> List<Map<Int, Int>> do
  if i >= n do
    kept
  else
    let m2 = Map.put(m, i, i * i)
    if i % 5 == 0 do
      keep_every_5th(m2, i + 1, n, List.append(kept, m2))
    else
      keep_every_5th(m2, i + 1, n, kept)
    end
  end
end

# the old version is read after the update
fn before_after(m :: Map<Int, Int>, i :: Int, n :: Int, acc :: Int) -> Int do
  if i >= n do
    acc + Map.size(m)
  else
    let m2 = Map.put(m, i, i)
    before_after(m2, i + 1, n, acc + Map.size(m) * 1000 + Map.size(m2))
  end
end

fn drain(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i >= n do
    m
  else
    drain(Map.delete(m, i * 7 % 101), i + 2, n)
  end
end

fn add_all(s :: Set<Int>, i :: Int, n :: Int) -> Set<Int> do
  if i >= n do
    s
  else
    add_all(Set.add(Set.add(s, i % 37), i % 11 + 100), i + 1, n)
  end
end

fn remove_some(s :: Set<Int>, i :: Int) -> Set<Int> do
  if i == 0 do
    s
  else
    remove_some(Set.remove(s, i), i - 1)
  end
end

fn grow(s :: String, i :: Int) -> String do
  if i == 0 do
    s
  else
    grow(s <> "ab" <> String.from(i % 10), i - 1)
  end
end

# every prefix is kept
fn prefixes(s :: String, i :: Int, acc :: List<String>) -> List<String> do
  if i == 0 do
    acc
  else
    let s2 = s <> String.from(i)
    prefixes(s2, i - 1, List.append(acc, s2))
  end
end

# s is used twice in one step
fn doubling(s :: String, i :: Int) -> String do
  if i == 0 do
    s
  else
    doubling(s <> s, i - 1)
  end
end

# the map of each step is captured by a closure that runs after the loop
fn with_closures(m :: Map<Int, Int>, i :: Int, n :: Int, fs) do
  if i >= n do
    fs
  else
    let m2 = Map.put(m, i, i)
    with_closures(m2, i + 1, n, List.append(fs, fn () -> Map.size(m2) end))
  end
end

fn sizes(fs, i :: Int, acc :: String) -> String do
  if i >= List.length(fs) do
    acc
  else
    let f = List.get(fs, i)
    sizes(fs, i + 1, acc <> String.from(f()))
  end
end

fn main() do
  let base = fill(Map.new(), 0, 50)
  let big = fill(base, 50, 300)
  println("${Map.size(base)} ${Map.size(big)} ${Map.get(base, 7)} ${Map.get(big, 7)}")
  let e = drain(big, 0, 300)
  println("${Map.size(big)} ${Map.size(e)} ${Map.has_key(big, 0)} ${Map.has_key(e, 0)}")
  let words = String.split("a b a c b a d a", " ")
  println("${count_words(words, 0, Map.new())}")
  let kept = keep_every_5th(Map.new(), 0, 16, [])
  println("${kept}")
  println("${before_after(Map.new(), 0, 5, 0)}")
  let s0 = add_all(Set.new(), 0, 40)
  let s1 = remove_some(s0, 50)
  println("${Set.size(s0)} ${Set.size(s1)} ${Set.contains(s0, 3)} ${Set.contains(s1, 3)}")
  let g = grow("", 2000)
  println("${String.length(g)} ${String.slice(g, 0, 9)} ${String.slice(g, 5991, 6000)}")
  let g2 = grow(g, 3)
  println("${String.length(g)} ${String.length(g2)} ${String.slice(g2, 5997, 6009)}")
  println("${prefixes("x", 5, [])}")
  println("${doubling("ab", 4)}")
  println(sizes(with_closures(Map.new(), 0, 6, []), 0, "sizes:"))
end
