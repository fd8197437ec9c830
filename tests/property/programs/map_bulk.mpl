# Bulk Map/Set checker (a template: the test substitutes KEY and supplies mk_key/key_code).
# Each line is one operation over a range of keys (lo + i * step) % 1000003 for i < n,
# run by a loop the compiler turns into in-place (owned) updates:
#   put lo n step val   Map.put(k, val + i) and Set.add(k)
#   del lo n step       Map.delete(k) and Set.remove(k)
#   get lo n step       print how many of the keys both hold and the sum of their values
#   snap                keep the current versions until `end`
#   end                 print a summary of the current versions, then of every kept one
# A summary is the size and a checksum over the entries in iteration order, so order,
# values and the key each value belongs to are all checked.
fn key_at(lo :: Int, i :: Int, step :: Int) -> KEY = mk_key((lo + i * step) % 1000003)

fn put_all(m :: Map<KEY, Int>, lo :: Int, i :: Int, n :: Int, step :: Int, val :: Int) -> Map<KEY, Int> do
  if i >= n do
    m
  else
    put_all(Map.put(m, key_at(lo, i, step), val + i), lo, i + 1, n, step, val)
  end
end

fn add_all(s :: Set<KEY>, lo :: Int, i :: Int, n :: Int, step :: Int) -> Set<KEY> do
  if i >= n do
    s
  else
    add_all(Set.add(s, key_at(lo, i, step)), lo, i + 1, n, step)
  end
end

fn del_all(m :: Map<KEY, Int>, lo :: Int, i :: Int, n :: Int, step :: Int) -> Map<KEY, Int> do
  if i >= n do
    m
  else
    del_all(Map.delete(m, key_at(lo, i, step)), lo, i + 1, n, step)
  end
end

fn remove_all(s :: Set<KEY>, lo :: Int, i :: Int, n :: Int, step :: Int) -> Set<KEY> do
  if i >= n do
    s
  else
    remove_all(Set.remove(s, key_at(lo, i, step)), lo, i + 1, n, step)
  end
end

fn probe(m :: Map<KEY, Int>, s :: Set<KEY>, lo :: Int, i :: Int, n :: Int, step :: Int, found :: Int, sum :: Int) -> String do
  if i >= n do
    "get ${found} ${sum}"
  else
    let k = key_at(lo, i, step)
    let f = if Map.has_key(m, k) && Set.contains(s, k) do 1 else 0 end
    probe(m, s, lo, i + 1, n, step, found + f, (sum + Map.get(m, k)) % 1000000007)
  end
end

fn map_sum(kvs :: List<(KEY, Int)>, acc :: Int) -> Int do
  case kvs do
    (k, v) :: rest -> map_sum(rest, (acc * 31 + key_code(k) * 7 + v) % 1000000007)
    _ -> acc
  end
end

fn set_sum(ks :: List<KEY>, acc :: Int) -> Int do
  case ks do
    k :: rest -> set_sum(rest, (acc * 31 + key_code(k)) % 1000000007)
    _ -> acc
  end
end

fn summary(m :: Map<KEY, Int>, s :: Set<KEY>) -> String do
  "map ${Map.size(m)} ${map_sum(Map.to_list(m), 0)} set ${Set.size(s)} ${set_sum(Set.to_list(s), 0)}"
end

fn print_one(kept :: (Map<KEY, Int>, Set<KEY>), i :: Int) -> Int do
  let (m, s) = kept
  println("kept ${i} ${summary(m, s)}")
  0
end

fn print_kept(kept :: List<(Map<KEY, Int>, Set<KEY>)>, i :: Int) -> Int do
  case kept do
    one :: rest -> print_one(one, i) + print_kept(rest, i + 1)
    _ -> 0
  end
end

fn arg(fs :: List<String>, i :: Int) -> Int do
  case String.to_int(List.get(fs, i)) do
    Some(x) -> x
    None -> 0
  end
end

fn step(fs :: List<String>, m :: Map<KEY, Int>, s :: Set<KEY>, kept :: List<(Map<KEY, Int>, Set<KEY>)>) -> Int do
  let op = List.head(fs)
  if op == "put" do
    run(put_all(m, arg(fs, 1), 0, arg(fs, 2), arg(fs, 3), arg(fs, 4)), add_all(s, arg(fs, 1), 0, arg(fs, 2), arg(fs, 3)), kept)
  else if op == "del" do
    run(del_all(m, arg(fs, 1), 0, arg(fs, 2), arg(fs, 3)), remove_all(s, arg(fs, 1), 0, arg(fs, 2), arg(fs, 3)), kept)
  else if op == "get" do
    println(probe(m, s, arg(fs, 1), 0, arg(fs, 2), arg(fs, 3), 0, 0))
    run(m, s, kept)
  else if op == "snap" do
    run(m, s, List.append(kept, (m, s)))
  else if op == "end" do
    println("final ${summary(m, s)}")
    print_kept(kept, 0)
    println("end")
    run(Map.new(), Set.new(), [])
  else
    println("bad op ${op}")
    run(m, s, kept)
  end
end

fn run(m :: Map<KEY, Int>, s :: Set<KEY>, kept :: List<(Map<KEY, Int>, Set<KEY>)>) -> Int do
  case IO.read_line() do
    Ok(line) -> step(String.split(line, "\t"), m, s, kept)
    Err(_) -> 0
  end
end

fn main() do
  run(Map.new(), Set.new(), [])
  println("done")
end
