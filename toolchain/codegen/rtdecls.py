"""Runtime declarations read from the C headers (cruntime/include/mesh/*.h).

The headers are the single source of truth for the compiler↔runtime ABI. We preprocess them with
the system C compiler against tiny stand-in libc headers (so pycparser never sees GCC
extensions), parse them with pycparser, and extract: function prototypes, typedefs, struct
layouts (LP64 natural alignment) and enum / integer `#define` constants.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# pycparser is imported only when the headers must be parsed (a cache miss), keeping compiler
# start-up fast.
c_ast: Any = None
c_parser: Any = None


def _import_pycparser() -> None:
    global c_ast, c_parser
    if c_parser is None:
        from pycparser import c_ast as ast_mod
        from pycparser import c_parser as parser_mod

        c_ast, c_parser = ast_mod, parser_mod

# ─────────────────────────────── C type model ────────────────────────────────


@dataclass(frozen=True)
class CType:
    """kind: 'void' | 'int' | 'float' | 'ptr' | 'struct' | 'fnptr'. `size` in bytes."""

    kind: str
    size: int = 0
    signed: bool = True
    name: str = ""  # struct name, or pointee name for pointers (informational)

    @property
    def is_void(self) -> bool:
        return self.kind == "void"


VOID = CType("void")
PTR = CType("ptr", 8)


@dataclass
class CFunc:
    name: str
    ret: CType
    params: list[CType]
    param_names: list[str]
    variadic: bool = False
    noreturn: bool = False
    first_is_ctx: bool = False


@dataclass
class CStruct:
    name: str
    fields: list[tuple[str, CType, int]]  # name, type, offset
    size: int

    def offset(self, fname: str) -> int:
        for n, _, off in self.fields:
            if n == fname:
                return off
        raise KeyError(f"{self.name}.{fname}")

    def field_type(self, fname: str) -> CType:
        for n, t, _ in self.fields:
            if n == fname:
                return t
        raise KeyError(f"{self.name}.{fname}")


@dataclass
class RuntimeDecls:
    functions: dict[str, CFunc] = field(default_factory=dict)
    structs: dict[str, CStruct] = field(default_factory=dict)
    constants: dict[str, int] = field(default_factory=dict)
    typedefs: dict[str, CType] = field(default_factory=dict)

    def func(self, name: str) -> CFunc:
        try:
            return self.functions[name]
        except KeyError:
            raise KeyError(f"runtime function {name!r} is not declared in cruntime/include/mesh/*.h") from None

    def const(self, name: str, default: int | None = None) -> int:
        if name in self.constants:
            return self.constants[name]
        if default is not None:
            return default
        raise KeyError(f"runtime constant {name!r} is not defined in the headers")

    def struct(self, name: str) -> CStruct:
        s = self.structs.get(name)
        if s is None:
            raise KeyError(f"runtime struct {name!r} is not defined in the headers")
        return s


# ─────────────────────────────── header location ─────────────────────────────


def include_dir() -> Path:
    env = os.environ.get("MESH_RUNTIME_INCLUDE")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "cruntime" / "include"


_FAKE_LIBC = {
    "stdint.h": """
typedef signed char int8_t; typedef short int16_t; typedef int int32_t; typedef long int64_t;
typedef unsigned char uint8_t; typedef unsigned short uint16_t; typedef unsigned int uint32_t;
typedef unsigned long uint64_t; typedef long intptr_t; typedef unsigned long uintptr_t;
typedef long intmax_t; typedef unsigned long uintmax_t;
#define INT64_MAX 9223372036854775807L
#define INT64_MIN (-INT64_MAX - 1)
#define UINT64_MAX 18446744073709551615UL
#define INT32_MAX 2147483647
#define UINT32_MAX 4294967295U
""",
    "stddef.h": """
