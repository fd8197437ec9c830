struct Point do
  x :: Int
  y :: Int
end
