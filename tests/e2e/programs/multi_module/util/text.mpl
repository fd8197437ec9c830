pub fn shout(s :: String) -> String = String.to_upper(s) <> "!"

pub fn repeat(s :: String, n :: Int) -> String do
  if n <= 0 do
    ""
  else
    s <> repeat(s, n - 1)
  end
end
