# expect-error: E0001 at 6:19
# expect-message: expected ExitReason, found String
# Process.exit takes an ExitReason (Crashed("bye")), not a String.
fn main() do
  let p = spawn(w)
  Process.exit(p, "bye")
end

actor w() do
  receive do
    n -> println("${n + 1}")
  end
end
