interface Greeter do
  fn greet(self) -> String
  fn shout(self) -> String do
    "HEY " <> self.greet()
  end
end

struct Dog do
  name :: String
end

struct Cat do
  lives :: Int
end

impl Greeter for Dog do
  fn greet(self) -> String do
    "woof from " <> self.name
  end
end

impl Greeter for Cat do
  fn greet(self) -> String do
    "meow x${self.lives}"
  end
  fn shout(self) -> String do
    "HISS"
  end
end

impl Display for Dog do
  fn to_string(self) -> String do
    "Dog(" <> self.name <> ")"
  end
end

fn twice<T>(x :: T) -> String where T: Greeter do
  x.greet() <> " / " <> x.shout()
end

fn main() do
  let d = Dog { name: "rex" }
  let c = Cat { lives: 9 }
  println(d.greet())
  println(d.shout())
  println(c.shout())
  println(twice(d))
  println(twice(c))
  println("${d}")
  println("${[d, d]}")
end
