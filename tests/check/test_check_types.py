"""Checker tests for the type-system features: Into through From, method dot-syntax on user
functions and collections, default methods through bounds, associated types of builtin traits,
import cycles, and the typed-program records they produce."""

from __future__ import annotations

from helpers import check_err, check_ok, span_text

from toolchain.check.typed import CallInfo, GlobalFnRef, TraitMethodRef
from toolchain.syntax import ast as A

FROM = """
struct C do
  deg :: Int
end

struct F do
  deg :: Int
end

impl From<C> for F do
  fn from(c :: C) -> F = F { deg: c.deg * 9 / 5 + 32 }
end
"""


def _call(c, text: str) -> CallInfo:
    node = c.find(text, A.Call)
    info = node.info.get("call")
    assert isinstance(info, CallInfo)
    return info


def test_into_resolves_to_the_from_impl_of_the_target() -> None:
    c = check_ok(FROM + """
fn main() do
  let f = C { deg: 100 }.into()
  println("${f.deg}")
end
""")
    assert c.type_of("C { deg: 100 }.into()") == "F"
    target = _call(c, "C { deg: 100 }.into()").target
    assert isinstance(target, TraitMethodRef) and target.trait == "From" and target.symbol is not None


def test_into_uses_the_expected_type_to_choose_between_targets() -> None:
    c = check_ok(FROM + """
struct K do
  deg :: Int
end

impl From<C> for K do
  fn from(c :: C) -> K = K { deg: c.deg + 273 }
end

fn main() do
  let k :: K = C { deg: 1 }.into()
  println("${k.deg}")
end
""")
    assert c.type_of("C { deg: 1 }.into()") == "K"


def test_into_without_a_known_target_is_ambiguous() -> None:
    diags, src = check_err(FROM + """
struct K do
  deg :: Int
end

impl From<C> for K do
  fn from(c :: C) -> K = K { deg: c.deg + 273 }
end

fn main() do
  let x = C { deg: 1 }.into()
  println("x")
end
""")
    assert diags[0].code == "E0027"
    assert span_text(diags[0], src) == "C { deg: 1 }.into"
    assert "[F, K]" in diags[0].message


def test_builtin_into_for_primitives() -> None:
    c = check_ok("""
fn main() do
  let f :: Float = 3.into()
  let s :: String = true.into()
  println("${f} ${s}")
end
""")
    assert c.type_of("3.into()") == "Float"
    assert c.type_of("true.into()") == "String"


def test_dot_syntax_reaches_user_functions() -> None:
    c = check_ok("""
fn double(x :: Int) -> Int = x * 2
fn add(x :: Int, y :: Int) -> Int = x + y

fn main() do
  println("${4.double().add(1)}")
end
""")
    assert c.type_of("4.double().add(1)") == "Int"
    assert isinstance(_call(c, "4.double()").target, GlobalFnRef)


def test_dot_syntax_prefers_trait_methods_over_user_functions() -> None:
    c = check_ok("""
interface Named do
  fn label(self) -> String
end

struct P do
  x :: Int
end

impl Named for P do
  fn label(self) -> String = "impl"
end

fn label(p :: P) -> String = "free"

fn main() do
  println(P { x: 1 }.label())
end
""")
    assert isinstance(_call(c, "P { x: 1 }.label()").target, TraitMethodRef)


def test_dot_syntax_on_map_and_set() -> None:
    c = check_ok("""
fn main() do
  let m = %{"a" => 1}
  let s = Set.new().add(2)
  println("${m.put("b", 2).size()} ${m.get("a")} ${s.contains(2)} ${m.keys().length()}")
end
""")
    assert c.type_of('m.put("b", 2)') == "Map<String, Int>"
    assert c.type_of("s.contains(2)") == "Bool"


def test_default_method_through_a_bound_is_checked_and_registered() -> None:
    c = check_ok("""
interface Shape do
  fn area(self) -> Int
  fn name(self) -> String do
    "shape"
  end
end

struct Sq do
  s :: Int
end

impl Shape for Sq do
  fn area(self) -> Int = self.s * self.s
end

fn describe<T>(x :: T) -> String where T: Shape do
  "${x.name()} ${x.area()}"
end

fn main() do
  println(describe(Sq { s: 2 }))
end
""")
    assert any(k.endswith("__Shape__name__default") for k in c.program.functions)


def test_builtin_trait_associated_types_are_required() -> None:
    diags, src = check_err("""
struct V do
  x :: Int
end

impl Neg for V do
  fn neg(self) -> V = V { x: 0 - self.x }
end

fn main() do
  println("x")
end
""")
    assert diags[0].code == "E0040"
    assert "`Output`" in diags[0].message
    assert span_text(diags[0], src).startswith("impl Neg for V")


def test_extra_associated_type_on_builtin_trait() -> None:
    diags, src = check_err("""
struct V do
  x :: Int
end

impl Display for V do
  type Item = Int
  fn to_string(self) -> String = "v"
end

fn main() do
  println("x")
end
""")
    assert diags[0].code == "E0041"
    assert span_text(diags[0], src) == "type Item = Int"


def test_import_cycle_prints_the_path() -> None:
    diags, src = check_err("import A\nfn main() do\n  println(A.a())\nend\n", {
        "a.mpl": "import B\npub fn a() -> String = B.b()\n",
        "b.mpl": "import C\npub fn b() -> String = C.c()\n",
        "c.mpl": "import A\npub fn c() -> String = \"c\"\n",
    })
    assert [d.code for d in diags] == ["E0045"]
    assert diags[0].message == "circular dependency: A -> B -> C -> A"
    assert diags[0].span.file == "c.mpl" and span_text(diags[0], src) == "import A"


def test_self_import() -> None:
    diags, src = check_err("import A\nfn main() do\n  println(A.a())\nend\n", {
        "a.mpl": "import A\npub fn a() -> String = \"a\"\n",
    })
    assert diags[0].code == "E0045"
    assert diags[0].message == "module `A` cannot import itself"


def test_diamond_imports_are_not_a_cycle() -> None:
    check_ok("import A\nimport B\nfn main() do\n  println(A.a() <> B.b())\nend\n", {
        "a.mpl": "import C\npub fn a() -> String = C.c()\n",
        "b.mpl": "import C\npub fn b() -> String = C.c()\n",
        "c.mpl": "pub fn c() -> String = \"c\"\n",
    })


def test_infinite_type_names_variables_stably() -> None:
    diags, _ = check_err("fn main() do\n  let f = fn(x) -> x(x) end\n  println(\"x\")\nend\n")
    assert diags[0].code == "E0002"
    assert diags[0].message == "infinite type: a occurs in Fun(a) -> b"


def test_warnings_accompany_errors() -> None:
    diags, _ = check_err("""
fn main() do
  case 3 do
    _ -> println("any")
    1 -> println("one")
  end
  let y :: String = 1
end
""")
    assert [d.code for d in diags] == ["E0001", "W0001"]
    assert diags[1].severity == "warning"
