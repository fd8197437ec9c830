# Tuple.nth with a literal index has that element's type; the flat tuple_* names work like Tuple.*.
fn scale(t :: (Int, String, Float)) -> Float = Tuple.nth(t, 2) * 2.0

fn main() do
  let t = (7, "seven", 7.5)
  println("${Tuple.nth(t, 0) + 1} ${String.length(Tuple.nth(t, 1))} ${Tuple.nth(t, 2)} ${scale(t)}")
  let xs = (1.25, 2.5, 5.0)
  let total = Range.to_list(Range.new(0, tuple_size(xs))) |> List.map(fn i -> Tuple.nth(xs, i) end) |> List.reduce(0.0, fn a, b -> a + b end)
  println("${total}")
  println("${tuple_first(t)} ${tuple_second(t)} ${tuple_nth(t, 2)} ${tuple_size(t)}")
  println("${t |> tuple_second} ${(true, [1, 2]) |> tuple_nth(1)}")
end
