actor summer(total :: Int, left :: Int, reporter :: Pid<Int>) do
  receive do
    n when left == 1 -> send(reporter, total + n)
    n -> summer(total + n, left - 1, reporter)
  end
end

actor printer(expected :: Int) do
  receive do
    v when v == expected -> println("sum ok ${v}")
    v -> println("sum wrong ${v}")
  after 5000 -> println("timeout")
  end
end

service Counter do
  fn init(start :: Int) -> Int do
    start
  end

  call Add(n :: Int) :: Int do |state|
    (state + n, state + n)
  end

  call Get() :: Int do |state|
    (state, state)
  end

  cast Reset() do |_state|
    0
  end
end

fn main() do
  let c = Counter.start(10)
  println("${Counter.add(c, 5)}")
  println("${Counter.add(c, 7)}")
  Counter.reset(c)
  println("${Counter.get(c)}")
  let p = spawn(printer, 5050)
  let s = spawn(summer, 0, 100, p)
  for i in 1..101 do
    send(s, i)
  end
  println("main done")
end
