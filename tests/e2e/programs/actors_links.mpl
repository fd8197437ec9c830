# Links and exit signals: an abnormal end kills the linked processes (with the
# same reason) unless they trap exits; a process trapping exits receives
# Exit(pid, reason) and keeps running; Process.kill cannot be trapped; a normal
# end never kills its links; Process.exit(pid, reason) sends an exit signal;
# a terminate block sees the reason with Process.exit_reason().

actor bomb() do
  receive do
    0 -> println("bomb ends normally")
    n -> println("bomb got ${10 / (n - n)}")
  end
terminate do
  println("bomb terminate: ${Process.exit_reason()}")
end
end

# links to `partner`, then answers pings until told to stop
actor linked_server(partner :: Pid<Int>, out :: Pid<String>, started :: Bool) do
  if !started do
    link(partner)
    send(out, "linked")
  end
  receive do
    "stop" -> send(out, "server stops")
    s -> linked_server(partner, tell(out, "pong ${s}"), true)
  end
end

fn tell(out :: Pid<String>, s :: String) -> Pid<String> do
  send(out, s)
  out
end

actor trapper(out :: Pid<String>) do
  println("trap_exit was ${Process.trap_exit(true)}")
  let b = spawn(bomb)
  link(b)
  send(b, 1)
  receive do
    Exit(pid, reason) -> println("trapper got Exit from bomb=${pid == b}: ${reason}")
  end
  let c = spawn(bomb)
  link(c)
  send(c, 0)
  receive do
    Exit(pid, reason) -> println("trapper got Exit from the normal end: ${reason}, pid ok=${pid == c}")
  end
  send(out, "trapper still running")
  receive do
    Exit(_, reason) -> println("trapper got Exit ${reason}")
  end
  send(out, "trapper still running after exit(Shutdown)")
  receive do
    "never" -> println("never")
  end
terminate do
  println("trapper terminate: ${Process.exit_reason()}")
end
end

actor tester() do
  let me = self()
  # a linked non-trapping process dies with its partner; an unrelated one keeps running
  let b = spawn(bomb)
  let p = spawn(linked_server, b, me, false)
  let u = spawn(linked_server, spawn(bomb), me, false)
  receive do
    "linked" -> println("p linked")
  end
  receive do
    "linked" -> println("u linked")
  end
  let rp = Process.monitor(p)
  send(b, 1)
  receive do
    Down(ref, _, reason) when ref == rp -> println("partner died with its link: ${reason}")
  end
  send(u, "u")
  receive do
    "pong u" -> println("unrelated still answers")
  end
  # a normal end of a link does not kill
  let n = spawn(bomb)
  let q = spawn(linked_server, n, me, false)
  receive do
    "linked" -> println("q linked")
  end
  let rn = Process.monitor(n)
  send(n, 0)
  receive do
    Down(ref, _, reason) when ref == rn -> println("link ended: ${reason}")
  end
  send(q, "q")
  receive do
    "pong q" -> println("q still answers")
  end
  # trapping exits
  let t = spawn(trapper, me)
  receive do
    "trapper still running" -> println("trapper still running")
  end
  let rt = Process.monitor(t)
  Process.exit(t, Shutdown)
  receive do
    "trapper still running after exit(Shutdown)" -> println("trapper survived exit(Shutdown)")
  end
  Process.kill(t)
  receive do
    Down(ref, _, reason) when ref == rt -> println("trapper killed: ${reason}")
  end
  # exit(pid, reason) ends a process that does not trap, with that reason
  let rq = Process.monitor(q)
  Process.exit(q, Crashed("told to"))
  receive do
    Down(ref, _, reason) when ref == rq -> println("q ended: ${reason}")
  end
  # Normal is ignored by a process that does not trap
  Process.exit(u, Normal)
  send(u, "stop")
  receive do
    "server stops" -> println("u stopped when asked")
  end
end

fn main() do
  spawn(tester)
end
