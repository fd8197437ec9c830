from __future__ import annotations

from syntax_helpers import parse

from toolchain.syntax import ast


def only(src: str) -> ast.Item:
    sf = parse(src)
    assert len(sf.items) == 1, sf.items
    return sf.items[0]


def test_fn_def_full_signature() -> None:
    fn = only("pub fn show<T, U>(x :: T, y :: List<U>) -> String where T: Display + Eq, U: Debug do\n  to_string(x)\nend")
    assert isinstance(fn, ast.FnDef)
    assert fn.is_pub and fn.name == "show" and fn.generics == ["T", "U"]
    assert [p.pattern.name for p in fn.params] == ["x", "y"]  # type: ignore[attr-defined]
    assert isinstance(fn.params[1].type, ast.TypeName) and fn.params[1].type.path == ["List"]
    assert isinstance(fn.ret, ast.TypeName) and fn.ret.path == ["String"]
    assert [b.var for b in fn.where] == ["T", "U"]
    assert [t.path for t in fn.where[0].traits] == [["Display"], ["Eq"]]
    assert isinstance(fn.body, ast.Block) and len(fn.body.stmts) == 1


def test_def_and_expression_body_and_guards() -> None:
    sf = parse(
        "def double(x) = x * 2\n"
        "fn fib(0) = 0\n"
        "fn fib(1) = 1\n"
        "fn fib(n) = fib(n - 1) + fib(n - 2)\n"
        "fn abs(n) when n < 0 = -n\n"
        "fn abs(n) = n\n"
        "fn neg(-1) = true\n"
        "fn first((a, _)) = a\n"
        "fn area(Shape.Circle(r)) = r\n"
        "fn unwrap(Some(x), _default) = x\n"
        "fn flag(true) = 1\n"
    )
    fns = sf.items
    assert all(isinstance(f, ast.FnDef) for f in fns)
    assert [f.name for f in fns] == ["double", "fib", "fib", "fib", "abs", "abs", "neg", "first", "area", "unwrap", "flag"]  # type: ignore[attr-defined]
    assert isinstance(fns[0].body, ast.BinaryOp)  # type: ignore[attr-defined]
    p0 = fns[1].params[0].pattern  # type: ignore[attr-defined]
    assert isinstance(p0, ast.LiteralPat) and p0.value.value == 0  # type: ignore[union-attr]
    assert fns[4].guard is not None and isinstance(fns[4].body, ast.UnaryOp)  # type: ignore[attr-defined]
    neg = fns[6].params[0].pattern  # type: ignore[attr-defined]
    assert isinstance(neg, ast.LiteralPat) and neg.value.value == -1  # type: ignore[union-attr]
    assert isinstance(fns[7].params[0].pattern, ast.TuplePat)  # type: ignore[attr-defined]
    area = fns[8].params[0].pattern  # type: ignore[attr-defined]
    assert isinstance(area, ast.ConstructorPat) and area.path == ["Shape", "Circle"]
    assert isinstance(fns[9].params[0].pattern, ast.ConstructorPat)  # type: ignore[attr-defined]
    assert isinstance(fns[10].params[0].pattern, ast.LiteralPat)  # type: ignore[attr-defined]


def test_self_param_and_no_params() -> None:
    sf = parse("fn main do\n  1\nend\nfn m(self, n :: Int) -> Int do\n  n\nend")
    main, m = sf.items
    assert isinstance(main, ast.FnDef) and main.params == []
    assert isinstance(m, ast.FnDef) and isinstance(m.params[0].pattern, ast.VarPat)
    assert m.params[0].pattern.name == "self"


def test_struct_with_generics_orm_and_deriving() -> None:
    s = only(
        "pub struct Event<T> do\n"
        '  table "events"\n'
        "  primary_key :uuid\n"
        "  timestamps true\n"
        "  id :: String\n"
        "  payload :: T\n"
        "  belongs_to :project, Project\n"
        "  has_many :tags, Tag\n"
        "  has_one :meta, Meta\n"
        "end deriving(Schema, Json, Row)"
    )
    assert isinstance(s, ast.StructDef)
    assert s.is_pub and s.name == "Event" and s.generics == ["T"]
    assert [f.name for f in s.fields] == ["id", "payload"]
    assert s.deriving == ["Schema", "Json", "Row"]
    keys = [k for k, _ in s.schema]
    assert keys == ["table", "primary_key", "timestamps", "belongs_to", "has_many", "has_one"]
    assert isinstance(s.schema[0][1][0], ast.StringLit)
    assert isinstance(s.schema[1][1][0], ast.AtomLit)
    bt = s.schema[3][1]
    assert isinstance(bt[0], ast.AtomLit) and isinstance(bt[1], ast.Name) and bt[1].name == "Project"


