# Floats print as the shortest decimal that reads back as the same Float, never with an exponent.
fn main() do
  println("${Math.pow(2.0, -44.0)} ${Math.pow(2.0, -1074.0)}")
  println("${Math.pow(2.0, 63.0)} ${Int.to_float(9223372036854775807)} ${Int.to_float(9223372036854774784)}")
  println("${Math.pow(2.0, 64.0)} ${Math.pow(10.0, 21.0)} ${Math.pow(10.0, -7.0)}")
  println("${0.1 + 0.2} ${1.0 / 3.0} ${-0.0} ${4.0} ${123456.789}")
  println("${Json.encode([Math.pow(2.0, -44.0), Math.pow(2.0, 63.0), 4.0])}")
end