typedef unsigned long size_t; typedef long ptrdiff_t; typedef int wchar_t;
#define NULL ((void*)0)
#define offsetof(t, m) 0
""",
    "stdbool.h": "typedef _Bool bool;\n#define true 1\n#define false 0\n",
    "stdarg.h": "typedef void *va_list;\n",
    "stdalign.h": "",
    "stdnoreturn.h": "",
    "stdatomic.h": "",
    "inttypes.h": '#include "stdint.h"\n',
    "limits.h": "#define INT_MAX 2147483647\n",
    "stdio.h": "typedef struct FILE FILE;\n",
    "stdlib.h": '#include "stddef.h"\n',
    "string.h": '#include "stddef.h"\n',
    "math.h": "",
    "setjmp.h": "typedef long jmp_buf[32];\n",
    "pthread.h": "typedef unsigned long pthread_t; typedef struct { long _x[8]; } pthread_mutex_t;"
    " typedef struct { long _x[8]; } pthread_cond_t;\n",
    "signal.h": "",
    "time.h": "",
    "errno.h": "",
    "assert.h": "#define assert(x)\n#define static_assert(a, b)\n",
}

_DEFINES = [
    "-D__attribute__(x)=",
    "-D__extension__=",
    "-D__restrict=",
    "-D__inline=",
    "-D__asm__(x)=",
    "-D_Noreturn=",
    "-D_Alignas(x)=",
    "-D_Atomic(x)=x",
    "-D_Static_assert(a,b)=",
    "-D__builtin_va_list=void*",
    "-D_Thread_local=",
    "-D__thread=",
    "-DMESH_ABI_PARSE=1",
]


# A release bundle has no C compiler to run `cc -E` with: its build stores the preprocessor's
# output next to the headers, keyed by their digest (a stale file is ignored).
PREPROCESSED_FILE = "preprocessed.json"


def headers_digest(inc: Path) -> str:
    """A hash over the runtime headers' names and contents."""
    h = hashlib.sha256()
    for header in sorted((inc / "mesh").glob("*.h")):
        h.update(header.name.encode() + b"\0" + header.read_bytes() + b"\0")
    return h.hexdigest()


