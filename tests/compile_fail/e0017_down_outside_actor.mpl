# expect-error: E0017 at 5:3
# expect-message: receive used outside actor block
# A Down notification is received like a message: only inside an actor.
fn main() do
  receive do
    Down(ref, pid, reason) -> println("${ref}")
  end
end
