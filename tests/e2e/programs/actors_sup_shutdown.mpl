# Supervisor shutdown: stopping a child sends it exit(Shutdown); a child that
# traps exits gets Exit(supervisor, Shutdown) and `shutdown:` ms to end, then
# is killed. Stopping a supervisor stops its subtree (nested supervisors too).
# Every child reports to the observer, which takes the reports in a fixed order
# with selective receive.

fn note(s :: String) do
  send(Process.whereis("observer"), s)
end

actor crasher() do
  Process.register("crasher", self())
  note("crasher up")
  receive do
    n -> println("crasher got ${10 / (n - n)}")
  end
end

actor polite(name :: String) do
  Process.trap_exit(true)
  note("${name} up")
  receive do
    Exit(_, reason) -> note("${name} got ${reason}, cleaning up")
  end
end

actor stubborn() do
  Process.trap_exit(true)
  Process.register("stubborn", self())
  note("stubborn up")
  receive do
    Exit(_, reason) -> note("stubborn ignores ${reason}")
  end
  receive do
    "never" -> note("never")
  end
end

supervisor Team do
  strategy: one_for_all
  max_restarts: 1
  max_seconds: 5

  child a do
    start: fn -> spawn(crasher) end
    restart: permanent
    shutdown: 1000
  end

  child b do
    start: fn -> spawn(polite, "polite") end
    restart: permanent
    shutdown: 1000
  end

  child c do
    start: fn -> spawn(stubborn) end
    restart: permanent
    shutdown: 100
  end
end

supervisor Inner do
  strategy: one_for_one

  child w do
    start: fn -> spawn(polite, "inner worker") end
    restart: permanent
    shutdown: 1000
  end
end

supervisor Outer do
  strategy: one_for_one

  child inner do
    start: fn -> spawn(Inner) end
    restart: permanent
    shutdown: 5000
  end
end

actor observer() do
  Process.register("observer", self())
  let team = spawn(Team)
  receive do
    "crasher up" -> println("crasher up")
  end
  receive do
    "polite up" -> println("polite up")
  end
  receive do
    "stubborn up" -> println("stubborn up")
  end
  let rs = Process.monitor(Process.whereis("stubborn"))
  send(Process.whereis("crasher"), 1)
  # one_for_all: the others are stopped in reverse start order, then all restart
  receive do
    "stubborn ignores Shutdown" -> println("stubborn ignores Shutdown")
  end
  receive do
    Down(ref, _, reason) when ref == rs -> println("stubborn ended after its shutdown time: ${reason}")
  end
  receive do
    "polite got Shutdown, cleaning up" -> println("polite got Shutdown, cleaning up")
  end
  receive do
    "crasher up" -> println("crasher restarted")
  end
  receive do
    "polite up" -> println("polite restarted")
  end
  receive do
    "stubborn up" -> println("stubborn restarted")
  end
  # stopping a supervisor stops its subtree
  let outer = spawn(Outer)
  receive do
    "inner worker up" -> println("inner worker up")
  end
  let ro = Process.monitor(outer)
  Process.exit(outer, Shutdown)
  receive do
    "inner worker got Shutdown, cleaning up" -> println("inner worker got Shutdown, cleaning up")
  end
  receive do
    Down(ref, _, reason) when ref == ro -> println("outer ended: ${reason}")
  end
  let rt = Process.monitor(team)
  Process.exit(team, Shutdown)
  receive do
    Down(ref, _, reason) when ref == rt -> println("team ended: ${reason}")
  end
  receive do
    "stubborn ignores Shutdown" -> println("stubborn ignored it again")
  end
  receive do
    "polite got Shutdown, cleaning up" -> println("polite cleaned up again")
  end
end

fn main() do
  spawn(observer)
end
