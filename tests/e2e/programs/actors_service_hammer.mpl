# 100 actors hammer one counter service with calls and casts while each also
# registers a name of its own; the totals are exact only if every request is
# delivered and served once, whatever worker each actor runs on.

service Counter do
  fn init(start :: Int) -> Int do
    start
  end

  call Add(k :: Int) :: Int do |state|
    (state + k, state + k)
  end

  cast Bump() do |state|
    state + 1000
  end

  call Get() :: Int do |state|
    (state, state)
  end
end

fn hammer(counter, i :: Int, left :: Int) -> Int do
  if left <= 0 do
    0
  else
    Counter.add(counter, 1)
    if left % 50 == 0 do
      Counter.bump(counter)
    end
    hammer(counter, i, left - 1)
  end
end

actor client(main :: Pid<Int>, counter, i :: Int) do
  let code = Process.register("client${i}", self())
  hammer(counter, i, 200)
  send(main, 1 - code)
end

fn start(main :: Pid<Int>, counter, i :: Int) -> Int do
  if i >= 100 do
    0
  else
    spawn(client, main, counter, i)
    start(main, counter, i + 1)
  end
end

actor coordinator(counter, left :: Int, registered :: Int) do
  if left == 0 do
    println("registered ${registered}")
    println("total ${Counter.get(counter)}")
  else
    receive do
      n -> coordinator(counter, left - 1, registered + n)
    end
  end
end

fn main() do
  let counter = Counter.start(0)
  let c = spawn(coordinator, counter, 100, 0)
  start(c, counter, 0)
end
