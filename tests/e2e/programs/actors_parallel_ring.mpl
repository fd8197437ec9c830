# A ring of 10,000 actors with four tokens travelling at once: 100,000
# message hops in all, racing through the ring on every worker. Each token
# reports to the collector when its hop count runs out.

type Msg do
  SetNext(Pid<Msg>)
  Token(Int, Int)
end

fn fwd(next :: Pid<Msg>, id :: Int, k :: Int) -> Int do
  send(next, Token(id, k - 1))
  0
end

fn done(report :: Pid<Int>, id :: Int) -> Int do
  send(report, id)
  0
end

actor node(next :: Pid<Msg>, report :: Pid<Int>, live :: Int) do
  receive do
    SetNext(p) -> node(p, report, live)
    Token(id, k) when k <= 0 -> node(next, report, done(report, id))
    Token(id, k) -> node(next, report, fwd(next, id, k))
  end
end

fn build(next :: Pid<Msg>, report :: Pid<Int>, i :: Int) -> Pid<Msg> do
  if i <= 0 do
    next
  else
    build(spawn(node, next, report, 0), report, i - 1)
  end
end

actor collector(left :: Int, acc :: Int) do
  if left == 0 do
    println("tokens back ${acc}")
  else
    receive do
      id -> collector(left - 1, acc + id)
    end
  end
end

actor starter(x :: Int) do
  let report = spawn(collector, 4, 0)
  let last = spawn(node, self(), report, 0)
  let head = build(last, report, 9999)
  send(last, SetNext(head))
  send(head, Token(1, 25000))
  send(head, Token(2, 25000))
  send(head, Token(3, 25000))
  send(head, Token(4, 25000))
end

fn main() do
  spawn(starter, 0)
end
