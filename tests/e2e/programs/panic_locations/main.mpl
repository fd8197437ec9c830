# Each worker fails in a different place; every panic names the file, line and column
# of the operation that failed, and the others keep running.
import Checks

actor worker(which :: Int, parent :: Pid) do
  case which do
    1 -> send(parent, Checks.first([]))
    2 -> send(parent, Checks.ratio(7, which - 2))
    3 -> send(parent, List.length(List.map([1, 2, 3], fn x -> 12 % (x - 2) end)))
    _ -> send(parent, List.get([10, 20], which))
  end
end

fn is_crash(reason :: ExitReason) -> Int do
  case reason do
    Crashed(_) -> 1
    _ -> 0
  end
end

# Started with pending = -1: spawns and monitors the workers, then counts their Down notices.
actor boss(pending :: Int, crashed :: Int) do
  if pending < 0 do
    let me = self()
    List.map([1, 2, 3, 4], fn w -> Process.monitor(spawn(worker, w, me)) end)
    boss(4, 0)
  else
    if pending == 0 do
      println("crashed: ${crashed}")
    else
      receive do
        Down(_, _, reason) -> boss(pending - 1, crashed + is_crash(reason))
      end
    end
  end
end

fn main() do
  println("main is fine")
  spawn(boss, -1, 0)
end
