struct Account do
  owner :: String
  balance :: Int
end deriving(Eq, Display)

fn deposit(a :: Account, amount :: Int) -> Account do
  Account { owner: a.owner, balance: a.balance + amount }
end

fn double(x :: Int) -> Int = x * 2

fn add(x :: Int, y :: Int) -> Int = x + y

fn main() do
  let a = Account { owner: "ann", balance: 10 }
  println("${a.deposit(5).deposit(7)}")
  println("${3.double().add(4)}")
  println("${a |> deposit(1) |> deposit(2)}")
  let m = %{"a" => 1, "b" => 2}
  println("${m.put("c", 3).size()} ${m.keys().length()} ${m.values()}")
  println("${m.get("b")} ${m.has_key("z")} ${m.delete("a").keys()}")
  let s = Set.new().add(3).add(1).add(3)
  println("${s.size()} ${s.contains(1)} ${s.remove(1).size()}")
  let xs = [3, 1, 2]
  println("${xs.reverse()} ${xs.map(fn(x) -> x.double() end).filter(fn(x) -> x > 2 end)}")
  println("${"hello".length()} ${"a,b".split(",").length()} ${"hi".to_upper()}")
  println("${m |> Map.put("d", 4) |> Map.size()}")
  println("${[1, 2, 3] |> List.map(fn(x) -> x + 1 end) |> List.reduce(0, fn(acc, x) -> acc + x end)}")
end
