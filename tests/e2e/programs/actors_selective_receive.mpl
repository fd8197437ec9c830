# Selective receive: a message no arm accepts stays queued (in order) for a
# later receive; `after` fires when nothing matching arrives; a crashing actor
# does not take down the others; stack overflow kills only the overflowing actor.

type Msg do
  Low(Int)
  High(Int)
  Stop
end

fn deep(n :: Int) -> Int do
  if n == 0 do
    0
  else
    1 + deep(n - 1)
  end
end

actor reporter(left :: Int) do
  receive do
    s when left == 1 -> println(s)
    s -> reporter(report(s, left))
  end
end

fn report(s :: String, left :: Int) -> Int do
  println(s)
  left - 1
end

actor picky(out :: Pid<String>, step :: Int) do
  if step == 0 do
    receive do
      High(n) -> picky(tell(out, "first high ${n}"), 1)
    end
  else
    if step == 1 do
      receive do
        High(n) -> picky(tell(out, "second high ${n}"), 2)
      after 150 -> picky(tell(out, "no more high"), 2)
      end
    else
      receive do
        Low(n) -> picky(tell(out, "low ${n}"), 2)
        High(n) -> picky(tell(out, "late high ${n}"), 2)
        Stop -> send(out, "stopped")
      end
    end
  end
end

fn tell(out :: Pid<String>, s :: String) -> Pid<String> do
  send(out, s)
  out
end

actor silent(out :: Pid<String>) do
  receive do
    n -> send(out, "unexpected ${n + 0}")
  after 5 -> send(out, "after fired")
  end
end

actor crasher(x :: Int) do
  receive do
    n -> println("crasher got ${10 / (n - n)}")
  end
end

actor overflower(x :: Int) do
  receive do
    n -> println("depth ${deep(n)}")
  end
end

fn main() do
  let out = spawn(reporter, 9)
  let p = spawn(picky, out, 0)
  send(p, Low(1))
  send(p, Low(2))
  send(p, High(3))
  send(p, Low(4))
  let s = spawn(silent, out)
  Timer.sleep(400)
  send(p, High(5))
  send(p, Stop)
  Timer.sleep(50)
  let c = spawn(crasher, 0)
  send(c, 1)
  let o = spawn(overflower, 0)
  send(o, 100000000)
  Timer.sleep(50)
  send(out, "still running")
end
