# JSON round trips. Each input line is `doc<TAB><json text>`, `eq<TAB><json text><TAB><json text>`
# or `val<TAB><kind><TAB><json object>`.
# doc: parse, encode, parse the encoding and encode again; prints both encodings.
# eq: parses both and prints `==`, whether a map keyed by the first finds the second, and `<`
# both ways.
# val: builds a Mesh value from the object's fields "0".."n-1" (fetched with Json.get) and
# prints `Json.encode` of it; for records also decodes that text back with from_json.
struct Rec do
  name :: String
  count :: Int
  score :: Float
  tags :: List<String>
  note :: Option<String>
end deriving(Json)

fn field(text :: String, i :: Int) -> String = Json.get(text, "${i}")

fn fields(text :: String) -> List<String> do
  let n = case String.to_int(Json.get(text, "n")) do
    Some(x) -> x
    None -> 0
  end
  for i in 0..n do field(text, i) end
end

fn to_int(s :: String) -> Int do
  case String.to_int(s) do
    Some(x) -> x
    None -> 0
  end
end

fn to_float(s :: String) -> Float do
  case String.to_float(s) do
    Some(x) -> x
    None -> 0.0
  end
end

fn str_map(xs :: List<String>, acc :: Map<String, Int>) -> Map<String, Int> do
  case xs do
    k :: v :: rest -> str_map(rest, Map.put(acc, k, to_int(v)))
    _ -> acc
  end
end

fn rec_of(xs :: List<String>) -> Rec do
  let note = if List.get(xs, 3) == "-" do
    None
  else
    Some(List.get(xs, 3))
  end
  Rec { name: List.get(xs, 0), count: to_int(List.get(xs, 1)), score: to_float(List.get(xs, 2)), tags: List.drop(xs, 4), note: note }
end

fn encode_rec(r :: Rec) -> String do
  let text = Json.encode(r)
  let back = case Rec.from_json(text) do
    Ok(r2) -> Json.encode(r2)
    Err(e) -> "decode error: ${e}"
  end
  "${text}\t${back}"
end

fn value(kind :: String, xs :: List<String>) -> String do
  if kind == "strs" do
    Json.encode(xs)
  else if kind == "ints" do
    Json.encode(List.map(xs, fn s -> to_int(s) end))
  else if kind == "floats" do
    Json.encode(List.map(xs, fn s -> to_float(s) end))
  else if kind == "map" do
    Json.encode(str_map(xs, Map.new()))
  else if kind == "quoted" do
    String.join(List.map(xs, fn s -> JSON.encode_string(s) end), "\t")
  else if kind == "rec" do
    encode_rec(rec_of(xs))
  else
    "bad kind ${kind}"
  end
end

fn doc(text :: String) -> String do
  case JSON.parse(text) do
    Ok(j) -> again(JSON.encode(j))
    Err(e) -> "parse error: ${e}"
  end
end

fn again(once :: String) -> String do
  case JSON.parse(once) do
    Ok(j) -> "${once}\t${JSON.encode(j)}"
    Err(e) -> "reparse error: ${e}"
  end
end

fn parsed(text :: String) -> Json do
  case JSON.parse(text) do
    Ok(j) -> j
    Err(e) -> parsed(JSON.encode_string(e))
  end
end

fn compare_docs(a :: Json, b :: Json) -> String do
  let keyed = Map.put(Map.new(), a, 1)
  "${a == b} ${a != b} ${Map.has_key(keyed, b)} ${a < b} ${b < a}"
end

fn step(fs :: List<String>) -> String do
  let op = List.head(fs)
  if op == "doc" do
    doc(List.get(fs, 1))
  else if op == "eq" do
    compare_docs(parsed(List.get(fs, 1)), parsed(List.get(fs, 2)))
  else if op == "val" do
    value(List.get(fs, 1), fields(List.get(fs, 2)))
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
  println(step(fs))
  run()
end

fn main() do
  run()
  println("done")
end
