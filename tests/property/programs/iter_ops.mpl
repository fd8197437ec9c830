# Iterator pipeline checker. Each line is `<list>;<stages>`: the list is comma-separated Ints,
# each stage `map k` (x * 2 + k), `filter k` (x % k != 0), `take n`, `skip n` or `enum`
# (enumerate, then keep index * 1000 + value); stages separated by commas. Prints the collected
# result, the count, the sum, any/all (x > 10), find (first x < 0) and a fold, each from a
# fresh pipeline, then the results over a Map, a Set and a Range source.
fn to_int(s :: String) -> Int do
  case String.to_int(s) do
    Some(x) -> x
    None -> 0
  end
end

fn ints(s :: String) -> List<Int> = if s == "" do [] else List.map(String.split(s, ","), fn t -> to_int(t) end) end

fn stage(it :: Iter<Int>, spec :: String) -> Iter<Int> do
  let parts = String.split(spec, " ")
  let op = List.head(parts)
  let k = if List.length(parts) > 1 do to_int(List.get(parts, 1)) else 0 end
  if op == "map" do
    Iter.map(it, fn x -> x * 2 + k end)
  else if op == "filter" do
    Iter.filter(it, fn x -> x % k != 0 end)
  else if op == "take" do
    Iter.take(it, k)
  else if op == "skip" do
    Iter.skip(it, k)
  else if op == "enum" do
    Iter.map(Iter.enumerate(it), fn p -> index_value(p) end)
  else
    it
  end
end

fn index_value(p :: (Int, Int)) -> Int do
  let (i, x) = p
  i * 1000 + x
end

fn pipeline(it :: Iter<Int>, stages :: List<String>) -> Iter<Int> = List.reduce(stages, it, fn acc, s -> stage(acc, s) end)

fn found(o :: Option<Int>) -> String do
  case o do
    Some(x) -> "${x}"
    None -> "none"
  end
end

fn report(xs :: List<Int>, stages :: List<String>) -> String do
  let all = List.collect(pipeline(Iter.from(xs), stages))
  let n = Iter.count(pipeline(Iter.from(xs), stages))
  let sum = Iter.sum(pipeline(Iter.from(xs), stages))
  let any = Iter.any(pipeline(Iter.from(xs), stages), fn x -> x > 10 end)
  let every = Iter.all(pipeline(Iter.from(xs), stages), fn x -> x > 10 end)
  let first_neg = found(Iter.find(pipeline(Iter.from(xs), stages), fn x -> x < 0 end))
  let folded = Iter.reduce(pipeline(Iter.from(xs), stages), 7, fn a, b -> a * 3 + b end)
  let zipped = List.collect(Iter.zip(pipeline(Iter.from(xs), stages), Iter.from(xs)))
  "${all} ${n} ${sum} ${any} ${every} ${first_neg} ${folded} ${zipped}"
end

fn sources(xs :: List<Int>, stages :: List<String>) -> String do
  let m = List.reduce(xs, Map.new(), fn acc, x -> Map.put(acc, x, x * 10) end)
  let s = Set.from_list(xs)
  let from_map = List.collect(pipeline(Iter.map(Iter.from(m), fn p -> pair_sum(p) end), stages))
  let from_set = List.collect(pipeline(Iter.from(s), stages))
  let from_range = List.collect(pipeline(Iter.from(0..List.length(xs)), stages))
  "${from_map} ${from_set} ${from_range} ${Set.collect(pipeline(Iter.from(xs), stages))}"
end

fn pair_sum(p :: (Int, Int)) -> Int do
  let (k, v) = p
  k + v
end

fn run() -> Int do
  case IO.read_line() do
    Ok(line) -> next(String.split(line, ";"))
    Err(_) -> 0
  end
end

fn next(fs :: List<String>) -> Int do
  let xs = ints(List.head(fs))
  let stages = if List.get(fs, 1) == "" do [] else String.split(List.get(fs, 1), ",") end
  println("${report(xs, stages)} | ${sources(xs, stages)}")
  run()
end

fn main() do
  run()
  println("done")
end
