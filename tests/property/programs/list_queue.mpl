# List and Queue property checker: one operation per line (tab-separated fields) on a current
# List<Int> and a current Queue; `lsnap` / `qsnap` keep the current version, and `end` prints
# every kept version again (persistence) before starting the next case.
fn to_int(s :: String) -> Int do
  case String.to_int(s) do
    Some(x) -> x
    None -> 0
  end
end

fn ints(fs :: List<String>) -> List<Int> = List.map(fs, fn s -> to_int(s) end)

fn show_list(l :: List<Int>) -> String do
  let n = List.length(l)
  let ends = if n == 0 do "-" else "${List.head(l)} ${List.last(l)} ${List.get(l, n / 2)} ${List.nth(l, n - 1)}" end
  let sum = List.reduce(l, 0, fn acc, x -> acc + x end)
  let evens = List.filter(l, fn x -> x % 2 == 0 end)
  let zipped = List.zip(l, List.reverse(l))
  "${n} ${l} ${ends} ${sum} ${List.map(l, fn x -> x * 3 end)} ${evens} ${zipped} ${List.any(l, fn x -> x > 5 end)} ${List.all(l, fn x -> x > 5 end)} ${List.find(l, fn x -> x < 0 end)} ${List.enumerate(List.take(l, 2))} ${List.flat_map(List.take(l, 3), fn x -> [x, 0 - x] end)} ${List.flatten([l, List.drop(l, 1)])}"
end

fn queue_items(q :: Queue, acc :: List<Int>) -> List<Int> do
  if Queue.is_empty(q) do
    acc
  else
    let (x, rest) = Queue.pop(q)
    queue_items(rest, List.append(acc, x))
  end
end

fn show_queue(q :: Queue) -> String = "${Queue.size(q)} ${queue_items(q, [])}"

fn print_kept(ls :: List<List<Int>>, qs :: List<Queue>) -> Int do
  for l in ls do
    println("list ${show_list(l)}")
  end
  for q in qs do
    println("queue ${show_queue(q)}")
  end
  0
end

fn step(fs :: List<String>, l :: List<Int>, q :: Queue, ls :: List<List<Int>>, qs :: List<Queue>) -> Int do
  let op = List.head(fs)
  let args = List.tail(fs)
  if op == "app" do
    run(List.append(l, to_int(List.head(args))), q, ls, qs)
  else if op == "pre" do
    run([to_int(List.head(args))] ++ l, q, ls, qs)
  else if op == "cat" do
    run(List.concat(l, ints(args)), q, ls, qs)
  else if op == "rev" do
    run(List.reverse(l), q, ls, qs)
  else if op == "take" do
    run(List.take(l, to_int(List.head(args))), q, ls, qs)
  else if op == "drop" do
    run(List.drop(l, to_int(List.head(args))), q, ls, qs)
  else if op == "tail" do
    run(if List.length(l) == 0 do l else List.tail(l) end, q, ls, qs)
  else if op == "has" do
    println("has ${List.contains(l, to_int(List.head(args)))}")
    run(l, q, ls, qs)
  else if op == "sort" do
    run(List.sort(l, fn a, b -> a - b end), q, ls, qs)
  else if op == "show" do
    println("list ${show_list(l)}")
    run(l, q, ls, qs)
  else if op == "push" do
    run(l, Queue.push(q, to_int(List.head(args))), ls, qs)
  else if op == "pop" do
    if Queue.is_empty(q) do
      println("pop empty")
      run(l, q, ls, qs)
    else
      let (x, rest) = Queue.pop(q)
      println("pop ${x} ${Queue.peek(q)} ${Queue.size(rest)}")
      run(l, rest, ls, qs)
    end
  else if op == "lsnap" do
    run(l, q, List.append(ls, l), qs)
  else if op == "qsnap" do
    run(l, q, ls, List.append(qs, q))
  else if op == "end" do
    println("list ${show_list(l)}")
    println("queue ${show_queue(q)}")
    print_kept(ls, qs)
    println("end")
    run([], Queue.new(), [], [])
  else
    println("bad op ${op}")
    run(l, q, ls, qs)
  end
end

fn run(l :: List<Int>, q :: Queue, ls :: List<List<Int>>, qs :: List<Queue>) -> Int do
  case IO.read_line() do
    Ok(line) -> step(String.split(line, "\t"), l, q, ls, qs)
    Err(_) -> 0
  end
end

fn main() do
  run([], Queue.new(), [], [])
  println("done")
end
