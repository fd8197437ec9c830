# expect-error: E0001 at 15:25
# expect-message: cannot infer the type
# The mailbox type of `boss` is constrained by nothing: its pid only goes to an untyped `Pid`
# parameter and `main` returns it. That must be the ordinary ambiguity error, not a mailbox
# type generalized into main's signature (which once reached lowering as an internal error).

actor helper(parent :: Pid) do
  send(parent, 1)
end

actor boss() do
  let me = self()
  spawn(helper, me)
  receive do
    n -> println("got ${n}")
  end
end

fn main() do
  spawn(boss)
end
