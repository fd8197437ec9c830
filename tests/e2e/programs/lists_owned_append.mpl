# Lists built by appending in loops: the compiler lets such a loop extend its
# own list in place (toolchain/lower/linear.py), and nothing else may notice.
# Lists that came from elsewhere, versions kept on the side, and lists sent to
# other processes stay exactly as they were.

fn build(xs :: List<Int>, i :: Int, n :: Int) -> List<Int> do
  if i >= n do
    xs
  else
    build(List.append(xs, i * i), i + 1, n)
  end
end

# every second version is kept in `keep`
fn snapshots(xs :: List<Int>, keep :: List<List<Int>>, i :: Int) -> List<List<Int>> do
  if i == 0 do
    List.append(keep, xs)
  else
    let next = List.append(xs, i)
    if i % 2 == 0 do
      snapshots(next, List.append(keep, xs), i - 1)
    else
      snapshots(next, keep, i - 1)
    end
  end
end

# reads of the growing list inside the loop
fn running(xs :: List<Int>, i :: Int) -> List<Int> do
  if i == 0 do
    xs
  else
    let last = if List.length(xs) == 0 do 0 else List.last(xs) end
    running(List.append(xs, last + List.length(xs)), i - 1)
  end
end

# each list it gets is one longer than the one before: a list changed after it
# was sent would show up in the lengths or the last list
actor summer(left :: Int, lengths :: Int) do
  receive do
    xs when left == 1 -> println("summer: lengths ${lengths + List.length(xs)}, last ${xs}")
    xs -> summer(left - 1, lengths + List.length(xs))
  end
end

fn send_each(to :: Pid<List<Int>>, xs :: List<Int>, i :: Int) -> List<Int> do
  if i == 0 do
    xs
  else
    let ys = List.append(xs, i)
    send(to, ys)
    send_each(to, ys, i - 1)
  end
end

fn main() do
  let big = build([], 0, 100000)
  println("big: ${List.length(big)} items, last ${List.last(big)}, get(500) ${List.get(big, 500)}")

  let base = [1, 2, 3]
  let grown = build(base, 0, 5)
  let grown2 = build(base, 10, 13)
  println("base ${base}")
  println("grown ${grown}")
  println("grown2 ${grown2}")

  let prefix = List.take(grown, 4)
  let from_prefix = build(prefix, 7, 9)
  println("prefix ${prefix}, from it ${from_prefix}, grown still ${grown}")

  println("snapshots ${snapshots([], [], 5)}")
  println("running ${running([], 8)}")

  let doubled = for x in big when x % 2 == 0 do x end
  println("doubled: ${List.length(doubled)}")

  let s = spawn(summer, 6, 0)
  let sent = send_each(s, [], 5)
  println("sent list ${sent}")
  send(s, sent)
end
