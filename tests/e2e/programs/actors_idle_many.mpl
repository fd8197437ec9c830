# 100,000 actors blocked in receive at once (each holds a stack and a heap).
# Then the last one spawned gets a running sum; each adds its own number and
# passes it on to the one spawned before it, the first one back to the
# driver. The sum is exact only if every actor was still there, woken once,
# and none had its stack or heap handed to another process while it waited.

actor idler(prev :: Pid<Int>, i :: Int) do
  receive do
    m -> send(prev, m + i)
  end
end

fn spawn_chain(prev :: Pid<Int>, i :: Int, n :: Int) -> Pid<Int> do
  if i > n do
    prev
  else
    spawn_chain(spawn(idler, prev, i), i + 1, n)
  end
end

actor driver(n :: Int) do
  let last = spawn_chain(self(), 1, n)
  Timer.sleep(50)
  send(last, 0)
  receive do
    total -> println("sum ${total}, expected ${n * (n + 1) / 2}")
  end
end

fn main() do
  spawn(driver, 100000)
end
