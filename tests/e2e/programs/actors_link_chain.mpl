# Exit signals travel along a chain of 2000 linked processes: when the first
# one crashes, every process in the chain ends with the same reason; a
# process outside the chain is untouched. A watcher monitors them all.

actor link_node(prev :: Pid<Int>, watcher :: Pid<Int>) do
  link(prev)
  send(watcher, 1)
  receive do
    n -> println("node got ${n}")
  end
end

actor head() do
  receive do
    n -> println("head got ${10 / (n - n)}")
  end
end

actor bystander() do
  receive do
    n -> println("bystander still alive: ${n}")
  end
end

actor watcher(n :: Int) do
  let first = spawn(head)
  Process.monitor(first)
  build(first, self(), n)
  wait_linked(n)
  let b = spawn(bystander)
  send(first, 1)
  count(n + 1, 0, 0)
  send(b, 42)
end

fn build(prev :: Pid<Int>, me :: Pid<Int>, left :: Int) do
  if left > 0 do
    let p = spawn(link_node, prev, me)
    Process.monitor(p)
    build(p, me, left - 1)
  end
end

actor wait_linked(left :: Int) do
  if left > 0 do
    receive do
      1 -> wait_linked(left - 1)
    end
  end
end

actor count(left :: Int, crashed :: Int, other :: Int) do
  if left > 0 do
    receive do
      Down(_, _, Crashed(msg)) when msg == "division by zero" -> count(left - 1, crashed + 1, other)
      Down(_, _, _) -> count(left - 1, crashed, other + 1)
    end
  else
    println("downs with the head's reason: ${crashed}, other reasons: ${other}")
  end
end

fn main() do
  spawn(watcher, 2000)
end