def test_struct_deriving_variants() -> None:
    sf = parse("struct A do\n  x :: Int\nend\nstruct B do\n  x :: Int\nend deriving()")
    a, b = sf.items
    assert isinstance(a, ast.StructDef) and a.deriving is None
    assert isinstance(b, ast.StructDef) and b.deriving == []


def test_sum_types() -> None:
    t = only("type Shape do\n  Circle(Float)\n  Rect(w :: Float, h :: Float)\n  Empty\nend deriving(Eq, Display)")
    assert isinstance(t, ast.SumTypeDef)
    assert [v.name for v in t.variants] == ["Circle", "Rect", "Empty"]
    assert t.variants[0].fields[0].name is None
    assert [f.name for f in t.variants[1].fields] == ["w", "h"]
    assert t.variants[2].fields == []
    assert t.deriving == ["Eq", "Display"]
    one_line = only("pub type Color do Red Green Blue end")
    assert isinstance(one_line, ast.SumTypeDef) and len(one_line.variants) == 3 and one_line.is_pub
    gen = only("type Tree<T> do\n  Leaf\n  Node(Tree<T>, T, Tree<T>)\nend")
    assert isinstance(gen, ast.SumTypeDef) and gen.generics == ["T"]


def test_type_aliases() -> None:
    sf = parse("type Id = Int\npub type StrResult<T> = Result<T, String>\ntype Cb = Fun(Int) -> String")
    a, b, c = sf.items
    assert isinstance(a, ast.TypeAlias) and isinstance(a.type, ast.TypeName)
    assert isinstance(b, ast.TypeAlias) and b.generics == ["T"] and b.is_pub
    assert isinstance(c, ast.TypeAlias) and isinstance(c.type, ast.FunType)


def test_interface_and_impl() -> None:
    sf = parse(
        "interface Container<T> do\n"
        "  type Item\n"
        "  fn get(self) -> Self.Item\n"
        "  fn size(self) -> Int do\n    0\n  end\n"
        "end\n"
        "impl Container<Int> for Box do\n"
        "  type Item = Int\n"
        "  fn get(self) -> Int do\n    self.value\n  end\n"
        "end\n"
        "impl From<Int> for Wrapper do\n  fn from(n :: Int) -> Wrapper do\n    Wrapper { v: n }\n  end\nend\n"
    )
    iface, impl, frm = sf.items
    assert isinstance(iface, ast.InterfaceDef) and iface.generics == ["T"]
    assert [a.name for a in iface.assoc_types] == ["Item"] and iface.assoc_types[0].type is None
    assert [m.name for m in iface.methods] == ["get", "size"]
    assert iface.methods[0].body is None and isinstance(iface.methods[1].body, ast.Block)
    ret = iface.methods[0].ret
    assert isinstance(ret, ast.TypeName) and ret.path == ["Self", "Item"]
    assert isinstance(impl, ast.ImplDef)
    assert impl.trait.path == ["Container"] and isinstance(impl.trait.args[0], ast.TypeName)
    assert isinstance(impl.for_type, ast.TypeName) and impl.for_type.path == ["Box"]
    assert impl.assoc_types[0].type is not None
    assert isinstance(frm, ast.ImplDef) and frm.trait.path == ["From"]


def test_actor_with_terminate() -> None:
    a = only(
        "actor counter(n :: Int) do\n"
        "  receive do\n    1 -> counter(n + 1)\n  end\n"
        "  terminate do\n    println(\"bye\")\n  end\n"
        "end"
    )
    assert isinstance(a, ast.ActorDef)
    assert a.name == "counter" and a.params[0].type is not None
    assert len(a.body.stmts) == 1 and isinstance(a.body.stmts[0], ast.Receive)
    assert a.terminate is not None and len(a.terminate.stmts) == 1


