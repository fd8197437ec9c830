# Map property checker (a template: the test substitutes KEY with a key type and supplies
# parse_key/show_key). Reads one operation per line, fields separated by tabs, and prints what
# each observation sees; `snap` keeps the current version alive until the case's `end`, when
# every kept version is printed again (persistence: later updates must not change it).
# A "trace" String grows with every update in the same loop and is kept alongside each version.
fn show_map(m :: Map<KEY, Int>) -> String do
  let ks = String.join(List.map(Map.keys(m), fn k -> show_key(k) end), "\t")
  let vs = String.join(List.map(Map.values(m), fn v -> "${v}" end), "\t")
  let entries = String.join(for {k, v} in m do "${show_key(k)}:${v}" end, "\t")
  let listed = String.join(List.map(Map.to_list(m), fn kv -> show_pair(kv) end), "\t")
  "size=${Map.size(m)} keys=[${ks}] values=[${vs}] for=[${entries}] to_list=[${listed}] shown=${m}"
end

fn pairs(fs :: List<String>, acc :: Map<KEY, Int>) -> Map<KEY, Int> do
  case fs do
    k :: v :: rest -> pairs(rest, Map.put(acc, parse_key(k), to_int(v)))
    _ -> acc
  end
end

fn to_int(s :: String) -> Int do
  case String.to_int(s) do
    Some(x) -> x
    None -> 0 - 1
  end
end

fn print_snap(i :: Int, m :: Map<KEY, Int>, trace :: String) -> Int do
  println("snap ${i} ${show_map(m)} trace=${trace}")
  0
end

fn check_snaps(snaps :: List<(Int, Map<KEY, Int>, String)>) -> Int do
  case snaps do
    (i, m, t) :: rest -> print_snap(i, m, t) + check_snaps(rest)
    _ -> 0
  end
end

fn lookup(m :: Map<KEY, Int>, k :: KEY) -> String do
  let got = case Map.lookup(m, k) do
    Some(v) -> "some ${v} ${Map.get(m, k)}"
    None -> "none"
  end
  "get ${got} ${Map.has_key(m, k)}"
end

fn step(fs :: List<String>, m :: Map<KEY, Int>, n :: Int, trace :: String, snaps :: List<(Int, Map<KEY, Int>, String)>) -> Int do
  let op = List.head(fs)
  let args = List.tail(fs)
  if op == "put" do
    let k = List.head(args)
    run(Map.put(m, parse_key(k), to_int(List.get(args, 1))), n + 1, trace <> "+" <> k, snaps)
  else if op == "del" do
    let k = List.head(args)
    run(Map.delete(m, parse_key(k)), n + 1, trace <> "-" <> k, snaps)
  else if op == "get" do
    println(lookup(m, parse_key(List.head(args))))
    run(m, n + 1, trace, snaps)
  else if op == "show" do
    println(show_map(m))
    run(m, n + 1, trace, snaps)
  else if op == "merge" do
    run(Map.merge(m, pairs(args, Map.new())), n + 1, trace <> "|", snaps)
  else if op == "snap" do
    run(m, n + 1, trace, List.append(snaps, (n, m, trace)))
  else if op == "end" do
    println(show_map(m))
    check_snaps(snaps)
    println("end")
    run(Map.new(), 0, "", [])
  else
    println("bad op ${op}")
    run(m, n + 1, trace, snaps)
  end
end

fn run(m :: Map<KEY, Int>, n :: Int, trace :: String, snaps :: List<(Int, Map<KEY, Int>, String)>) -> Int do
  case IO.read_line() do
    Ok(line) -> step(String.split(line, "\t"), m, n, trace, snaps)
    Err(_) -> 0
  end
end

fn main() do
  run(Map.new(), 0, "", [])
  println("done")
end

fn show_pair(kv :: (KEY, Int)) -> String do
  let (k, v) = kv
  "${show_key(k)}:${v}"
end
