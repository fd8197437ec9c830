# 100,000 short-lived actors, spawned in 100 waves while earlier ones already run
# and exit on other workers; each sends its number back. The sum is exact
# only if no message and no process is lost or run twice.

actor leaf(parent :: Pid<Int>, i :: Int) do
  send(parent, i)
end

fn spawn_range(me :: Pid<Int>, i :: Int, n :: Int) -> Int do
  if i > n do
    0
  else
    spawn(leaf, me, i)
    spawn_range(me, i + 1, n)
  end
end

actor summer(wave :: Int, left :: Int, acc :: Int) do
  if left == 0 do
    if wave == 100 do
      println("sum ${acc}")
      println("expected ${100000 * 100001 / 2}")
    else
      spawn_range(self(), wave * 1000 + 1, wave * 1000 + 1000)
      summer(wave + 1, 1000, acc)
    end
  else
    receive do
      n -> summer(wave, left - 1, acc + n)
    end
  end
end

fn main() do
  spawn(summer, 0, 0, 0)
end
