# List.sort property checker. Each line is a list to sort: `ints`, `strs` (ascending), `desc`
# (Ints descending) or `pairs` (Int key, String tag pairs sorted by key only: stability shows
# in the tags' order). The input list is printed again after sorting: sorting returns a new list.
fn cmp_int(a :: Int, b :: Int) -> Int do
  if a < b do
    0 - 1
  else if a > b do
    1
  else
    0
  end
end

fn cmp_str(a :: String, b :: String) -> Int do
  if a < b do
    0 - 1
  else if a > b do
    1
  else
    0
  end
end

fn to_int(s :: String) -> Int do
  case String.to_int(s) do
    Some(x) -> x
    None -> 0
  end
end

fn pairs(fs :: List<String>, acc :: List<(Int, String)>) -> List<(Int, String)> do
  case fs do
    k :: t :: rest -> pairs(rest, List.append(acc, (to_int(k), t)))
    _ -> acc
  end
end

fn show_ints(xs :: List<Int>) -> String = String.join(List.map(xs, fn x -> "${x}" end), "\t")

fn show_pair(p :: (Int, String)) -> String do
  let (k, t) = p
  "${k}:${t}"
end

fn step(op :: String, args :: List<String>) -> String do
  if op == "ints" do
    let xs = List.map(args, fn s -> to_int(s) end)
    let sorted = List.sort(xs, fn a, b -> cmp_int(a, b) end)
    "${show_ints(sorted)} | ${show_ints(xs)}"
  else if op == "desc" do
    let xs = List.map(args, fn s -> to_int(s) end)
    show_ints(List.sort(xs, fn a, b -> cmp_int(b, a) end))
  else if op == "strs" do
    let sorted = List.sort(args, fn a, b -> cmp_str(a, b) end)
    "${String.join(sorted, "\t")} | ${String.join(args, "\t")}"
  else if op == "pairs" do
    let ps = List.sort(pairs(args, []), fn a, b -> cmp_int(Tuple.first(a), Tuple.first(b)) end)
    String.join(List.map(ps, fn p -> show_pair(p) end), "\t")
  else
    "bad op ${op}"
  end
end

fn run() -> Int do
  case IO.read_line() do
    Ok(line) -> next(String.split(line, "\t"))
    Err(_) -> 0
  end
end

fn next(fs :: List<String>) -> Int do
  println(step(List.head(fs), List.tail(fs)))
  run()
end

fn main() do
  run()
  println("done")
end
