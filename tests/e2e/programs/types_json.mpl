struct Box<T> do
  value :: T
end deriving(Eq, Display, Json)

struct Pair<A, B> do
  first :: A
  second :: B
end deriving(Eq, Json)

type Event do
  Click(Int, Int)
  Key(String)
  Idle
end deriving(Eq, Display, Json)

struct Record do
  id :: Int
  score :: Float
  whole :: Float
  label :: Option<String>
  count :: Option<Int>
  tags :: List<String>
  attrs :: Map<String, Int>
  boxes :: List<Box<Int>>
  nested :: Box<Pair<String, Option<Float>>>
  events :: List<Event>
  ok :: Bool
end deriving(Eq, Json)

fn main() do
  let r = Record {
    id: 7,
    score: 2.5,
    whole: 3.0,
    label: None,
    count: Some(4),
    tags: ["a", "b"],
    attrs: %{"x" => 1},
    boxes: [Box { value: 1 }, Box { value: 2 }],
    nested: Box { value: Pair { first: "p", second: Some(0.5) } },
    events: [Click(1, 2), Key("q"), Idle],
    ok: true
  }
  let text = Json.encode(r)
  println(text)
  case Record.from_json(text) do
    Ok(back) -> println("round trip equal: ${back == r}")
    Err(e) -> println("error: ${e}")
  end
  case Box.from_json("{\"value\": 5}") do
    Ok(b) -> println("box ${b.value + 1}")
    Err(e) -> println("error: ${e}")
  end
  case Record.from_json("{\"id\": \"seven\"}") do
    Ok(_) -> println("unexpected")
    Err(_) -> println("bad record rejected")
  end
  case Record.from_json("not json") do
    Ok(_) -> println("unexpected")
    Err(_) -> println("parse error rejected")
  end
  println(Json.encode(Pair { first: Key("z"), second: [Idle] }))
end
