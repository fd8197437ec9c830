# Selective receive and system notifications: a receive takes the first message
# in arrival order that one of its arms accepts; Down/Exit notifications are
# only accepted by Down/Exit arms, and stay queued, in order, for a later
# receive that wants them (exactly like user messages no arm wants).

actor ender() do
  receive do
    0 -> println("ender ends")
    n -> println("ender got ${10 / (n - n)}")
  end
end

actor sink(driver :: Pid<String>, x :: Pid<Int>, y :: Pid<Int>) do
  Process.trap_exit(true)
  let rx = Process.monitor(x)
  link(y)
  send(driver, "ready")
  receive do
    "go" -> println("go (taken past everything queued before it)")
  end
  receive do
    Exit(_, reason) -> println("1: Exit ${reason}")
    s -> println("1: user ${s}")
  end
  receive do
    Exit(pid, reason) -> println("2: Exit from y=${pid == y}: ${reason}")
  end
  receive do
    Down(ref, _, reason) -> println("3: Down from x=${ref == rx}: ${reason}")
    s -> println("3: user ${s}")
  end
  receive do
    Down(_, _, reason) -> println("4: Down ${reason}")
    s -> println("4: user ${s}")
  end
  receive do
    s -> println("5: user ${s}")
  after 0 -> println("5: nothing left")
  end
  receive do
    Exit(_, _) -> println("6: unexpected Exit")
    Down(_, _, _) -> println("6: unexpected Down")
  after 0 -> println("6: no notification left")
  end
end

actor driver() do
  let x = spawn(ender)
  let y = spawn(ender)
  let s = spawn(sink, self(), x, y)
  receive do
    "ready" -> println("sink ready")
  end
  send(s, "a")
  let rx = Process.monitor(x)
  send(x, 0)
  receive do
    Down(ref, _, _) when ref == rx -> send(s, "b")
  end
  let ry = Process.monitor(y)
  send(y, 1)
  receive do
    Down(ref, _, _) when ref == ry -> send(s, "c")
  end
  send(s, "go")
end

fn main() do
  spawn(driver)
end
