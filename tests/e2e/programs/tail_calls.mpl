# Self tail calls run in constant stack, including through case arms and with swapped arguments.
fn count_down(n :: Int, acc :: Int) -> Int do
  if n == 0 do
    acc
  else
    count_down(n - 1, acc + 1)
  end
end

fn gcd(a :: Int, b :: Int) -> Int do
  case b do
    0 -> a
    _ -> gcd(b, a % b)
  end
end

fn swap_loop(a :: Int, b :: Int, n :: Int) -> String do
  if n == 0 do
    "${a} ${b}"
  else
    swap_loop(b, a, n - 1)
  end
end

fn sum_to(0, acc) = acc
fn sum_to(n, acc) = sum_to(n - 1, acc + n)

fn main() do
  println("${count_down(10000000, 0)}")
  println("${gcd(1071, 462)}")
  println(swap_loop(1, 2, 3))
  println(swap_loop(1, 2, 1000001))
  println("${sum_to(5000000, 0)}")
end
