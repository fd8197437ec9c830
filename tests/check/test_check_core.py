"""Checker tests on programs written for this project: types of expressions and recorded
resolutions (positive), and diagnostics with code, primary span and message (negative)."""

from __future__ import annotations

from helpers import check_err, check_ok, span_text

from toolchain.check.typed import (
    BuiltinRef,
    CallInfo,
    ClosureCallRef,
    GlobalFnRef,
    LocalRef,
    TParam,
    TraitMethodRef,
    VariantRef,
    show_type,
)
from toolchain.syntax import ast as A

# ───────────────────────────────── positive ─────────────────────────────────


def test_let_shadowing_and_literals() -> None:
    c = check_ok("""
fn main() do
  let x = 40 + 2
  let x = "now a string ${x}"
  let f = 1.5 * 2.0
  let b = not (x == "a")
  let u = nil
  let a = :ok
  println(x)
end
""")
    assert c.type_of('"now a string ${x}"') == "String"
    assert c.type_of("1.5 * 2.0") == "Float"
    assert show_type(next(n for n in c.nodes() if isinstance(n, A.UnaryOp)).ty) == "Bool"
    assert c.type_of("nil") == "()"
    assert c.type_of(":ok") == "Atom"
    # the two `x` bindings are distinct
    xs = [n for n in c.nodes() if isinstance(n, A.VarPat) and n.name == "x"]
    assert xs[0].info["binding"].id != xs[1].info["binding"].id
    use = c.find("x", A.Name, nth=1)  # the x inside println(x)
    assert use.info["res"].binding is xs[1].info["binding"]


def test_generic_function_instantiations() -> None:
    c = check_ok("""
fn identity<T>(x :: T) -> T do
  x
end

fn pair(a, b) = (a, b)

fn main() do
  let n = identity(1)
  let s = identity("s")
  let p = pair(n, s)
  println(s)
end
""")
    ident = c.program.functions["Main__identity"]
    assert [p.name for p in ident.type_params] == ["T"]
    assert show_type(ident.type) == "Fun(T) -> T"
    call1 = c.find("identity(1)").info["call"]
    assert isinstance(call1.target, GlobalFnRef)
    assert [show_type(t) for t in call1.target.type_args] == ["Int"]
    call2 = c.find('identity("s")').info["call"]
    assert [show_type(t) for t in call2.target.type_args] == ["String"]
    pair = c.program.functions["Main__pair"]
    assert len(pair.type_params) == 2 and all(isinstance(p, TParam) for p in pair.type_params)
    assert c.type_of("pair(n, s)") == "(Int, String)"
    # inside the generic function, expressions mention its type parameters
    assert c.type_of("(a, b)") == "(t0, t1)"


def test_collections_and_stdlib() -> None:
    c = check_ok("""
fn main() do
  let xs = [1, 2, 3]
  let m = %{"a" => 1, "b" => 2}
  let ys = List.map(xs, fn x -> x * 2 end)
  let total = List.reduce(ys, 0, fn acc, x -> acc + x end)
  let v = Map.get(m, "a")
  let words = String.split("a b", " ")
  let n = "hello".length()
  let shown = xs.to_string()
  println("${total} ${v} ${n} ${shown} ${List.length(words)}")
end
""")
    assert c.type_of("[1, 2, 3]") == "List<Int>"
    assert c.type_of('%{"a" => 1, "b" => 2}') == "Map<String, Int>"
    assert c.type_of("List.map(xs, fn x -> x * 2 end)") == "List<Int>"
    assert c.type_of('Map.get(m, "a")') == "Int"
    assert c.type_of('String.split("a b", " ")') == "List<String>"
    length = c.find('"hello".length()').info["call"]
    assert isinstance(length.target, BuiltinRef) and length.target.name == "String.length"
    assert [a.span for a in length.args][0] == c.find('"hello"').span  # receiver first
    ts = c.find("xs.to_string()").info["call"]
    assert isinstance(ts.target, TraitMethodRef) and ts.target.trait == "Display"
    assert show_type(ts.target.self_type) == "List<Int>"


