# expect-error: E0003 at 6:5
# expect-message: expected 3 argument(s), found 2
# Down carries (ref, pid, reason).
actor w() do
  receive do
    Down(ref, reason) -> println("${ref}")
  end
end

fn main() do
  spawn(w)
end
