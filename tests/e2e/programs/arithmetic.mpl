# Integer and float arithmetic, precedence and printing.
fn main() do
  println("${1 + 2 * 3}")
  println("${(1 + 2) * 3}")
  println("${7 / 2}")
  println("${-7 / 2}")
  println("${7 % 3}")
  println("${-7 % 3}")
  println("${10 - 3 - 2}")
  println("${2 * -3}")
  let big = 9223372036854775807
  println("${big}")
  println("${0x1F + 0b101 + 0o17 + 1_000}")
  println("${0.1 + 0.2}")
  println("${10.0 / 4.0}")
  println("${1.0}")
  println("${-2.5 * 2.0}")
  println("${1.5e3}")
  println("${3.0 - 0.5}")
  println("${1 < 2} ${2 <= 2} ${3 > 4} ${3 >= 4} ${1 == 1} ${1 != 1}")
  println("${true and false} ${true or false} ${not true}")
  println("${true && !false} ${false || false}")
end
