# Calls in tail position reuse the caller's frame even in a default (-O0) build, so mutually
# recursive functions and an actor moving between states run in constant stack space (an
# actor's stack holds a few thousand frames, main's a few million).

fn is_even(n :: Int) -> Bool do
  if n == 0 do
    true
  else
    is_odd(n - 1)
  end
end

fn is_odd(n :: Int) -> Bool do
  if n == 0 do
    false
  else
    is_even(n - 1)
  end
end

fn count_down(n :: Int, acc :: String) -> String do
  case n do
    0 -> acc
    _ -> step(n, acc)
  end
end

fn step(n :: Int, acc :: String) -> String do
  let next = if n % 50000 == 0 do "${acc}." else acc end
  count_down(n - 1, next)
end

# an actor with two states: waiting for work, and a busy state that returns to waiting
actor waiting(done :: Int) do
  receive do
    0 -> println("handled ${done} jobs")
    n -> working(done, n)
  end
end

actor working(done :: Int, job :: Int) do
  waiting(done + job)
end

# runs on an actor's small stack: first the string recursion, then feeding the state machine
actor driver(n :: Int, jobs :: Int) do
  println(count_down(n, "dots: "))
  let w = spawn(waiting, 0)
  for _ in 0..jobs do
    send(w, 1)
  end
  send(w, 0)
end

fn main() do
  println("${is_even(10000001)} ${is_odd(10000001)}")
  spawn(driver, 200000, 30000)
end
