# expect-error: E0018 at 12:12
# expect-message: child `w1` start function must return Pid, found `Int`
actor worker() do
  receive do
    msg -> println("m")
  end
end

supervisor Sup do
  strategy: one_for_one
  child w1 do
    start: fn -> 42 end
    restart: permanent
    shutdown: 5000
  end
end

fn main() do
  let s = spawn(Sup)
  println("x")
end
