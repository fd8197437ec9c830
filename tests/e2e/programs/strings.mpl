# Strings: interpolation, concatenation, code-point length, stdlib functions, comparison.
fn main() do
  let name = "Mesh"
  let s = "héllo wörld"
  println("${name} has ${String.length(name)} letters")
  println("${String.length(s)}")
  println(String.slice(s, 0, 5))
  println(String.to_upper(s))
  println(String.to_lower("LOUD"))
  println("[${String.trim("   padded  ")}]")
  println("${String.contains(s, "wör")} ${String.starts_with(s, "hé")} ${String.ends_with(s, "x")}")
  println(String.replace("a-b-c", "-", "+"))
  let parts = String.split("one,two,,three", ",")
  println("${List.length(parts)} ${parts}")
  println(String.join(["x", "y", "z"], " | "))
  println("con" <> "cat" <> "enated")
  println("plus" ++ "plus")
  println("${"abc" == "abc"} ${"abc" == "abd"} ${"abc" < "abd"} ${"b" > "abc"}")
  println("nested ${"inner ${1 + 1}"} done")
  println("""triple "quoted" ${name}""")
  println("tab[\t] quote[\"] backslash[\\] dollar[$]")
  println(s.length() |> String.from)
  println("${name.to_upper()}")
end
