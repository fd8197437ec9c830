# Files, environment, stdin lines, Math and number conversions.
fn main() do
  # a name of its own per test worker and GC mode: the runs may overlap
  let worker = case Env.get("PYTEST_XDIST_WORKER") do
    Some(w) -> w
    None -> "main"
  end
  let mode = case Env.get("MESH_GC_STRESS") do
    Some(m) -> m
    None -> "0"
  end
  let path = "/tmp/mesh_stdlib_fenv_" <> worker <> "_" <> mode <> ".txt"
  let _ = File.delete(path)
  println("exists before: ${File.exists(path)}")
  case File.write(path, "line one\n") do
    Ok(_) -> println("written")
    Err(e) -> println("write failed: ${e}")
  end
  case File.append(path, "line two\n") do
    Ok(_) -> println("appended")
    Err(e) -> println("append failed: ${e}")
  end
  case File.read(path) do
    Ok(text) -> println("read ${String.length(text)} chars: ${String.split(String.trim(text), "\n")}")
    Err(e) -> println("read failed: ${e}")
  end
  println("exists after: ${File.exists(path)}")
  case File.delete(path) do
    Ok(_) -> println("deleted")
    Err(e) -> println("delete failed: ${e}")
  end
  case File.read(path) do
    Ok(_) -> println("unexpected")
    Err(e) -> println("read error: ${String.replace(e, path, "PATH")}")
  end
  case File.delete(path) do
    Ok(_) -> println("unexpected")
    Err(e) -> println("delete error: ${String.replace(e, path, "PATH")}")
  end
  case File.write("/nonexistent_dir_mesh/x.txt", "x") do
    Ok(_) -> println("unexpected")
    Err(e) -> println("write error: ${e}")
  end
  case Env.get("PATH") do
    Some(_) -> println("env: PATH is set")
    None -> println("env: unset")
  end
  case Env.get("MESH_STDLIB_SURELY_UNSET_VAR") do
    Some(v) -> println("env: ${v}")
    None -> println("env: unset")
  end
  println("args: ${List.length(Env.args())}")
  case IO.read_line() do
    Ok(l) -> println("line: [${l}]")
    Err(e) -> println("stdin error: ${e}")
  end
  case IO.read_line() do
    Ok(l) -> println("line: [${l}]")
    Err(e) -> println("stdin error: ${e}")
  end
  case IO.read_line() do
    Ok(l) -> println("line: [${l}]")
    Err(e) -> println("stdin error: ${e}")
  end
  println("${Math.abs(-5)} ${Math.abs(-2.5)} ${Math.min(3, 9)} ${Math.max(1.5, 0.5)}")
  println("${Math.pow(2.0, 10.0)} ${Math.sqrt(16.0)} ${Math.floor(-2.5)} ${Math.ceil(2.1)} ${Math.round(2.5)} ${Math.round(-2.5)}")
  println("${Math.pi}")
  println("${Int.to_float(7)} ${Float.to_int(-7.9)} ${Float.from(3)} ${String.to_int(" 12 ")} ${String.to_float("x")}")
end
