# File round trips. Each line is a JSON object {"path": P, "a": A, "b": B}: writes A to P,
# appends B, reads it back, deletes it, and prints the text read (as a JSON string) with
# exists-before/after flags and String.length of what was read.
fn field(text :: String, key :: String) -> String = Json.get(text, key)

fn report(path :: String, a :: String, b :: String) -> String do
  let wrote = case File.write(path, a) do
    Ok(_) -> "ok"
    Err(e) -> "write error ${e}"
  end
  let appended = case File.append(path, b) do
    Ok(_) -> "ok"
    Err(e) -> "append error ${e}"
  end
  let exists = File.exists(path)
  let back = case File.read(path) do
    Ok(text) -> "${JSON.encode_string(text)} ${String.length(text)}"
    Err(e) -> "read error ${e}"
  end
  let deleted = case File.delete(path) do
    Ok(_) -> "ok"
    Err(e) -> "delete error ${e}"
  end
  "${wrote} ${appended} ${exists} ${deleted} ${File.exists(path)} ${back}"
end

fn run() -> Int do
  case IO.read_line() do
    Ok(line) -> next(line)
    Err(_) -> 0
  end
end

fn next(line :: String) -> Int do
  println(report(field(line, "path"), field(line, "a"), field(line, "b")))
  run()
end

fn main() do
  run()
  println("done")
end
