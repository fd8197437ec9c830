# Option and Result values, the T? / T!E shorthands and the ? operator.
fn parse_pos(s :: String) -> Int!String do
  case String.to_int(s) do
    Some(n) when n > 0 -> Ok(n)
    Some(_) -> Err("not positive: ${s}")
    None -> Err("not a number: ${s}")
  end
end

fn add_all(a :: String, b :: String) -> Int!String do
  let x = parse_pos(a)?
  let y = parse_pos(b)?
  Ok(x + y)
end

fn first_even(xs :: List<Int>) -> Int? do
  List.find(xs, fn x -> x % 2 == 0 end)
end

fn half_of_first_even(xs :: List<Int>) -> Int? do
  let e = first_even(xs)?
  Some(e / 2)
end

fn show(r :: Result<Int, String>) -> String do
  case r do
    Ok(v) -> "ok ${v}"
    Err(e) -> "error: ${e}"
  end
end

fn show_opt(o :: Option<Int>) -> String do
  case o do
    Some(v) -> "some ${v}"
    None -> "none"
  end
end

fn main() do
  println(show(add_all("2", "40")))
  println(show(add_all("2", "x")))
  println(show(add_all("-5", "1")))
  println(show_opt(half_of_first_even([3, 5, 8, 10])))
  println(show_opt(half_of_first_even([1, 3])))
end
