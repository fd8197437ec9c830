# Process.register / Process.whereis: a name maps to a live process; it is
# free again once that process ends; registering a taken name fails.

actor counter(n :: Int) do
  receive do
    k when k < 0 -> println("counter total ${n}")
    k -> counter(n + k)
  end
end

fn main() do
  let c = spawn(counter, 0)
  println("registered ${Process.register("counter", c)}")
  let w = Process.whereis("counter")
  send(w, 5)
  send(w, 7)
  send(w, -1)
  Timer.sleep(20)
  println("after exit ${Process.register("counter", c)}")
  later()
end

fn later() do
  let d = spawn(counter, 100)
  println("new owner after the old one ended ${Process.register("counter", spawn(counter, 1))}")
  println("taken by a live process ${Process.register("counter", d)}")
  println("still taken ${Process.register("counter", spawn(counter, 2))}")
  send(Process.whereis("counter"), -1)
  Timer.sleep(20)
end
