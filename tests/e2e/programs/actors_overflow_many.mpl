# An actor whose two states call each other outside tail position (the `println` after the
# receive) grows its stack with every message until it overflows, while main keeps sending.
# The deepest frames are often runtime code (receiving, freeing messages), so an overflow
# caught only by the guard page could strike inside the allocator or under a lock and hang
# the program (it did, with an earlier runtime). Compiled code checks its stack limit first:
# the overflow ends only the actor, with a clean panic, and the program finishes.

actor idle(count :: Int) do
  receive do
    0 -> println("idle done after ${count}")
    n -> busy(count + n)
  end
  println("unwinding ${count}")
end

actor busy(count :: Int) do
  idle(count + 1)
end

actor survivor(n :: Int) do
  Timer.sleep(50)
  println("survivor: ${n}")
end

fn main() do
  let p = spawn(idle, 0)
  for _ in 0..20000 do
    send(p, 1)
  end
  send(p, 0)
  println("main done")
  spawn(survivor, 42)
end
