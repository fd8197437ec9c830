# expect-error: E0014 at 11:11
# expect-message: message type mismatch: expected Int, found String
actor counter(n :: Int) do
  receive do
    k -> counter(n + k)
  end
end

fn main() do
  let p = spawn(counter, 0)
  send(p, "one")
end
