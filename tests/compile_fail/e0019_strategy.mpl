# expect-error: E0019 at 10:13
# expect-message: unknown supervision strategy `all_at_once`
actor worker() do
  receive do
    msg -> println("m")
  end
end

supervisor Sup do
  strategy: all_at_once
  child w1 do
    start: fn -> spawn(worker) end
    restart: permanent
    shutdown: 5000
  end
end

fn main() do
  let s = spawn(Sup)
  println("x")
end
