# Actors whose heaps start in their first region (inside the process struct)
# and then grow into chunks. Each worker keeps a small string from its start,
# waits, is told to build a map and a list of strings of its own size (up to
# 3,000 entries: many chunks), and reports a checksum that still uses the
# string it kept. While the first workers build, the later ones still wait
# holding only their first region.

fn fill(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i >= n do
    m
  else
    fill(Map.put(m, i * 7919 % 1000003, i), i + 1, n)
  end
end

fn strings(i :: Int, n :: Int, acc :: List<String>) -> List<String> do
  if i >= n do
    acc
  else
    strings(i + 1, n, List.append(acc, "item ${i}"))
  end
end

fn total(m :: Map<Int, Int>, i :: Int, n :: Int, acc :: Int) -> Int do
  if i >= n do
    acc
  else
    total(m, i + 1, n, acc + Map.get(m, i * 7919 % 1000003))
  end
end

fn work(n :: Int, tag :: String) -> Int do
  let m = fill(Map.new(), 0, n)
  let l = strings(0, n, [])
  total(m, 0, n, 0) + List.length(l) + String.length(List.get(l, n - 1)) + String.length(tag)
end

actor worker(parent :: Pid<Int>, id :: Int) do
  let tag = "worker ${id}"
  receive do
    n -> send(parent, work(n, tag))
  end
end

fn spawn_all(parent :: Pid<Int>, i :: Int, n :: Int, acc :: List<Pid<Int>>) -> List<Pid<Int>> do
  if i >= n do
    acc
  else
    spawn_all(parent, i + 1, n, List.append(acc, spawn(worker, parent, i)))
  end
end

fn size_of(i :: Int) -> Int do
  if i == 7 do
    3000
  else
    i * 3 + 1
  end
end

fn tell(ws :: List<Pid<Int>>, i :: Int, n :: Int) -> Int do
  if i >= n do
    0
  else
    send(List.get(ws, i), size_of(i))
    tell(ws, i + 1, n)
  end
end

fn expected(i :: Int, n :: Int, acc :: Int) -> Int do
  if i >= n do
    acc
  else
    let k = size_of(i)
    expected(i + 1, n, acc + k * (k - 1) / 2 + k + String.length("item ${k - 1}") + String.length("worker ${i}"))
  end
end

actor driver(phase :: Int, n :: Int, i :: Int, acc :: Int) do
  if phase == 0 do
    let ws = spawn_all(self(), 0, n, [])
    tell(ws, 0, n)
    driver(1, n, 0, 0)
  else
    if i >= n do
      println("checksum ${acc}, expected ${expected(0, n, 0)}")
    else
      receive do
        x -> driver(1, n, i + 1, acc + x)
      end
    end
  end
end

fn main() do
  spawn(driver, 0, 100, 0, 0)
end