def test_structs_generic_and_update() -> None:
    c = check_ok("""
struct Point do
  x :: Int
  y :: Int
end

struct Box<T> do
  value :: T
end

fn main() do
  let p = Point { x: 1, y: 2 }
  let q = %{p | y: 5}
  let b = Box { value: "hi" }
  let v = b.value
  println("${q.x} ${v}")
end
""")
    assert c.type_of("Point { x: 1, y: 2 }") == "Point"
    assert c.type_of("%{p | y: 5}") == "Point"
    assert c.type_of('Box { value: "hi" }') == "Box<String>"
    assert c.type_of("b.value") == "String"
    assert c.find("q.x").info["field"] == ("Main.Point", 0)


def test_sum_types_case_and_option_shorthands() -> None:
    c = check_ok("""
type Shape do
  Circle(Float)
  Rect(w :: Float, h :: Float)
  Empty
end

fn area(s :: Shape) -> Float do
  case s do
    Circle(r) -> 3.0 * r * r
    Shape.Rect(w, h) -> w * h
    Empty -> 0.0
  end
end

fn half(n :: Int) -> Int? do
  if n % 2 == 0 do
    Some(n / 2)
  else
    None
  end
end

fn parse(s :: String) -> Int!String do
  case String.to_int(s) do
    Some(n) -> Ok(n)
    None -> Err("bad")
  end
end

fn main() do
  println("${area(Circle(1.0))}")
end
""")
    assert show_type(c.program.functions["Main__half"].type) == "Fun(Int) -> Option<Int>"
    assert show_type(c.program.functions["Main__parse"].type) == "Fun(String) -> Result<Int, String>"
    pat = c.find("Circle(r)", A.ConstructorPat)
    assert isinstance(pat.info["variant"], VariantRef) and pat.info["variant"].tag == 0
    case = c.find("case s do", A.Case) if False else next(n for n in c.nodes() if isinstance(n, A.Case))
    assert case.info["exhaustive"] is True


def test_try_operator_and_closure_captures() -> None:
    c = check_ok("""
fn parse(s :: String) -> Result<Int, String> do
  case String.to_int(s) do
    Some(n) -> Ok(n)
    None -> Err("not a number")
  end
end

fn sum2(a :: String, b :: String) -> Result<Int, String> do
  let x = parse(a)?
  let y = parse(b)?
  Ok(x + y)
end

fn main() do
  let k = 10
  let add_k = fn n -> n + k end
  println("${add_k(1)}")
end
""")
    t = c.find("parse(a)?", A.Try)
    assert t.info["try"].kind == "result"
    assert show_type(t.info["try"].ok_type) == "Int"
    clo = c.find("fn n -> n + k end", A.Closure)
    assert [b.name for b in clo.info["captures"]] == ["k"]
    call = c.find("add_k(1)").info["call"]
    assert isinstance(call.target, ClosureCallRef)


def test_pipes_desugar_argument_order() -> None:
    c = check_ok("""
fn add(a :: Int, b :: Int) -> Int do
  a + b
end

fn main() do
  let r = 5 |> add(10) |> add(1)
  let ys = [1, 2] |> List.map(fn x -> x + 1 end)
  println("${r} ${List.length(ys)}")
end
""")
    pipe = c.find("5 |> add(10)", A.Pipe)
    info: CallInfo = pipe.info["call"]
    assert isinstance(info.target, GlobalFnRef) and info.target.symbol == "Main__add"
    assert isinstance(info.args[0], A.IntLit) and info.args[0].value == 5
    assert isinstance(info.args[1], A.IntLit) and info.args[1].value == 10
    assert c.type_of("[1, 2] |> List.map(fn x -> x + 1 end)") == "List<Int>"


