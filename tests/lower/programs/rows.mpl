struct Account do
  owner :: String
  balance :: Int
  rate :: Float
  open :: Bool
  note :: Option<String>
  limit :: Option<Int>
end deriving(Row)

fn describe(r :: Map<String, String>) -> String do
  case Account.from_row(r) do
    Ok(a) -> a.owner <> " ${a.balance} ${a.rate} ${a.open} " <> show_note(a.note) <> " " <> show_limit(a.limit)
    Err(e) -> "error: " <> e
  end
end

fn show_note(n :: Option<String>) -> String do
  case n do
    Some(s) -> s
    None -> "-"
  end
end

fn show_limit(n :: Option<Int>) -> String do
  case n do
    Some(v) -> "${v}"
    None -> "-"
  end
end

fn main() do
  let base = %{"owner" => "ann", "balance" => " 12 ", "rate" => "0.5", "open" => "yes", "note" => ""}
  println(describe(base))
  println(describe(Map.put(base, "limit", "300")))
  println(describe(Map.put(base, "open", "maybe")))
  println(describe(Map.put(base, "balance", "x1")))
  println(describe(Map.delete(base, "rate")))
end
