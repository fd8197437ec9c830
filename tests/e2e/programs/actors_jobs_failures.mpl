# Jobs: Job.async runs a function in its own process; Job.await gives its Result. A job that
# crashes gives Err with the panic message, a job killed while awaited wakes its awaiter at
# once with an Err, and await_timeout gives up after the given milliseconds.

fn slow(ms :: Int) -> Int do
  Timer.sleep(ms)
  ms
end

fn broken(n :: Int) -> Int do
  10 / n
end

actor killer(target :: Pid, after_ms :: Int) do
  Timer.sleep(after_ms)
  Process.kill(target)
end

fn show(r :: Result<Int, String>) -> String do
  case r do
    Ok(v) -> "Ok(${v})"
    Err(e) -> "Err(${e})"
  end
end

fn main() do
  let a = Job.async(fn -> slow(10) end)
  println("fast job: ${show(Job.await(a))}")
  let b = Job.async(fn -> broken(0) end)
  println("crashing job: ${show(Job.await(b))}")
  let c = Job.async(fn -> slow(60000) end)
  spawn(killer, c, 20)
  println("killed job: ${show(Job.await(c))}")
  let d = Job.async(fn -> slow(60000) end)
  println("impatient: ${show(Job.await_timeout(d, 30))}")
  Process.kill(d)
end
