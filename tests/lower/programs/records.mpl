struct Emp do
  name :: String
  dept :: String
  salary :: Int
end deriving(Eq, Debug)

fn parse_line(line :: String) -> Option<Emp> do
  let parts = String.split(line, ",")
  if List.length(parts) != 3 do
    return None
  end
  let sal = String.to_int(List.get(parts, 2))?
  Some(Emp { name: List.get(parts, 0), dept: List.get(parts, 1), salary: sal })
end

fn by_dept(es :: List<Emp>) -> Map<String, List<String>> do
  List.reduce(es, %{}, fn m, e ->
    let cur = if Map.has_key(m, e.dept) do Map.get(m, e.dept) else [] end
    Map.put(m, e.dept, List.append(cur, e.name))
  end)
end

fn main() do
  let lines = ["ann,eng,100", "bob,ops,80", "bad line", "cid,eng,x", "dan,eng,120"]
  let parsed = List.map(lines, fn l -> parse_line(l) end)
  let emps = for p in parsed when p != None do
    case p do
      Some(e) -> e
      None -> Emp { name: "?", dept: "?", salary: 0 }
    end
  end
  println("${List.length(emps)} employees")
  let sorted = List.sort(emps, fn a, b -> b.salary - a.salary end)
  println(String.join(List.map(sorted, fn e -> e.name end), " > "))
  let depts = by_dept(emps)
  for {d, names} in depts do
    println(d <> ": " <> String.join(names, ","))
  end
  let total = List.reduce(emps, 0, fn acc, e -> acc + e.salary end)
  println("total ${total}")
  let s = Set.from_list(List.map(emps, fn e -> e.dept end))
  println("${Set.size(s)} depts, eng? ${Set.contains(s, "eng")}")
  println(String.replace("a-b-c", "-", "+") <> " " <> String.to_upper("mesh"))
end
