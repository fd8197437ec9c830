# Process.exit(self(), reason) ends the caller at once, with that reason -- Normal included,
# as erlang:exit(self(), normal) does -- while Normal sent to another process is ignored.
# A normal end does not take linked processes down; a trapping process sees it as Exit.

actor quitter(reason :: ExitReason) do
  println("quitter ${reason} starts")
  Process.exit(self(), reason)
  println("quitter ${reason} still running (wrong)")
end

actor sleeper() do
  receive do
    n -> println("sleeper got ${n}")
  end
end

actor partner(parent :: Pid) do
  let q = spawn(quitter, Normal)
  link(q)
  Timer.sleep(30)
  send(parent, 1)
end

actor trapper() do
  Process.trap_exit(true)
  let q = spawn(quitter, Normal)
  link(q)
  receive do
    Exit(pid, reason) -> println("trapper: Exit from the quitter: ${pid == q}, ${reason}")
  end
end

actor main_actor() do
  let q = spawn(quitter, Normal)
  let r = Process.monitor(q)
  receive do
    Down(ref, _, reason) -> println("Down ${ref == r}: ${reason}")
  end
  let s = spawn(quitter, Shutdown)
  Process.monitor(s)
  receive do
    Down(_, _, reason) -> println("Down: ${reason}")
  end
  let z = spawn(sleeper)
  Process.exit(z, Normal)
  send(z, 7)
  Timer.sleep(20)
  spawn(partner, self())
  receive do
    n -> println("the partner survived its normal-ending link: ${n + 0}")
  end
  spawn(trapper)
end

fn main() do
  spawn(main_actor)
end
