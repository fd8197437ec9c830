# expect-error: E0027 at 24:11
# expect-message: ambiguous method `into` for type `A`: it converts into [B, C]
struct A do
  v :: Int
end

struct B do
  v :: Int
end

struct C do
  v :: Int
end

impl From<A> for B do
  fn from(a :: A) -> B = B { v: a.v }
end

impl From<A> for C do
  fn from(a :: A) -> C = C { v: a.v }
end

fn main() do
  let x = A { v: 1 }.into()
  println("x")
end
