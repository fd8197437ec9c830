# expect-error: E0020 at 13:14
# expect-message: invalid restart type `sometimes` for child `w1`
actor worker() do
  receive do
    msg -> println("m")
  end
end

supervisor Sup do
  strategy: one_for_one
  child w1 do
    start: fn -> spawn(worker) end
    restart: sometimes
    shutdown: 5000
  end
end

fn main() do
  let s = spawn(Sup)
  println("x")
end
