# expect-error: E0021 at 14:15
# expect-message: invalid shutdown value `whenever` for child `w1`
actor worker() do
  receive do
    msg -> println("m")
  end
end

supervisor Sup do
  strategy: one_for_one
  child w1 do
    start: fn -> spawn(worker) end
    restart: permanent
    shutdown: whenever
  end
end

fn main() do
  let s = spawn(Sup)
  println("x")
end
