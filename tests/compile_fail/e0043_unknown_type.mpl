# expect-error: E0043 at 3:14
# expect-message: unknown type `Shap`
fn area(s :: Shap) -> Int do
  1
end

fn main() do
  println("x")
end
