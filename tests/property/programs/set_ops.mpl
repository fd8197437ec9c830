# Set property checker (a template: the test substitutes ELEM with Int or String and supplies
# parse_elem/show_elem). One operation per line, fields separated by tabs; `union`,
# `inter` and `diff` combine the current set with a set built from the line's other fields;
# `snap` keeps the current version alive until `end` prints every kept version again.
fn show_set(s :: Set<ELEM>) -> String do
  let listed = String.join(List.map(Set.to_list(s), fn x -> show_elem(x) end), "\t")
  let walked = String.join(for x in s do show_elem(x) end, "\t")
  "size=${Set.size(s)} to_list=[${listed}] for=[${walked}] shown=${s}"
end

fn build(fs :: List<String>, acc :: Set<ELEM>) -> Set<ELEM> do
  case fs do
    x :: rest -> build(rest, Set.add(acc, parse_elem(x)))
    _ -> acc
  end
end

fn print_snap(i :: Int, s :: Set<ELEM>) -> Int do
  println("snap ${i} ${show_set(s)}")
  0
end

fn check_snaps(snaps :: List<(Int, Set<ELEM>)>) -> Int do
  case snaps do
    (i, s) :: rest -> print_snap(i, s) + check_snaps(rest)
    _ -> 0
  end
end

fn step(fs :: List<String>, s :: Set<ELEM>, n :: Int, snaps :: List<(Int, Set<ELEM>)>) -> Int do
  let op = List.head(fs)
  let args = List.tail(fs)
  if op == "add" do
    run(Set.add(s, parse_elem(List.head(args))), n + 1, snaps)
  else if op == "rem" do
    run(Set.remove(s, parse_elem(List.head(args))), n + 1, snaps)
  else if op == "has" do
    println("has ${Set.contains(s, parse_elem(List.head(args)))}")
    run(s, n + 1, snaps)
  else if op == "show" do
    println(show_set(s))
    run(s, n + 1, snaps)
  else if op == "union" do
    run(Set.union(s, build(args, Set.new())), n + 1, snaps)
  else if op == "inter" do
    run(Set.intersection(s, build(args, Set.new())), n + 1, snaps)
  else if op == "diff" do
    run(Set.difference(s, build(args, Set.new())), n + 1, snaps)
  else if op == "from" do
    run(Set.from_list(List.map(args, fn x -> parse_elem(x) end)), n + 1, snaps)
  else if op == "snap" do
    run(s, n + 1, List.append(snaps, (n, s)))
  else if op == "end" do
    println(show_set(s))
    check_snaps(snaps)
    println("end")
    run(Set.new(), 0, [])
  else
    println("bad op ${op}")
    run(s, n + 1, snaps)
  end
end

fn run(s :: Set<ELEM>, n :: Int, snaps :: List<(Int, Set<ELEM>)>) -> Int do
  case IO.read_line() do
    Ok(line) -> step(String.split(line, "\t"), s, n, snaps)
    Err(_) -> 0
  end
end

fn main() do
  run(Set.new(), 0, [])
  println("done")
end
