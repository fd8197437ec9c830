# Float display checker. Each line is `f<TAB><text>` (a Float parsed with String.to_float) or
# `i<TAB><int>` (an Int converted with Int.to_float); prints the Float as interpolation,
# String.from, inside a list and as JSON, separated by tabs. `t<TAB><text>` prints the Float's
# conversions to Int instead: Float.to_int, Math.floor, Math.ceil, Math.round.
fn show(x :: Float) -> String do
  "${x}\t${String.from(x)}\t${[x]}\t${Json.encode([x])}"
end

fn step(fs :: List<String>) -> String do
  let kind = List.head(fs)
  let text = List.get(fs, 1)
  if kind == "t" do
    case String.to_float(text) do
      Some(x) -> "${Float.to_int(x)} ${Math.floor(x)} ${Math.ceil(x)} ${Math.round(x)}"
      None -> "no float in ${text}"
    end
  else if kind == "f" do
    case String.to_float(text) do
      Some(x) -> show(x)
      None -> "no float in ${text}"
    end
  else
    case String.to_int(text) do
      Some(n) -> show(Int.to_float(n))
      None -> "no int in ${text}"
    end
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
