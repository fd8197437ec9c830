# A Json value interpolates as its JSON text.
fn main() do
  case JSON.parse("{\"name\": \"mesh\", \"tags\": [1, 2.5, true, null]}") do
    Ok(j) -> println("parsed: ${j}")
    Err(e) -> println("error: ${e}")
  end
end
