# expect-error: E0001 at 6:5
# expect-message: a receive arm cannot match both notifications (Down/Exit) and messages
# One arm takes notifications or messages, never both.
actor w() do
  receive do
    Down(_, _, _) | 5 -> println("x")
    n -> println("${n + 1}")
  end
end

fn main() do
  send(spawn(w), 1)
end