def _stored_preprocessed(inc: Path) -> tuple[str, str] | None:
    try:
        data = json.loads((inc / PREPROCESSED_FILE).read_text())
        if data["key"] == headers_digest(inc):
            return data["code"], data["macros"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def store_preprocessed(inc: Path) -> None:
    """Run the preprocessing now and keep it next to the headers (the release build does this)."""
    code, macros = _run_cc_preprocessor(inc)
    (inc / PREPROCESSED_FILE).write_text(json.dumps({"key": headers_digest(inc), "code": code, "macros": macros}))


def _preprocess(inc: Path) -> tuple[str, str]:
    return _stored_preprocessed(inc) or _run_cc_preprocessor(inc)


def _run_cc_preprocessor(inc: Path) -> tuple[str, str]:
    headers = sorted((inc / "mesh").glob("*.h"))
    if not headers:
        raise FileNotFoundError(f"no runtime headers in {inc / 'mesh'}")
    with tempfile.TemporaryDirectory() as td:
        fake = Path(td) / "fake"
        fake.mkdir()
        for n, text in _FAKE_LIBC.items():
            (fake / n).write_text(text)
        for sub in ("sys", "arpa", "netinet"):
            (fake / sub).mkdir()
        main = Path(td) / "all.c"
        umbrella = inc / "mesh" / "mesh.h"
        names = ["mesh.h"] if umbrella.exists() else [h.name for h in headers]
        main.write_text('#include "stdint.h"\n#include "stddef.h"\n#include "stdbool.h"\n' + "".join(f'#include "mesh/{n}"\n' for n in names))
        base = ["cc", "-nostdinc", "-I", str(fake), "-I", str(inc), *_DEFINES, "-std=c11", "-E"]
        code = subprocess.run([*base, "-P", str(main)], capture_output=True, text=True, check=True).stdout
        macros = subprocess.run([*base, "-dM", str(main)], capture_output=True, text=True, check=True).stdout
    return code, macros


_INT_SIZES = {
    "char": 1, "signed char": 1, "unsigned char": 1, "_Bool": 1,
    "short": 2, "unsigned short": 2, "short int": 2, "unsigned short int": 2,
    "int": 4, "unsigned int": 4, "unsigned": 4, "signed": 4, "signed int": 4,
    "long": 8, "unsigned long": 8, "long int": 8, "unsigned long int": 8,
    "long long": 8, "unsigned long long": 8, "long long int": 8, "unsigned long long int": 8,
}


class _Parser:
    def __init__(self) -> None:
        self.d = RuntimeDecls()
        self._struct_nodes: dict[str, c_ast.Struct] = {}
        self._typedef_nodes: dict[str, c_ast.Node] = {}

    def ctype(self, node: c_ast.Node) -> CType:
        if isinstance(node, c_ast.TypeDecl):
            return self.ctype(node.type)
        if isinstance(node, c_ast.PtrDecl):
            inner = node.type
            if isinstance(inner, c_ast.FuncDecl):
                return CType("ptr", 8, name="fn")
            pname = ""
            if isinstance(inner, c_ast.TypeDecl) and isinstance(inner.type, c_ast.IdentifierType):
                pname = " ".join(inner.type.names)
            elif isinstance(inner, c_ast.TypeDecl) and isinstance(inner.type, c_ast.Struct):
                pname = inner.type.name or ""
            return CType("ptr", 8, name=pname)
        if isinstance(node, c_ast.ArrayDecl):
            el = self.ctype(node.type)
            n = int(_eval_const(node.dim, self.d.constants)) if node.dim is not None else 0
            return CType("array", el.size * n, name=f"{el.kind}:{el.size}")
        if isinstance(node, c_ast.IdentifierType):
            name = " ".join(n for n in node.names if n not in ("const", "volatile"))
            if name == "void":
                return VOID
            if name in ("float",):
                return CType("float", 4)
            if name in ("double", "long double"):
                return CType("float", 8)
            if name in _INT_SIZES:
                return CType("int", _INT_SIZES[name], signed=not name.startswith("unsigned") and name != "_Bool")
            if name in self.d.typedefs:
                return self.d.typedefs[name]
            if name in self._typedef_nodes:
                t = self.ctype(self._typedef_nodes[name])
                t = CType(t.kind, t.size, t.signed, name if t.kind in ("int", "float") else (t.name or name))
                self.d.typedefs[name] = t
                return t
            raise KeyError(f"unknown C type {name}")
        if isinstance(node, c_ast.Struct | c_ast.Union):
            s = self.struct(node)
            return CType("struct", s.size if s else 0, name=node.name or "")
        if isinstance(node, c_ast.Enum):
            self.enum(node)
            return CType("int", 4)
        if isinstance(node, c_ast.FuncDecl):
            return CType("fn", 0)
        raise TypeError(f"unsupported C type node {type(node).__name__}")

    def enum(self, node: c_ast.Enum) -> None:
        if node.values is None:
            return
        v = -1
        for e in node.values.enumerators:
            v = int(_eval_const(e.value, self.d.constants)) if e.value is not None else v + 1
            self.d.constants[e.name] = v

    def struct(self, node: c_ast.Struct | c_ast.Union) -> CStruct | None:
        name = node.name or ""
        decls = node.decls
        if decls is None:
            if name in self.d.structs:
                return self.d.structs[name]
            full = self._struct_nodes.get(name)
            if full is None:
                return None
            decls = full.decls
        if name in self.d.structs:
            return self.d.structs[name]
        fields: list[tuple[str, CType, int]] = []
        off = 0
        size = 0
        max_align = 1
        for dcl in decls or []:
            t = self.ctype(dcl.type)
            al = _align(t)
            max_align = max(max_align, al)
            if isinstance(node, c_ast.Union):
                fields.append((dcl.name, t, 0))
                size = max(size, t.size)
            else:
                off = (off + al - 1) // al * al
                fields.append((dcl.name, t, off))
                off += t.size
                size = off
        size = (size + max_align - 1) // max_align * max_align
        s = CStruct(name, fields, size)
        if name:
            self.d.structs[name] = s
        return s

    def run(self, code: str, macros: str) -> RuntimeDecls:
        ast = c_parser.CParser().parse(code, filename="<mesh headers>")
        # pass 1: remember struct bodies and typedefs
        for ext in ast.ext:
            self._collect_structs(ext)
            if isinstance(ext, c_ast.Typedef):
                self._typedef_nodes[ext.name] = ext.type
        for line in macros.splitlines():
            m = re.match(r"#define (MESH_\w+) (.+)$", line)
            if m:
                try:
                    self.d.constants[m.group(1)] = int(_eval_macro(m.group(2), self.d.constants))
                except (ValueError, SyntaxError, NameError, TypeError, ZeroDivisionError):
                    pass
        for ext in ast.ext:
            if isinstance(ext, c_ast.Typedef):
                try:
                    t = self.ctype(ext.type)
                    nm = ext.name if t.kind in ("int", "float") else (t.name or ext.name)
                    self.d.typedefs[ext.name] = CType(t.kind, t.size, t.signed, nm)
                except (KeyError, TypeError):
                    pass
            elif isinstance(ext, c_ast.Decl):
                if isinstance(ext.type, c_ast.FuncDecl):
                    self.func(ext)
                elif isinstance(ext.type, c_ast.Enum):
                    self.enum(ext.type)
                elif isinstance(ext.type, c_ast.Struct):
                    self.struct(ext.type)
            elif isinstance(ext, c_ast.FuncDef):
                self.func(ext.decl)
        return self.d

    def _collect_structs(self, node: c_ast.Node) -> None:
        if isinstance(node, c_ast.Struct | c_ast.Union) and node.decls is not None and node.name:
            self._struct_nodes[node.name] = node
        if isinstance(node, c_ast.Enum):
            self.enum(node)
        for _, ch in node.children():
            self._collect_structs(ch)

    def func(self, decl: c_ast.Decl) -> None:
        fd: c_ast.FuncDecl = decl.type
        ret = self.ctype(fd.type)
        params: list[CType] = []
        names: list[str] = []
        variadic = False
        if fd.args is not None:
            for p in fd.args.params:
                if isinstance(p, c_ast.EllipsisParam):
                    variadic = True
                    continue
                t = self.ctype(p.type)
                if t.is_void and not isinstance(p.type, c_ast.PtrDecl):
                    continue
                params.append(t)
                names.append(p.name or "")
        first_ctx = bool(params) and params[0].kind == "ptr" and params[0].name in ("MeshCtx", "struct MeshCtx")
        noreturn = "_Noreturn" in (decl.funcspec or []) or "noreturn" in (decl.funcspec or [])
        self.d.functions[decl.name] = CFunc(decl.name, ret, params, names, variadic, noreturn, first_ctx)


def _align(t: CType) -> int:
    if t.kind == "array":
        return int(t.name.split(":")[1]) if ":" in t.name else 8
    if t.kind == "struct":
        return 8
    return max(1, min(t.size, 8))


def _eval_const(node: c_ast.Node, env: dict[str, int]) -> int:
    if isinstance(node, c_ast.Constant):
        return int(node.value.rstrip("uUlL"), 0)
    if isinstance(node, c_ast.ID):
        return env[node.name]
    if isinstance(node, c_ast.UnaryOp):
        v = _eval_const(node.expr, env)
        return {"-": -v, "+": v, "~": ~v, "!": int(not v)}[node.op]
    if isinstance(node, c_ast.BinaryOp):
        a, b = _eval_const(node.left, env), _eval_const(node.right, env)
        ops = {"+": a + b, "-": a - b, "*": a * b, "<<": a << b if b >= 0 else 0,
               ">>": a >> b if b >= 0 else 0, "|": a | b, "&": a & b, "^": a ^ b}
        if node.op in ops:
            return ops[node.op]
        if node.op == "/":
            return a // b
    if isinstance(node, c_ast.Cast):
        return _eval_const(node.expr, env)
    raise ValueError("not a constant")


def _eval_macro(text: str, env: dict[str, int]) -> int:
    t = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", text.strip())
    t = re.sub(r"\((u?int\d+_t|MeshSlot|unsigned|int|long)\)", "", t)
    if not re.fullmatch(r"[\w\s()+\-*/<>|&~^]+", t):
        raise ValueError(text)
    t = t.replace("/", "//")
    return int(eval(t, {"__builtins__": {}}, dict(env)))  # noqa: S307 - digits/operators/known names only


_CACHE_VERSION = "1"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "meshc"


@functools.lru_cache(maxsize=4)
def _load(inc: str, digest: str) -> RuntimeDecls:
    """Parse the headers (about 0.2 s), or read the result cached on disk under their digest."""
    cache = _cache_dir() / f"rtdecls-{digest}.pickle"
    try:
        with open(cache, "rb") as fh:
            got = pickle.load(fh)
        if isinstance(got, RuntimeDecls):
            return got
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        pass
    code, macros = _preprocess(Path(inc))
    _import_pycparser()
    decls = _Parser().run(code, macros)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(decls, fh)
        os.replace(tmp, cache)
    except OSError:
        pass
    return decls


def load_runtime_decls(inc: Path | None = None) -> RuntimeDecls:
    inc = inc or include_dir()
    h = hashlib.sha256(_CACHE_VERSION.encode())
    try:
        h.update(Path(__file__).read_bytes())
    except OSError:  # frozen build: the version string alone keys the cache
        pass
    h.update(headers_digest(inc).encode())
    return _load(str(inc), h.hexdigest()[:32])