def test_loops_and_ranges() -> None:
    c = check_ok("""
fn main() do
  let squares = for i in 0..5 do
    i * i
  end
  let evens = for x in [1, 2, 3, 4] when x % 2 == 0 do
    x
  end
  let m = %{"a" => 1}
  let keys = for {k, v} in m do
    k
  end
  let i = 0
  while i < 3 do
    break
  end
  println("${List.length(squares)} ${List.length(evens)} ${List.length(keys)}")
end
""")
    assert c.type_of("for i in 0..5 do\n    i * i\n  end") == "List<Int>"
    loop = c.find("for i in 0..5 do\n    i * i\n  end", A.For)
    assert loop.info["for"].kind == "range"
    m = c.find('for {k, v} in m do\n    k\n  end', A.For)
    assert m.info["for"].kind == "map" and show_type(m.info["for"].elem_type) == "(String, Int)"
    assert c.type_of('for {k, v} in m do\n    k\n  end') == "List<String>"


def test_multi_clause_guards_and_tail_calls() -> None:
    c = check_ok("""
fn fib(0) = 0
fn fib(1) = 1
fn fib(n) = fib(n - 1) + fib(n - 2)

fn classify(n) when n < 0 = "negative"
fn classify(0) = "zero"
fn classify(_) = "positive"

fn count(n :: Int, acc :: Int) -> Int do
  if n == 0 do
    acc
  else
    count(n - 1, acc + 1)
  end
end

fn main() do
  println("${fib(10)} ${classify(3)} ${count(5, 0)}")
end
""")
    fib = c.program.functions["Main__fib"]
    assert fib.is_multi_clause and len(fib.clauses) == 3
    assert show_type(fib.type) == "Fun(Int) -> Int"
    assert show_type(c.program.functions["Main__classify"].type) == "Fun(Int) -> String"
    cnt = c.program.functions["Main__count"]
    assert cnt.has_self_tail_call
    assert c.find("count(n - 1, acc + 1)", A.Call).info["call"].self_tail_call
    assert not c.program.functions["Main__fib"].has_self_tail_call


def test_interpolation_and_keyword_arguments() -> None:
    c = check_ok("""
struct P do
  a :: Int
end deriving(Display)

fn greet(name :: String, opts :: Map<String, String>) -> String do
  name
end

fn main() do
  let p = P { a: 1 }
  let s = greet("x", title: "Dr", suffix: "Jr")
  println("${p} ${s} ${1.5} ${[1, 2]}")
end
""")
    call = c.find('greet("x", title: "Dr", suffix: "Jr")')
    info = call.info["call"]
    assert len(info.args) == 2 and isinstance(info.args[1], A.MapExpr)
    assert show_type(info.args[1].ty) == "Map<String, String>"
    part = c.find("p", A.Name, nth=0)
    ref = part.info["to_string"]
    assert ref.trait == "Display" and ref.derived


def test_let_polymorphism_of_local_closure() -> None:
    c = check_ok("""
fn main() do
  let id = fn x -> x end
  let a = id(1)
  let b = id("s")
  println("${a} ${b}")
end
""")
    assert c.type_of("id(1)") == "Int"
    assert c.type_of('id("s")') == "String"
    use = c.find("id", A.Name, nth=1)
    assert isinstance(use.info["res"], LocalRef)
    assert [show_type(t) for t in use.info["res"].type_args] == ["String"]


def test_multi_module_imports_and_mangling() -> None:
    c = check_ok("""
import Math.Vector
from Util import helper

fn helper2() = 1

fn main() do
  let d = Vector.dot(3, 4)
  println("${d} ${helper()} ${helper2()}")
end
""", {
        "math/vector.mpl": """
pub fn dot(a :: Int, b :: Int) -> Int do
  secret(a) * b
end

fn secret(x :: Int) -> Int do
  x
end
""",
        "util.mpl": """
pub fn helper() -> Int do
  secret()
end

fn secret() -> Int do
  7
end
""",
    })
    fns = c.program.functions
    assert "Math_Vector__secret" in fns and "Util__secret" in fns
    call = c.find("Vector.dot(3, 4)").info["call"]
    assert call.target.symbol == "Math_Vector__dot"
    assert c.program.entry == "Main__main"


