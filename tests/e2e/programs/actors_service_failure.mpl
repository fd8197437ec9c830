# Service calls that fail: a call to a server that is not running, a call whose
# server crashes while handling it, and a call that times out each make only
# the caller crash, with a clear reason a monitor sees; the server of the
# timed-out call keeps running, and its late reply is dropped. `try_<call>`
# returns Err(reason) instead of crashing.

service Calc do
  fn init() -> Int do
    0
  end

  call Div(n :: Int) :: Int do |st|
    (st, 100 / n)
  end

  call Slow(ms :: Int) :: Int do |st|
    Timer.sleep(ms)
    (st + 1, st + 1)
  end

  call Count() :: Int do |st|
    (st, st)
  end
end

# waits for "go" so that the tester's monitor is in place before it can fail
actor caller(server :: Pid, what :: Int, out :: Pid<String>) do
  receive do
    "go" -> call_it(server, what, out)
  end
end

fn call_it(server :: Pid, what :: Int, out :: Pid<String>) do
  if what == 2 do
    Process.set_call_timeout(50)
  end
  if what == 0 do
    send(out, "got ${Calc.div(server, 0)}")
  else
    if what == 1 do
      send(out, "got ${Calc.div(server, 5)}")
    else
      send(out, "got ${Calc.slow(server, 300)}")
    end
  end
end

actor tester() do
  let me = self()
  let s = Calc.start()
  println("div ok: ${Calc.div(s, 4)}")
  # the server crashes while handling the call: only the caller fails with it
  let c1 = spawn(caller, s, 0, me)
  let r1 = Process.monitor(c1)
  send(c1, "go")
  receive do
    Down(ref, _, reason) when ref == r1 -> println("caller 1: ${reason}")
  end
  # the server is gone now: a later call fails at once
  let c2 = spawn(caller, s, 1, me)
  let r2 = Process.monitor(c2)
  send(c2, "go")
  receive do
    Down(ref, _, reason) when ref == r2 -> println("caller 2: ${reason}")
  end
  # a call that times out
  let t = Calc.start()
  let c3 = spawn(caller, t, 2, me)
  let r3 = Process.monitor(c3)
  send(c3, "go")
  receive do
    Down(ref, _, reason) when ref == r3 -> println("caller 3: ${reason}")
  end
  # the server finished the slow call later and still serves others
  println("server still counts: ${Calc.count(t)}")
  # the non-crashing form returns a Result instead
  println("try_count: ${Calc.try_count(t)}")
  println("try_div on the dead server: ${Calc.try_div(s, 1)}")
  receive do
    m -> println("unexpected message ${m}")
  after 0 -> println("no stray message")
  end
end

fn main() do
  spawn(tester)
end