def test_service() -> None:
    s = only(
        "service Counter do\n"
        "  fn init(start :: Int) -> Int do\n    start\n  end\n"
        "  call Get() :: Int do |state|\n    (state, state)\n  end\n"
        "  call Add(n :: Int) :: Int do |state|\n    (state + n, state + n)\n  end\n"
        "  cast Reset() do |_state|\n    0\n  end\n"
        "  fn helper(x) = x\n"
        "end"
    )
    assert isinstance(s, ast.ServiceDef)
    assert s.init is not None and s.init.name == "init"
    assert [(h.kind, h.name) for h in s.handlers] == [("call", "Get"), ("call", "Add"), ("cast", "Reset")]
    assert isinstance(s.handlers[0].ret, ast.TypeName) and s.handlers[2].ret is None
    assert isinstance(s.handlers[0].state, ast.VarPat) and s.handlers[0].state.name == "state"
    assert [f.name for f in s.functions] == ["helper"]


def test_supervisor() -> None:
    s = only(
        "pub supervisor Sup do\n"
        "  strategy: one_for_one\n"
        "  max_restarts: 3\n"
        "  max_seconds: 5\n"
        "  child worker1 do\n"
        "    start: fn -> spawn(worker) end\n"
        "    restart: permanent\n"
        "    shutdown: 5000\n"
        "  end\n"
        "end"
    )
    assert isinstance(s, ast.SupervisorDef) and s.is_pub
    assert [k for k, _ in s.options] == ["strategy", "max_restarts", "max_seconds"]
    assert isinstance(s.options[0][1], ast.Name) and s.options[0][1].name == "one_for_one"
    child = s.children[0]
    assert child.id == "worker1" and [k for k, _ in child.options] == ["start", "restart", "shutdown"]
    assert isinstance(child.options[0][1], ast.Closure)


def test_modules_and_imports() -> None:
    sf = parse(
        "import Math.Vector\n"
        "import String as S\n"
        "from Storage.Queries import insert_org, get_org,\n  list_orgs\n"
        "pub module Geometry do\n  pub fn area(r) = r * r\n  module Inner do\n    fn x() = 1\n  end\nend\n"
        "let limit = 10\n"
    )
    imp, imp2, frm, mod, let = sf.items
    assert isinstance(imp, ast.Import) and imp.path == ["Math", "Vector"] and imp.alias is None
    assert isinstance(imp2, ast.Import) and imp2.alias == "S"
    assert isinstance(frm, ast.FromImport) and frm.names == ["insert_org", "get_org", "list_orgs"]
    assert isinstance(mod, ast.ModuleDef) and mod.is_pub and mod.name == "Geometry"
    assert isinstance(mod.items[0], ast.FnDef) and mod.items[0].is_pub
    assert isinstance(mod.items[1], ast.ModuleDef)
    assert isinstance(let, ast.LetItem) and isinstance(let.let.value, ast.IntLit)


def test_doc_comments() -> None:
    sf = parse(
        "##! The module.\n##! Second line.\n\n"
        "## Adds one.\n## Really.\npub fn inc(x) = x + 1\n\n"
        "# plain comment\nfn plain() = 0\n"
        "## Point doc\nstruct P do\n  x :: Int\nend\n"
    )
    assert sf.module_doc == "The module.\nSecond line."
    inc, plain, p = sf.items
    assert inc.doc == "Adds one.\nReally."
    assert plain.doc is None
    assert p.doc == "Point doc"


def test_empty_bodies() -> None:
    sf = parse(
        "fn f() do end\n"
        "struct E do end\n"
        "fn g() do\n  if a do else end\n  while x do end\n  fn do end\n  run() do end\nend\n"
        "interface I do\n  fn sig(self)\n  fn empty(self) do end\nend\n"
        "actor a() do\n  terminate do end\nend\n"
        "service S do\n  call C() do |s| end\nend\n"
    )
    f, e, g, i, a, s = sf.items
    assert isinstance(f, ast.FnDef) and isinstance(f.body, ast.Block) and f.body.stmts == []
    assert isinstance(e, ast.StructDef) and e.fields == []
    assert isinstance(g, ast.FnDef) and isinstance(g.body, ast.Block)
    if_, while_, clo, call = g.body.stmts
    assert isinstance(if_, ast.If) and if_.then.stmts == [] and isinstance(if_.else_, ast.Block)
    assert isinstance(while_, ast.While) and while_.body.stmts == []
    assert isinstance(clo, ast.Closure) and isinstance(clo.clauses[0].body, ast.Block)
    assert isinstance(call, ast.Call) and call.trailing is not None
    assert isinstance(i, ast.InterfaceDef)
    assert i.methods[0].body is None and isinstance(i.methods[1].body, ast.Block)
    assert isinstance(a, ast.ActorDef) and a.terminate is not None and a.terminate.stmts == []
    assert isinstance(s, ast.ServiceDef) and s.handlers[0].body.stmts == []