def test_actor_spawn_send_receive() -> None:
    c = check_ok("""
actor counter(n :: Int) do
  receive do
    x -> counter(n + x)
  end
end

fn main() do
  let pid = spawn(counter, 0)
  send(pid, 5)
end
""")
    assert c.type_of("spawn(counter, 0)") == "Pid<Int>"


# ───────────────────────────────── negative ─────────────────────────────────


def _one(diags, code):
    found = [d for d in diags if d.code == code]
    assert found, f"no {code} in {[(d.code, d.message) for d in diags]}"
    return found[0]


def test_mismatch_span_and_message() -> None:
    diags, src = check_err("""
fn f(a :: Int) -> Int do
  a
end

fn main() do
  f("nope")
end
""")
    d = _one(diags, "E0001")
    assert d.message == "expected Int, found String"
    assert span_text(d, src) == '"nope"'
    assert any("argument 1 has type String, expected Int" in lb.message for lb in d.labels)


def test_occurs_check() -> None:
    diags, src = check_err("fn f(x) = x(x)\nfn main() do\n  1\nend\n")
    d = _one(diags, "E0002")
    assert d.message.startswith("infinite type")


def test_arity_and_unbound() -> None:
    diags, src = check_err("""
fn f(a :: Int) -> Int do
  a
end

fn main() do
  f(1, 2)
  undefined_thing
end
""")
    assert _one(diags, "E0003").message == "expected 1 argument(s), found 2"
    d = _one(diags, "E0004")
    assert d.message == "undefined variable: undefined_thing"
    assert span_text(d, src) == "undefined_thing"


def test_non_exhaustive_and_redundant() -> None:
    diags, src = check_err("""
type Color do
  Red
  Green
  Blue
end

fn main() do
  let c = Red
  case c do
    Red -> 1
    Green -> 2
  end
end
""")
    d = _one(diags, "E0012")
    assert d.message == "non-exhaustive match on `Color`"
    assert any("missing: Blue" in lb.message for lb in d.labels)

    c = check_ok("""
fn main() do
  let x = 3
  case x do
    _ -> 1
    3 -> 2
  end
end
""")
    w = [d for d in c.program.warnings if d.code == "W0001"]
    assert w and w[0].message == "redundant match arm (arm 2)"


def test_clause_diagnostics() -> None:
    diags, src = check_err("""
fn f(n) = n
fn f(0) = 0

fn g(0) = 1

fn h() = 2

fn g(n) = n

fn main() do
  f(1)
end
""")
    assert _one(diags, "E0022").message == "catch-all clause must be the last clause of function `f/1`"
    assert _one(diags, "E0023").message.startswith("function `g/1` already defined")


def test_guard_type_and_annotation_warning() -> None:
    diags, _ = check_err("""
fn f(n) when n + 1 = n
fn f(n) = 0

fn main() do
  f(1)
end
""")
    assert _one(diags, "E0025").message == "guard expression must return `Bool`, found `Int`"
    c = check_ok("""
fn f(0) = 0
fn f(n) -> Int = n

fn main() do
  f(1)
end
""")
    assert any(w.code == "W0002" for w in c.program.warnings)


def test_break_continue_outside_loops_and_in_closures() -> None:
    diags, src = check_err("""
fn main() do
  break
  for i in 0..3 do
    let f = fn -> continue end
    i
  end
end
""")
    assert span_text(_one(diags, "E0032"), src) == "break"
    assert _one(diags, "E0033").message == "`continue` outside of loop"


def test_try_errors() -> None:
    diags, _ = check_err("""
fn f() -> Int do
  let x = String.to_int("1")?
  x
end

fn g() -> Option<Int> do
  let y = 5?
  Some(y)
end

fn main() do
  f()
end
""")
    assert _one(diags, "E0036").message == "`?` operator requires function to return `Result` or `Option`"
    assert _one(diags, "E0037").message == "`?` requires `Result` or `Option`"


