# Messages of many sizes from two producers to one consumer that is often running when they
# arrive (small ones travel inside their envelope, bigger ones in fragments), and to itself
# (a running receiver); then a selective receive over a queue mixing small and big messages.

type Msg do
  Word(Int, String)
  Pair(Int, (String, Int))
  Many(Int, List<String>)
  Stop
end

fn abs(n :: Int) -> String do
  if n <= 0 do
    ""
  else
    "ab" <> abs(n - 1)
  end
end

fn text(k :: Int) -> String do
  abs(k % 40)
end

fn make(k :: Int) -> Msg do
  if k % 3 == 0 do
    Word(k, text(k))
  else
    if k % 3 == 1 do
      Pair(k, (text(k + 1), k * 2))
    else
      Many(k, [text(k), "x", text(k + 2)])
    end
  end
end

fn weight(m :: Msg) -> Int do
  case m do
    Word(k, s) -> k + String.length(s)
    Pair(k, (s, d)) -> k + String.length(s) + d
    Many(k, l) -> k + List.length(l) + String.length(List.get(l, 0)) + String.length(List.get(l, 2))
    Stop -> 0
  end
end

fn pump(to :: Pid<Msg>, i :: Int, n :: Int) -> Int do
  if i >= n do
    send(to, Stop)
    0
  else
    send(to, make(i))
    pump(to, i + 1, n)
  end
end

actor producer(to :: Pid<Msg>, n :: Int) do
  pump(to, 0, n)
end

actor consumer(parent :: Pid<Msg>, stops :: Int, acc :: Int) do
  if stops == 2 do
    send(parent, Word(acc, ""))
  else
    receive do
      Stop -> consumer(parent, stops + 1, acc)
      m -> consumer(parent, stops, acc + weight(m))
    end
  end
end

fn expected(i :: Int, n :: Int, acc :: Int) -> Int do
  if i >= n do
    acc
  else
    expected(i + 1, n, acc + weight(make(i)))
  end
end

fn send_self(me :: Pid<Msg>, i :: Int, n :: Int) -> Int do
  if i >= n do
    0
  else
    send(me, make(i))
    send_self(me, i + 1, n)
  end
end

# phase 0: run the producers; phase 1: take message k, k + 2, ... by key (odd keys) while the
# others stay queued in order; phase 2: the even keys
actor driver(phase :: Int, k :: Int, acc :: Int) do
  if phase == 0 do
    let c = spawn(consumer, self(), 0, 0)
    spawn(producer, c, 1000)
    spawn(producer, c, 1000)
    receive do
      Word(total, _) -> println("consumer: ${total == 2 * expected(0, 1000, 0)}")
    end
    send_self(self(), 0, 300)
    driver(1, 1, 0)
  else
    if k >= 300 do
      if phase == 1 do
        driver(2, 0, acc)
      else
        println("self, odd then even: ${acc == expected(0, 300, 0)}")
      end
    else
      receive do
        Word(j, s) when j == k -> driver(phase, k + 2, acc + weight(Word(j, s)))
        Pair(j, p) when j == k -> driver(phase, k + 2, acc + weight(Pair(j, p)))
        Many(j, l) when j == k -> driver(phase, k + 2, acc + weight(Many(j, l)))
      end
    end
  end
end

fn main() do
  spawn(driver, 0, 0, 0)
end
