# JSON: parsing with positioned errors, encoders, field lookup, deriving(Json) round trips.
struct Address do
  city :: String
  zip :: Option<String>
end deriving(Json)

struct User do
  name :: String
  age :: Int
  score :: Float
  admin :: Bool
  tags :: List<String>
  limits :: Map<String, Int>
  home :: Address
end deriving(Json)

type Shape do
  Circle(Float)
  Rect(Float, Float)
  Empty
end deriving(Json, Display)

fn show(r :: Result<Json, String>) -> String do
  case r do
    Ok(j) -> "ok " <> JSON.encode(j)
    Err(e) -> "err " <> e
  end
end

fn main() do
  println(show(JSON.parse("{\"a\": [1, 2.5, -3e2, true, null], \"b\": \"x\\u00e9\\n\"}")))
  println(show(JSON.parse("  [ ]  ")))
  println(show(JSON.parse("[1, 2,]")))
  println(show(JSON.parse("{\"a\" 1}")))
  println(show(JSON.parse("[1,\n 2\n x]")))
  println(show(JSON.parse("01")))
  println(show(JSON.parse("\"abc")))
  println(show(JSON.parse("[1] 2")))
  println(JSON.encode_string("say \"hi\"\t\\"))
  println(JSON.encode_int(-42))
  println(JSON.encode_bool(false))
  println(JSON.encode_map(%{"k" => "v", "n" => "m"}))
  println(JSON.encode_list(["a", "b"]))
  println(Json.get("{\"name\": \"Ann\", \"n\": [1, 2]}", "name"))
  println(Json.get("{\"name\": \"Ann\", \"n\": [1, 2]}", "n"))
  println("[${Json.get("not json", "name")}]")
  println(Json.get_nested("{\"a\": {\"b\": 7}}", "a", "b"))
  let u = User { name: "Ann", age: 41, score: 2.0, admin: true, tags: ["x", "y"], limits: %{"cpu" => 2}, home: Address { city: "Oslo", zip: None } }
  let text = Json.encode(u)
  println(text)
  case User.from_json(text) do
    Ok(v) -> println("round trip: ${v.name} ${v.age} ${v.score} ${v.tags} ${v.limits} ${v.home.city} ${v.home.zip}")
    Err(e) -> println("error: ${e}")
  end
  case User.from_json("{\"name\": \"Bo\"}") do
    Ok(_) -> println("unexpected")
    Err(e) -> println("error: ${e}")
  end
  case Address.from_json("{\"city\": 5}") do
    Ok(_) -> println("unexpected")
    Err(e) -> println("error: ${e}")
  end
  case Address.from_json("{\"city\": \"Rome\", \"zip\": \"00100\"}") do
    Ok(a) -> println("zip ${a.zip}")
    Err(e) -> println("error: ${e}")
  end
  let shapes = [Circle(1.5), Rect(2.0, 3.0), Empty]
  for s in shapes do
    let t = Json.encode(s)
    case Shape.from_json(t) do
      Ok(back) -> println("${t} -> ${back}")
      Err(e) -> println("error: ${e}")
    end
  end
  case Shape.from_json("{\"tag\": \"Hexagon\", \"fields\": []}") do
    Ok(_) -> println("unexpected")
    Err(e) -> println("error: ${e}")
  end
end
