type Shape do
  Circle(Int)
  Square(Int)
end
