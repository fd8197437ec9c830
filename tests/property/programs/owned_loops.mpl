# Loop-carried updates that the compiler may turn into in-place (owned) updates, with every
# version that leaves a loop kept alive and fed into the next loop. A case is a block of lines
# ending in `end`: `put<TAB>k<TAB>v`, `del<TAB>k`, `get<TAB>k`, `app<TAB>text` and `snap`. The
# driver cuts the block at each `snap`; each piece runs through self-recursive loops that touch
# the map, the set and the string only through updates and reads. The versions at every cut are
# kept in a list, passed into the next piece's loops, and all printed again at the end.
fn map_loop(ops :: List<String>, i :: Int, stop :: Int, m :: Map<String, Int>) -> Map<String, Int> do
  if i >= stop do
    m
  else
    let fs = String.split(List.get(ops, i), "\t")
    let op = List.head(fs)
    if op == "put" do
      map_loop(ops, i + 1, stop, Map.put(m, List.get(fs, 1), to_int(List.get(fs, 2))))
    else if op == "del" do
      map_loop(ops, i + 1, stop, Map.delete(m, List.get(fs, 1)))
    else if op == "get" do
      println("get ${Map.get(m, List.get(fs, 1))} ${Map.has_key(m, List.get(fs, 1))} ${Map.size(m)}")
      map_loop(ops, i + 1, stop, m)
    else
      map_loop(ops, i + 1, stop, m)
    end
  end
end

fn set_loop(ops :: List<String>, i :: Int, stop :: Int, s :: Set<String>) -> Set<String> do
  if i >= stop do
    s
  else
    let fs = String.split(List.get(ops, i), "\t")
    let op = List.head(fs)
    if op == "put" do
      set_loop(ops, i + 1, stop, Set.add(s, List.get(fs, 1)))
    else if op == "del" do
      set_loop(ops, i + 1, stop, Set.remove(s, List.get(fs, 1)))
    else
      set_loop(ops, i + 1, stop, s)
    end
  end
end

fn str_loop(ops :: List<String>, i :: Int, stop :: Int, t :: String) -> String do
  if i >= stop do
    t
  else
    let fs = String.split(List.get(ops, i), "\t")
    if List.head(fs) == "app" do
      str_loop(ops, i + 1, stop, t <> List.get(fs, 1))
    else if List.head(fs) == "put" do
      str_loop(ops, i + 1, stop, t <> "+" <> List.get(fs, 1))
    else
      str_loop(ops, i + 1, stop, t)
    end
  end
end

fn to_int(s :: String) -> Int do
  case String.to_int(s) do
    Some(x) -> x
    None -> 0
  end
end

fn next_snap(ops :: List<String>, i :: Int) -> Int do
  if i >= List.length(ops) do
    i
  else if List.get(ops, i) == "snap" do
    i
  else
    next_snap(ops, i + 1)
  end
end

fn show(m :: Map<String, Int>, s :: Set<String>, t :: String) -> String do
  "${m} ${s} ${t}"
end

fn print_kept(kept :: List<(Map<String, Int>, Set<String>, String)>, i :: Int) -> Int do
  if i >= List.length(kept) do
    0
  else
    let (m, s, t) = List.get(kept, i)
    println("kept ${i} ${show(m, s, t)}")
    print_kept(kept, i + 1)
  end
end

fn pieces(ops :: List<String>, i :: Int, m :: Map<String, Int>, s :: Set<String>, t :: String, kept :: List<(Map<String, Int>, Set<String>, String)>) -> Int do
  let stop = next_snap(ops, i)
  let m2 = map_loop(ops, i, stop, m)
  let s2 = set_loop(ops, i, stop, s)
  let t2 = str_loop(ops, i, stop, t)
  let kept2 = List.append(kept, (m2, s2, t2))
  if stop >= List.length(ops) do
    println("final ${show(m2, s2, t2)}")
    print_kept(kept2, 0)
  else
    pieces(ops, stop + 1, m2, s2, t2, kept2)
  end
end

fn read_case(acc :: List<String>) -> List<String> do
  case IO.read_line() do
    Ok("end") -> acc
    Ok(line) -> read_case(List.append(acc, line))
    Err(_) -> acc
  end
end

fn cases(n :: Int) -> Int do
  if n == 0 do
    0
  else
    pieces(read_case([]), 0, Map.new(), Set.new(), "", [])
    println("end")
    cases(n - 1)
  end
end

fn main() do
  case IO.read_line() do
    Ok(n) -> cases(to_int(n))
    Err(_) -> 0
  end
  println("done")
end
