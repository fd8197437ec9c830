# Mutually recursive generic functions: each one's declared type parameters are instantiated
# where the other calls it, so the group checks and runs at several types.
fn ping<K>(x :: K, n :: Int) -> Int = if n == 0 do 0 else pong(x, n - 1) + 1 end

fn pong<K>(x :: K, n :: Int) -> Int = ping(x, n)

fn even_show<T>(x :: T, n :: Int) -> String where T: Display do
  if n == 0 do "even ${x}" else odd_show(x, n - 1) end
end

fn odd_show<U>(y :: U, n :: Int) -> String where U: Display do
  if n == 0 do "odd ${y}" else even_show(y, n - 1) end
end

fn wrap<A>(x :: A, n :: Int) -> List<A> = if n == 0 do [x] else List.append(unwrap(x, n - 1), x) end

fn unwrap<B>(y :: B, n :: Int) -> List<B> = wrap(y, n)

fn main() do
  println("${ping("a", 3)} ${ping(1.5, 5)} ${pong([1, 2], 2)}")
  println(even_show(42, 3))
  println(odd_show("s", 3))
  println(even_show(2.5, 4))
  println("${wrap("w", 2)} ${unwrap(7, 1)}")
end