def test_struct_field_errors_and_unknown_variant() -> None:
    diags, src = check_err("""
struct P do
  a :: Int
  b :: Int
end

fn main() do
  let p = P { a: 1, c: 2 }
  let q = p.zz
  case Some(1) do
    Nope(x) -> x
    _ -> 0
  end
end
""")
    msgs = {d.message for d in diags}
    assert "unknown field c in struct P" in msgs
    assert "missing field b in struct P" in msgs
    assert "type P has no field zz" in msgs
    assert _one(diags, "E0010").message == "unknown variant: Nope"


def test_atom_is_not_string() -> None:
    diags, _ = check_err("""
fn main() do
  let x :: String = :name
  x
end
""")
    assert _one(diags, "E0001").message == "expected String, found Atom"


def test_module_errors() -> None:
    files = {"helpers.mpl": "fn secret() -> Int do\n  1\nend\n\npub fn open() -> Int do\n  2\nend\n"}
    diags, src = check_err("import Nowhere\nfrom Helpers import secret, missing\n\nfn main() do\n  1\nend\n", files)
    assert _one(diags, "E0031").message == "module not found"
    d = _one(diags, "E0035")
    assert d.hints == ["add `pub` to `secret` in module `Helpers` to make it accessible"]
    d = _one(diags, "E0034")
    assert any("`missing` is not exported by module `Helpers`" in lb.message for lb in d.labels)
    diags, src = check_err("import Helpers\n\nfn main() do\n  Helpers.secret()\nend\n", files)
    assert _one(diags, "E0035")


def test_deriving_errors() -> None:
    diags, _ = check_err("""
struct A do
  x :: Int
end deriving(Ord)

struct B do
  x :: Int
end deriving(Frobnicate)

fn main() do
  1
end
""")
    assert _one(diags, "E0029").message == "cannot derive `Ord` for `A` without `Eq`"
    assert _one(diags, "E0028").message == "cannot derive `Frobnicate` for `B`"


def test_if_branch_mismatch_labels() -> None:
    diags, src = check_err("""
fn main() do
  let x = if true do
    1
  else
    "s"
  end
end
""")
    d = _one(diags, "E0001")
    assert d.message == "expected Int, found String"
    assert [lb.message for lb in d.labels] == ["expected Int", "found String"]


def test_local_closure_used_once_is_monomorphic() -> None:
    c = check_ok("""
fn main() do
  let mul = fn a, b -> a * b end
  println("${mul(6, 7)}")
end
""")
    let = next(n for n in c.nodes() if isinstance(n, A.Let))
    assert "type_params" not in let.info
    assert let.info["bindings"][0].type_params == []
    assert c.type_of("a * b") == "Int"
    assert c.find("a * b", A.BinaryOp).info["op"].kind == "int"


def test_question_mark_in_main_is_rejected() -> None:
    diags, src = check_err("""
fn get() -> Int!String = Ok(1)

fn main() do
  let x = get()?
  println("${x}")
end
""")
    d = _one(diags, "E0036")
    assert span_text(d, src) == "get()?"


def test_where_bounds_and_interface_defaults() -> None:
    src = """
interface Greeter do
  fn greet(self) -> String
  fn greet_twice(self) -> String do
    self.greet() <> self.greet()
  end
end

struct Dog do
  name :: String
end

impl Greeter for Dog do
  fn greet(self) -> String do
    "woof ${self.name}"
  end
end

fn hello<T>(x :: T) -> String where T: Greeter do
  x.greet()
end

fn main() do
  let d = Dog { name: "rex" }
  println(d.greet_twice())
  println(hello(d))
  BAD
end
"""
    c = check_ok(src.replace("BAD", ""))
    call = c.find("d.greet_twice()", A.Call).info["call"]
    assert isinstance(call.target, TraitMethodRef) and call.target.symbol is not None
    assert call.target.symbol.endswith("__default")
    inner = c.find("x.greet()", A.Call).info["call"].target
    assert isinstance(inner, TraitMethodRef) and isinstance(inner.self_type, TParam)
    diags, _ = check_err(src.replace("BAD", "println(hello(5))"))
    assert _one(diags, "E0006").message == "Int does not implement Greeter"


