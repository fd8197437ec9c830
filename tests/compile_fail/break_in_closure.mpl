# expect-error: E0032 at 6:19

fn main() do
  for i in 0..3 do
    let f = fn x do
      if x > 1 do break end
      x
    end
    f(i)
  end
end
