# Full Unicode case mapping (SpecialCasing expansions, final sigma) and replacing "".
fn main() do
  let words = ["ΟΔΟΣ ΑΣ", "Σ", "ΑΣΑ", "ΑΣ'", "ΑΣ'Α", "Α'Σ", "ΑΣ.", "ΑΣ1", "(ΑΣ)", "ΑΣ́Β", "ΑΣ́"]
  List.map(words, fn w -> println("${w} ${String.to_lower(w)}") end)
  println(String.to_upper("straße ŉ ﬁ ﬀl ǰ ΐ և ᾳ"))
  println(String.to_lower("İstanbul ǅ ẞ"))
  println("${String.length(String.to_lower("İ"))} ${String.length(String.to_upper("ﬃ"))}")
  println(String.replace("ab", "", "x"))
  println("[${String.replace("", "", "-")}]")
  println(String.replace("é😀", "", "|"))
end