def test_imported_types_variants_and_qualified_annotations() -> None:
    geo = """
pub struct Point do
  x :: Int
  y :: Int
end

pub type Shape do
  Circle(Float)
  Square(Float)
end

pub fn origin() -> Point do
  Point { x: 0, y: 0 }
end
"""
    c = check_ok("""
import Geo
from Geo import Shape

fn area(s :: Geo.Shape) -> Float do
  case s do
    Circle(r) -> r
    Shape.Square(x) -> x
  end
end

fn main() do
  let p :: Geo.Point = Geo.origin()
  let q = Geo.Point { x: 1, y: 2 }
  let s = Geo.Circle(2.0)
  println("${area(s)} ${p.x} ${q.y}")
end
""", {"geo.mpl": geo})
    assert c.type_of("Geo.Circle(2.0)") == "Geo.Shape"
    assert c.type_of("Geo.Point { x: 1, y: 2 }") == "Geo.Point"
    diags, _ = check_err("""
from Geo import Point

fn takes(s :: String) -> String do
  s
end

fn main() do
  takes(Point { x: 1, y: 2 })
end
""", {"geo.mpl": geo})
    assert _one(diags, "E0001").message == "expected String, found Geo.Point"


def test_every_expression_is_typed_and_resolved() -> None:
    from helpers import walk

    from toolchain.check.typed import TCon, TFun, TTuple

    c = check_ok("""
struct Box<T> do
  value :: T
end

type Tree do
  Leaf
  Node(Tree, Int, Tree)
end

fn size(t :: Tree) -> Int do
  case t do
    Leaf -> 0
    Node(l, _, r) -> size(l) + 1 + size(r)
  end
end

fn twice(f, x) = f(f(x))

fn main() do
  let b = Box { value: [1, 2] }
  let t = Node(Leaf, 1, Node(Leaf, 2, Leaf))
  let total = for x in b.value when x > 0 do
    x * 10
  end
  let m = %{1 => "one"}
  let s = twice(fn n -> n + 1 end, 3)
  let parts = "a,b" |> String.split(",") |> List.map(fn p -> p.length() end)
  println("${size(t)} ${List.length(total)} ${Map.size(m)} ${s} ${parts}")
end
""")

    def concrete(t: object) -> bool:
        if isinstance(t, TCon):
            return all(concrete(a) for a in t.args)
        if isinstance(t, TTuple):
            return all(concrete(a) for a in t.items)
        if isinstance(t, TFun):
            return all(concrete(a) for a in t.params) and concrete(t.ret)
        return False

    main = c.find("fn main() do", A.FnDef) if False else next(
        n for n in c.nodes() if isinstance(n, A.FnDef) and n.name == "main")
    for n in walk(main):
        if "qualifier" in n.info:
            continue
        if isinstance(n, (A.Expr, A.Pattern)):
            assert n.ty is not None and concrete(n.ty), (type(n).__name__, n.span)
        if isinstance(n, A.Name):
            assert "res" in n.info, n
        if isinstance(n, (A.Call, A.Pipe)):
            assert "call" in n.info, n


def test_actor_diagnostics() -> None:
    diags, src = check_err("""
actor worker() do
  receive do
    n -> println("${n + 1}")
  end
end

fn main() do
  let pid = spawn(worker)
  send(pid, "text")
  let me = self()
  receive do
    x -> x
  end
end
""")
    d = _one(diags, "E0014")
    assert d.message == "message type mismatch: expected Int, found String"
    assert span_text(d, src) == '"text"'
    assert _one(diags, "E0015").message == "self() used outside actor block"
    assert _one(diags, "E0017").message == "receive used outside actor block"


def test_or_pattern_and_guard_diagnostics() -> None:
    diags, src = check_err("""
fn main() do
  let p = (1, 2)
  case p do
    (a, 0) | (0, b) -> 1
    (x, y) when x + y > 2 -> 2
    _ -> 3
  end
end
""")
    assert _one(diags, "E0011").message == "or-pattern alternatives bind different variables: [a] vs [b]"
    d = _one(diags, "E0013")
    assert d.message == "invalid guard: operator `+` not allowed in guard"


