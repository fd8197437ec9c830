# String property checker. Each input line is `s<TAB>a<TAB>b<TAB>i<TAB>j`; prints one line of
# tab-separated results of the String functions on them (split pieces joined by U+E000,
# a private-use character the generated text never contains).
fn to_int(s :: String) -> Int do
  case String.to_int(s) do
    Some(x) -> x
    None -> 0
  end
end

fn parsed(s :: String) -> String do
  case String.to_int(s) do
    Some(x) -> "some ${x}"
    None -> "none"
  end
end

fn results(s :: String, a :: String, b :: String, i :: Int, j :: Int) -> List<String> do
  let split = if a == "" do "-" else String.join(String.split(s, a), "") end
  [
    "${String.length(s)}",
    String.slice(s, i, j),
    "${String.contains(s, a)} ${String.starts_with(s, a)} ${String.ends_with(s, a)}",
    String.replace(s, a, b),
    split,
    String.trim(s),
    String.to_upper(s),
    String.to_lower(s),
    String.join([s, a, b], b),
    s <> a,
    "${s == a} ${s < a} ${s > a}",
    parsed(s),
  ]
end

fn run() -> Int do
  case IO.read_line() do
    Ok(line) -> next(String.split(line, "\t"))
    Err(_) -> 0
  end
end

fn next(fs :: List<String>) -> Int do
  let out = results(List.get(fs, 0), List.get(fs, 1), List.get(fs, 2), to_int(List.get(fs, 3)), to_int(List.get(fs, 4)))
  println(String.join(out, "\t"))
  run()
end

fn main() do
  run()
  println("done")
end
