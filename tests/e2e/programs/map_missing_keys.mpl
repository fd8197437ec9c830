# Map.get keeps the reference's 0 for a missing scalar value; a missing String value is a clean
# panic instead of a crash, and Map.lookup returns an Option.
fn show(o :: Option<String>) -> String do
  case o do
    Some(s) -> s
    None -> "missing"
  end
end

fn main() do
  let counts = %{"a" => 1}
  println("${Map.get(counts, "a")} ${Map.get(counts, "zzz")}")
  let names = %{1 => "one"}
  println(Map.get(names, 1))
  println(show(Map.lookup(names, 1)))
  println(show(names |> Map.lookup(2)))
  println(Map.get(names, 2))
end