def test_trait_impl_diagnostics() -> None:
    diags, _ = check_err("""
interface Shape do
  fn area(self) -> Float
  fn name(self) -> String
end

struct Sq do
  s :: Float
end

impl Shape for Sq do
  fn area(self) -> Int do
    1
  end
end

impl Shape for Sq do
  fn area(self) -> Float do
    1.0
  end
  fn name(self) -> String do
    "sq"
  end
end

fn main() do
  0
end
""")
    assert _one(diags, "E0007").message == "impl Shape for Sq is missing method name"
    assert _one(diags, "E0008").message.startswith("method area in impl Shape has wrong signature")
    assert _one(diags, "E0026").message == "duplicate impl: `Shape` is already implemented for `Sq`"


def test_no_such_method_and_string_plus() -> None:
    diags, src = check_err("""
fn main() do
  let n = 5
  n.frobnicate()
  "a" + "b"
end
""")
    d = _one(diags, "E0030")
    assert d.message == "no method `frobnicate` on type `Int`"
    assert _one(diags, "E0006").message == "String does not implement Add"


def test_from_conversion_through_question_mark() -> None:
    c = check_ok("""
struct AppError do
  msg :: String
end

impl From<String> for AppError do
  fn from(s :: String) -> AppError do
    AppError { msg: s }
  end
end

fn parse(s :: String) -> Result<Int, String> do
  case String.to_int(s) do
    Some(n) -> Ok(n)
    None -> Err("bad")
  end
end

fn run() -> Result<Int, AppError> do
  let n = parse("4")?
  Ok(n * 2)
end

fn main() do
  case run() do
    Ok(v) -> println("${v}")
    Err(e) -> println(e.msg)
  end
end
""")
    t = c.find('parse("4")?', A.Try).info["try"]
    assert t.convert is not None and t.convert.trait == "From" and t.convert.symbol is not None
    assert show_type(t.err_type) == "String" and show_type(t.fn_return) == "Result<Int, AppError>"


def test_services_type_check() -> None:
    c = check_ok("""
service Counter do
  fn init(start :: Int) -> Int do
    start
  end

  call Get() :: Int do |state|
    (state, state)
  end

  cast Add(n :: Int) do |state|
    clamp(state + n)
  end

  fn clamp(x :: Int) -> Int do
    if x > 100 do
      100
    else
      x
    end
  end
end

fn main() do
  let pid = Counter.start(1)
  Counter.add(pid, 2)
  let v = Counter.get(pid)
  println("${v}")
end
""")
    assert c.type_of("Counter.get(pid)") == "Int"
    ref = c.find("Counter.get(pid)", A.Call).info["call"].target
    assert isinstance(ref, BuiltinRef) and ref.name.startswith("service:") and ref.name.endswith(".get")


def test_type_aliases_and_function_types() -> None:
    c = check_ok("""
type Mapper = Fun(Int) -> String
type StrResult<T> = Result<T, String>
type Pair<A, B> = (A, B)

fn apply(f :: Mapper, x :: Int) -> String do
  f(x)
end

fn check(n :: Int) -> StrResult<Int> do
  if n > 0 do
    Ok(n)
  else
    Err("neg")
  end
end

fn swap(p :: Pair<Int, String>) -> Pair<String, Int> do
  let (a, b) = p
  (b, a)
end

fn main() do
  let s = apply(fn n -> "${n}" end, 3)
  println(s)
end
""")
    assert show_type(c.program.functions["Main__apply"].type) == "Fun(Fun(Int) -> String, Int) -> String"
    assert show_type(c.program.functions["Main__check"].type) == "Fun(Int) -> Result<Int, String>"
    assert show_type(c.program.functions["Main__swap"].type) == "Fun((Int, String)) -> (String, Int)"
    diags, _ = check_err("""
type Mapper = Fun(Int) -> String

fn apply(f :: Mapper) -> String do
  f(1)
end

fn main() do
  apply(fn n -> n + 1 end)
end
""")
    assert _one(diags, "E0001")
