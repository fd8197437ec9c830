# Float -> Int conversions saturate: NaN gives 0, values beyond the Int range give Int max/min.
fn show(x :: Float) -> String do
  "${Float.to_int(x)} ${Math.floor(x)} ${Math.ceil(x)} ${Math.round(x)}"
end

fn main() do
  let big = Math.pow(10.0, 19.0)
  let inf = Math.pow(10.0, 400.0)
  let nan = Math.sqrt(-1.0)
  println(show(big))
  println(show(0.0 - big))
  println(show(inf))
  println(show(0.0 - inf))
  println(show(nan))
  println(show(-2.5))
  println(show(9007199254740993.0))
end
