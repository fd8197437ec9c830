# Json values compare by structure: ==, as Map keys and Set elements, and in order with < / >.
fn parsed(text :: String) -> Json do
  case JSON.parse(text) do
    Ok(j) -> j
    Err(e) -> parsed(JSON.encode_string(e))
  end
end

struct Tagged do
  doc :: Json
  n :: Int
end deriving(Eq, Hash, Display)

fn nest(s :: String, n :: Int) -> String = if n == 0 do s else nest("[" <> s <> "]", n - 1) end

fn order(a :: Json, b :: Json) -> Int do
  if a < b do
    0 - 1
  else if b < a do
    1
  else
    0
  end
end

fn main() do
  let a = parsed("{\"name\": \"Ada\", \"tags\": [1, 2.5, null], \"ok\": true}")
  let b = parsed("{\"ok\":true,\"tags\":[1,2.5,null],\"name\":\"Ada\"}")
  let c = parsed("{\"ok\":true,\"tags\":[1,2.5,null],\"name\":\"Bob\"}")
  println("${a == b} ${a != b} ${a == c} ${a != c}")
  println("${parsed("1") == parsed("1.0")} ${parsed("0.0") == parsed("-0.0")} ${parsed("[1, 2]") == parsed("[2, 1]")}")
  println("${parsed("{\"k\": 1, \"k\": 2}") == parsed("{\"k\": 2}")} ${parsed("{\"k\": 1, \"k\": 2}") == parsed("{\"k\": 1}")}")
  let seen = Map.put(Map.put(Map.new(), a, "first"), c, "second")
  println("${Map.size(Map.put(seen, b, "again"))} ${Map.get(seen, b)} ${Map.has_key(seen, parsed("{}"))}")
  let uniq = Set.from_list([parsed("[1]"), parsed(" [ 1 ] "), parsed("[1.0]"), parsed("\"x\""), parsed("\"x\"")])
  println("${Set.size(uniq)} ${uniq}")
  let docs = [parsed("[2]"), parsed("\"b\""), parsed("null"), parsed("{\"a\": 1}"), parsed("1.5"), parsed("true"), parsed("[1, 9]"), parsed("\"a\""), parsed("3"), parsed("false"), parsed("[1]")]
  println("${List.sort(docs, fn x, y -> order(x, y) end)}")
  let deep1 = parsed(nest("1", 5000))
  let deep2 = parsed(nest("2", 5000))
  println("${deep1 == deep2} ${deep1 == parsed(nest("1", 5000))} ${deep1 < deep2}")
  println("${Map.has_key(Map.put(Map.new(), deep1, 0), parsed(nest("1", 5000)))} ${Map.has_key(Map.put(Map.new(), deep1, 0), deep2)}")
  let t1 = Tagged { doc: parsed("{\"x\": [1]}"), n: 1 }
  let t2 = Tagged { doc: parsed("{ \"x\" : [1] }"), n: 1 }
  println("${t1 == t2} ${Map.has_key(Map.put(Map.new(), t1, 0), t2)} ${(parsed("2"), 1) == (parsed("2.0"), 1)} ${Some(parsed("3")) == Some(parsed("3"))} ${t1}")
end
