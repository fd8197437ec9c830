# Hibernation: an actor that starts by waiting in a receive, with nothing else of
# its own on its stack, gives its stack back while it waits and later restarts
# from its arguments. None of that may be visible: state (also on the heap)
# survives, queued messages keep their order, an actor function called as a
# plain function keeps its caller, and kills, links and terminate blocks see a
# hibernated actor like any other. (tests/e2e/test_workers.py also runs this with
# MESH_HIBERNATE=0: every such receive that would block hibernates.)

type Cmd do
  Add(Int)
  Report(Pid<String>)
end

type Grade do
  Low(Int)
  High(Int)
  Done
end

# state in arguments, part of it on the heap
actor tally(total :: Int, seen :: List<Int>) do
  receive do
    Add(n) -> tally(total + n, List.append(seen, n))
    Report(to) -> send(to, "tally ${total} from ${List.length(seen)} adds, last ${List.last(seen)}")
  end
end

# only High is wanted first: the Lows wait in the mailbox, in order
actor picky(out :: Pid<String>, highs :: Int) do
  receive do
    High(n) when highs < 2 -> picky(tell(out, "high ${n}"), highs + 1)
    Low(n) when highs >= 2 -> picky(tell(out, "low ${n}"), highs)
    Done when highs >= 2 -> send(out, "picky done")
  end
end

fn tell(out :: Pid<String>, s :: String) -> Pid<String> do
  send(out, s)
  out
end

# `inner` starts with a receive, but here it is called (not spawned) by `outer`,
# which must get control back afterwards
actor inner(out :: Pid<String>, tag :: Int) do
  receive do
    n -> send(out, "inner ${tag} got ${n + 0}")
  end
end

actor outer(out :: Pid<String>, round :: Int) do
  inner(out, round)
  send(out, "outer continues after round ${round}")
  if round < 3 do
    outer(out, round + 1)
  else
    send(out, "outer done")
  end
end

# a first `let` bound to the receive, then more work
actor relay(next :: Pid<Int>) do
  let n = receive do
    k -> k * 2
  end
  send(next, n + 1)
  relay(next)
end

# waits in one of three receives, chosen by pure tests of its arguments
actor phased(out :: Pid<String>, phase :: Int) do
  let next = phase + 1
  if phase == 0 do
    receive do
      n -> phased(tell(out, "phase 0 got ${n + 0}"), next)
    end
  else
    case phase do
      1 -> receive do
        n -> phased(tell(out, "phase 1 got ${n + 0}"), next)
      end
      _ -> receive do
        n -> send(out, "phase ${phase} got ${n + 0}, done")
      end
    end
  end
end

actor sink(out :: Pid<String>, left :: Int, sum :: Int) do
  receive do
    n when left == 1 -> send(out, "sink sum ${sum + n}")
    n -> sink(out, left - 1, sum + n)
  end
end

actor doomed(out :: Pid<String>) do
  receive do
    n -> send(out, "doomed got ${n + 0}")
  end
terminate do
  send(out, "doomed terminate: ${Process.exit_reason()}")
end
end

actor victim() do
  receive do
    n -> println("victim got ${n + 0}")
  end
end

# links itself to `other`, then waits (as a tail call: still the base frame)
actor partner(out :: Pid<String>, other :: Pid<Int>) do
  link(other)
  send(out, "partner linked")
  partner_wait(out)
end

actor partner_wait(out :: Pid<String>) do
  receive do
    n -> partner_wait(tell(out, "partner got ${n + 0}"))
  end
terminate do
  send(out, "partner terminate: ${Process.exit_reason()}")
end
end

# a chain of many waiting actors, each adding its index
actor link_in_chain(prev :: Pid<Int>, i :: Int) do
  receive do
    m -> send(prev, m + i)
  end
end

fn chain(prev :: Pid<Int>, i :: Int, n :: Int) -> Pid<Int> do
  if i > n do
    prev
  else
    chain(spawn(link_in_chain, prev, i), i + 1, n)
  end
end

actor collector(out :: Pid<String>) do
  receive do
    total -> send(out, "chain total ${total}")
  end
end

# prints the next k strings it receives (called as a function by main_actor)
actor echo(k :: Int) do
  if k > 0 do
    receive do
      s -> println(s)
    end
    echo(k - 1)
  end
end

actor main_actor() do
  let me = self()

  let t = spawn(tally, 0, [])
  send(t, Add(5))
  send(t, Add(7))
  Timer.sleep(5)
  send(t, Add(30))
  send(t, Report(me))
  echo(1)

  let p = spawn(picky, me, 0)
  send(p, Low(1))
  send(p, Low(2))
  Timer.sleep(5)
  send(p, High(10))
  send(p, High(20))
  send(p, Done)
  echo(5)

  let o = spawn(outer, me, 1)
  Timer.sleep(5)
  send(o, 100)
  echo(2)
  Timer.sleep(5)
  send(o, 200)
  echo(2)
  send(o, 300)
  echo(3)

  let s = spawn(sink, me, 3, 0)
  let r = spawn(relay, s)
  send(r, 1)
  Timer.sleep(5)
  send(r, 2)
  send(r, 3)
  echo(1)

  let ph = spawn(phased, me, 0)
  send(ph, 10)
  echo(1)
  Timer.sleep(5)
  send(ph, 11)
  send(ph, 12)
  echo(2)

  let d = spawn(doomed, me)
  let dref = Process.monitor(d)
  Timer.sleep(5)
  Process.kill(d)
  echo(1)
  receive do
    Down(ref, _, reason) -> println("doomed down ${ref == dref}: ${reason}")
  end

  let v = spawn(victim)
  let q = spawn(partner, me, v)
  echo(1)
  Timer.sleep(5)
  send(q, 1)
  echo(1)
  Timer.sleep(5)
  Process.exit(v, Shutdown)
  echo(1)

  let c = spawn(collector, me)
  let last = chain(c, 1, 2000)
  Timer.sleep(20)
  send(last, 0)
  echo(1)
  println("expected chain total ${2000 * 2001 / 2}")
end

fn main() do
  spawn(main_actor)
end
