# Monitors: Process.monitor(pid) returns a reference; when the process ends the
# monitoring actor receives Down(ref, pid, reason) in a receive arm (system
# notifications are matched only by Down/Exit arms). demonitor removes a monitor
# (0, or 1 for an unknown reference) and drops its Down if already delivered; a
# dead pid gives Down(.., Noproc) at once.

actor victim() do
  receive do
    0 -> println("victim ends normally")
    n -> println("victim got ${10 / (n - n)}")
  end
end

fn describe(reason :: ExitReason) -> String do
  case reason do
    Crashed(msg) -> "crashed with '${msg}'"
    Normal -> "normal"
    other -> "other: ${other}"
  end
end

actor watcher() do
  let a = spawn(victim)
  let r1 = Process.monitor(a)
  let r2 = Process.monitor(a)
  println("refs differ: ${r1 != r2}")
  println("demonitor r1: ${Process.demonitor(r1)}")
  println("demonitor r1 again: ${Process.demonitor(r1)}")
  send(a, 1)
  receive do
    Down(ref, pid, reason) -> println("down r2=${ref == r2} pid=${pid == a} reason=${reason} (${describe(reason)})")
  end
  receive do
    Down(ref, _, _) -> println("unexpected down ${ref}")
  after 0 -> println("no Down for the removed monitor")
  end
  let r3 = Process.monitor(a)
  receive do
    Down(ref, _, Noproc) -> println("dead pid: Noproc at once, r3=${ref == r3}")
  end
  let c = spawn(victim)
  let r5 = Process.monitor(c)
  let r6 = Process.monitor(c)
  send(c, 2)
  receive do
    Down(ref, _, _) when ref == r6 -> println("r6 fired")
  end
  println("demonitor r5 after its Down was delivered: ${Process.demonitor(r5)}")
  receive do
    Down(ref, _, _) -> println("unexpected down ${ref}")
  after 0 -> println("its undelivered Down was dropped")
  end
  let b = spawn(victim)
  let r4 = Process.monitor(b)
  send(b, 0)
  receive do
    Down(ref, _, reason) when ref == r4 -> println("normal end: ${describe(reason)}")
  end
end

# or-patterns of Down and Exit arms (`as` binds the whole notification)
actor either() do
  Process.trap_exit(true)
  let b = spawn(victim)
  link(b)
  Process.monitor(b)
  send(b, 5)
  receive do
    Down(_, _, reason) | Exit(_, reason) -> println("either, first: ${reason}")
  end
  receive do
    Down(_, _, _) | Exit(_, _) as sig -> println("either, second is a Down: ${is_down(sig)}")
  end
end

fn is_down(s :: Signal) -> Bool do
  case s do
    Down(_, _, _) -> true
    Exit(_, _) -> false
  end
end

# runs the watcher, then (once it has ended) the or-pattern case
actor first() do
  Process.monitor(spawn(watcher))
  receive do
    Down(_, _, _) -> spawn(either)
  end
end

fn main() do
  spawn(first)
end
