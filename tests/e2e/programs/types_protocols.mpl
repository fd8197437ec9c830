struct ParseError do
  msg :: String
end deriving(Display)

struct AppError do
  reason :: String
end deriving(Display)

impl From<ParseError> for AppError do
  fn from(e :: ParseError) -> AppError do
    AppError { reason: "parse: ${e.msg}" }
  end
end

fn parse_num(s :: String) -> Result<Int, ParseError> do
  if s == "" do
    Err(ParseError { msg: "empty" })
  else
    Ok(String.length(s))
  end
end

fn run(s :: String) -> Result<Int, AppError> do
  let n = parse_num(s)?
  Ok(n * 10)
end

struct Counter do
  n :: Int
end

impl Iterator for Counter do
  type Item = Int
  fn next(self) -> Option<Int> do
    if self.n > 0 do Some(self.n) else None end
  end
end

struct Version do
  major :: Int
  minor :: Int
end deriving(Eq, Display)

impl Ord for Version do
  fn compare(self, other :: Version) -> Ordering do
    if self.major != other.major do
      compare(self.major, other.major)
    else
      compare(self.minor, other.minor)
    end
  end
end

struct Settings do
  retries :: Int
  name :: String
end deriving(Display)

impl Default for Settings do
  fn default() -> Settings do
    Settings { retries: 3, name: "default" }
  end
end

struct Pair<A, B> do
  left :: A
  right :: B
end

impl Display for Pair<A, B> do
  fn to_string(self) -> String do
    "<${self.left} | ${self.right}>"
  end
end

interface Container do
  type Item
  fn first(self) -> Option<Self.Item>
  fn count(self) -> Int
end

struct Bag do
  items :: List<String>
end

impl Container for Bag do
  type Item = String
  fn first(self) -> Option<String> do
    if List.length(self.items) > 0 do Some(List.head(self.items)) else None end
  end
  fn count(self) -> Int do
    List.length(self.items)
  end
end

fn summarize<T>(x :: T) -> String where T: Display + Eq do
  if x == x do "${x}!" else "?" end
end

fn main() do
  case run("abc") do
    Ok(v) -> println("ok ${v}")
    Err(e) -> println("err ${e}")
  end
  case run("") do
    Ok(v) -> println("ok ${v}")
    Err(e) -> println("err ${e}")
  end
  let c = Counter { n: 2 }
  case c.next() do
    Some(v) -> println("next ${v}")
    None -> println("done")
  end
  let v1 = Version { major: 1, minor: 2 }
  let v2 = Version { major: 1, minor: 10 }
  println("${compare(v1, v2)} ${v1 < v2} ${v2 > v1} ${v1 == v2}")
  let s :: Settings = default()
  println("${s}")
  println("${Settings.default()}")
  println("${Pair { left: 1, right: "one" }}")
  println(Pair { left: true, right: 2.5 }.to_string())
  let b = Bag { items: ["x", "y"] }
  println("${b.count()} ${b.first()}")
  println(summarize(42))
  println(summarize(v1))
  println("${hash(1) == hash(1)} ${hash("a") == hash("b")}")
  println("${inspect("quoted")} ${inspect([1, 2])} ${to_string(3.5)}")
end
