"""Signatures of the standard library modules and prelude functions (facts from the reference's
stdlib catalogue). Written in Mesh type syntax; single capital letters are type parameters.

Deliberate refinements over the reference (a superset of what it accepts): `Set<T>` is generic,
iterators are typed `Iter<T>`, and `Tuple.*` is typed per tuple in the checker.
"""

from __future__ import annotations

import re
from functools import cache

from toolchain.check.typed import TCon, TFun, TParam, TTuple, Type

_SPECS = """
String.length (String) -> Int
String.slice (String, Int, Int) -> String
String.contains (String, String) -> Bool
String.starts_with (String, String) -> Bool
String.ends_with (String, String) -> Bool
String.trim (String) -> String
String.to_upper (String) -> String
String.to_lower (String) -> String
String.replace (String, String, String) -> String
String.split (String, String) -> List<String>
String.join (List<String>, String) -> String
String.to_int (String) -> Option<Int>
String.to_float (String) -> Option<Float>
String.from (T) -> String
String.collect (Iter<String>) -> String
IO.read_line () -> Result<String, String>
IO.eprintln (String) -> ()
Env.get (String) -> Option<String>
Env.args () -> List<String>
File.read (String) -> Result<String, String>
File.write (String, String) -> Result<(), String>
File.append (String, String) -> Result<(), String>
File.exists (String) -> Bool
File.delete (String) -> Result<(), String>
List.new () -> List<T>
List.length (List<T>) -> Int
List.append (List<T>, T) -> List<T>
List.head (List<T>) -> T
List.tail (List<T>) -> List<T>
List.get (List<T>, Int) -> T
List.concat (List<T>, List<T>) -> List<T>
List.reverse (List<T>) -> List<T>
List.map (List<T>, Fun(T) -> U) -> List<U>
List.filter (List<T>, Fun(T) -> Bool) -> List<T>
List.reduce (List<T>, U, Fun(U, T) -> U) -> U
List.sort (List<T>, Fun(T, T) -> Int) -> List<T>
List.find (List<T>, Fun(T) -> Bool) -> Option<T>
List.any (List<T>, Fun(T) -> Bool) -> Bool
List.all (List<T>, Fun(T) -> Bool) -> Bool
List.contains (List<T>, T) -> Bool
List.zip (List<T>, List<U>) -> List<(T, U)>
List.flat_map (List<T>, Fun(T) -> List<U>) -> List<U>
List.flatten (List<List<T>>) -> List<T>
List.enumerate (List<T>) -> List<(Int, T)>
List.take (List<T>, Int) -> List<T>
List.drop (List<T>, Int) -> List<T>
List.last (List<T>) -> T
List.nth (List<T>, Int) -> T
List.collect (Iter<T>) -> List<T>
Map.new () -> Map<K, V>
Map.put (Map<K, V>, K, V) -> Map<K, V>
Map.get (Map<K, V>, K) -> V
Map.lookup (Map<K, V>, K) -> Option<V>
Map.has_key (Map<K, V>, K) -> Bool
Map.delete (Map<K, V>, K) -> Map<K, V>
Map.size (Map<K, V>) -> Int
Map.keys (Map<K, V>) -> List<K>
Map.values (Map<K, V>) -> List<V>
Map.merge (Map<K, V>, Map<K, V>) -> Map<K, V>
Map.to_list (Map<K, V>) -> List<(K, V)>
Map.from_list (List<(K, V)>) -> Map<K, V>
Map.collect (Iter<(K, V)>) -> Map<K, V>
Set.new () -> Set<T>
Set.add (Set<T>, T) -> Set<T>
Set.remove (Set<T>, T) -> Set<T>
Set.contains (Set<T>, T) -> Bool
Set.size (Set<T>) -> Int
Set.union (Set<T>, Set<T>) -> Set<T>
Set.intersection (Set<T>, Set<T>) -> Set<T>
Set.difference (Set<T>, Set<T>) -> Set<T>
Set.to_list (Set<T>) -> List<T>
Set.from_list (List<T>) -> Set<T>
Set.collect (Iter<T>) -> Set<T>
Range.new (Int, Int) -> Range
Range.to_list (Range) -> List<Int>
Range.map (Range, Fun(Int) -> T) -> List<T>
Range.filter (Range, Fun(Int) -> Bool) -> List<Int>
Range.length (Range) -> Int
Queue.new () -> Queue
Queue.push (Queue, Int) -> Queue
Queue.pop (Queue) -> (Int, Queue)
Queue.peek (Queue) -> Int
Queue.size (Queue) -> Int
Queue.is_empty (Queue) -> Bool
JSON.parse (String) -> Result<Json, String>
JSON.encode (Json) -> String
JSON.encode_string (String) -> String
JSON.encode_int (Int) -> String
JSON.encode_bool (Bool) -> String
JSON.encode_map (Map<K, V>) -> String
JSON.encode_list (List<T>) -> String
JSON.get (String, String) -> String
JSON.get_nested (String, String, String) -> String
Json.parse (String) -> Result<Json, String>
Json.encode (T) -> String
Json.encode_string (String) -> String
Json.encode_int (Int) -> String
Json.encode_bool (Bool) -> String
Json.encode_map (Map<K, V>) -> String
Json.encode_list (List<T>) -> String
Json.get (String, String) -> String
Json.get_nested (String, String, String) -> String
HTTP.router () -> Router
HTTP.route (Router, String, Fun(Request) -> Response) -> Router
HTTP.on_get (Router, String, Fun(Request) -> Response) -> Router
HTTP.on_post (Router, String, Fun(Request) -> Response) -> Router
HTTP.on_put (Router, String, Fun(Request) -> Response) -> Router
HTTP.on_delete (Router, String, Fun(Request) -> Response) -> Router
HTTP.use (Router, Fun(Request, Fun(Request) -> Response) -> Response) -> Router
HTTP.serve (Router, Int) -> ()
HTTP.serve_tls (Router, Int, String, String) -> ()
HTTP.response (Int, String) -> Response
HTTP.response_with_headers (Int, String, Map<K, V>) -> Response
HTTP.get (String) -> Result<String, String>
HTTP.post (String, String) -> Result<String, String>
Request.method (Request) -> String
Request.path (Request) -> String
Request.body (Request) -> String
Request.header (Request, String) -> Option<String>
Request.query (Request, String) -> Option<String>
Request.param (Request, String) -> Option<String>
Job.async (Fun() -> T) -> Pid<T>
Job.await (Pid<T>) -> Result<T, String>
Job.await_timeout (Pid<T>, Int) -> Result<T, String>
Job.map (List<A>, Fun(A) -> B) -> List<Result<B, String>>
Math.abs (T) -> T
Math.min (T, T) -> T
Math.max (T, T) -> T
Math.pow (Float, Float) -> Float
Math.sqrt (Float) -> Float
Math.floor (Float) -> Int
Math.ceil (Float) -> Int
Math.round (Float) -> Int
Int.to_float (Int) -> Float
Float.to_int (Float) -> Int
Float.from (Int) -> Float
Timer.sleep (Int) -> ()
Timer.send_after (Pid<T>, Int, T) -> ()
Sqlite.open (String) -> Result<SqliteConn, String>
Sqlite.close (SqliteConn) -> ()
Sqlite.execute (SqliteConn, String, List<String>) -> Result<Int, String>
Sqlite.query (SqliteConn, String, List<String>) -> Result<List<Map<String, String>>, String>
Sqlite.begin (SqliteConn) -> Result<(), String>
Sqlite.commit (SqliteConn) -> Result<(), String>
Sqlite.rollback (SqliteConn) -> Result<(), String>
Pg.connect (String) -> Result<PgConn, String>
Pg.close (PgConn) -> ()
Pg.execute (PgConn, String, List<String>) -> Result<Int, String>
Pg.query (PgConn, String, List<String>) -> Result<List<Map<String, String>>, String>
Pg.begin (PgConn) -> Result<(), String>
Pg.commit (PgConn) -> Result<(), String>
Pg.rollback (PgConn) -> Result<(), String>
Pg.transaction (PgConn, Fun(PgConn) -> Result<(), String>) -> Result<(), String>
Pg.query_as (PgConn, String, List<String>, Fun(Map<String, String>) -> Result<A, String>) -> Result<List<Result<A, String>>, String>
Pool.open (String, Int, Int, Int) -> Result<PoolHandle, String>
Pool.close (PoolHandle) -> ()
Pool.checkout (PoolHandle) -> Result<PgConn, String>
Pool.checkin (PoolHandle, PgConn) -> ()
Pool.query (PoolHandle, String, List<String>) -> Result<List<Map<String, String>>, String>
Pool.execute (PoolHandle, String, List<String>) -> Result<Int, String>
Pool.query_as (PoolHandle, String, List<String>, Fun(Map<String, String>) -> Result<A, String>) -> Result<List<Result<A, String>>, String>
Node.start (String, String) -> Int
Node.connect (String) -> Int
Node.self () -> String
Node.list () -> List<String>
Node.monitor (String) -> Int
Process.monitor (Pid) -> Int
Process.demonitor (Int) -> Int
Process.register (String, Pid) -> Int
Process.whereis (String) -> Pid
Process.trap_exit (Bool) -> Bool
Process.exit (Pid, ExitReason) -> ()
Process.kill (Pid) -> ()
Process.exit_reason () -> ExitReason
Process.set_call_timeout (Int) -> Int
Global.register (String, Pid) -> Int
Global.whereis (String) -> Pid
Global.unregister (String) -> Int
Ws.serve (Fun(Int, String, Map<String, String>) -> Int, Fun(Int, String) -> (), Fun(Int, Int, String) -> (), Int) -> ()
Ws.send (Int, String) -> Int
Ws.join (Int, String) -> Int
Ws.leave (Int, String) -> Int
Ws.broadcast (String, String) -> Int
Ws.broadcast_except (String, String, Int) -> Int
Iter.from (List<T>) -> Iter<T>
Iter.map (Iter<T>, Fun(T) -> U) -> Iter<U>
Iter.filter (Iter<T>, Fun(T) -> Bool) -> Iter<T>
Iter.take (Iter<T>, Int) -> Iter<T>
Iter.skip (Iter<T>, Int) -> Iter<T>
Iter.enumerate (Iter<T>) -> Iter<(Int, T)>
Iter.zip (Iter<T>, Iter<U>) -> Iter<(T, U)>
Iter.count (Iter<T>) -> Int
Iter.sum (Iter<Int>) -> Int
Iter.any (Iter<T>, Fun(T) -> Bool) -> Bool
Iter.all (Iter<T>, Fun(T) -> Bool) -> Bool
Iter.find (Iter<T>, Fun(T) -> Bool) -> Option<T>
Iter.reduce (Iter<T>, T, Fun(T, T) -> T) -> T
Orm.build_select (String, List<String>, List<String>, List<String>, Int, Int) -> String
Orm.build_insert (String, List<String>, List<String>) -> String
Orm.build_update (String, List<String>, List<String>, List<String>) -> String
Orm.build_delete (String, List<String>, List<String>) -> String
Query.from (String) -> Query
Query.where (Query, Atom, String) -> Query
Query.where_op (Query, Atom, Atom, String) -> Query
Query.where_in (Query, Atom, List<String>) -> Query
Query.where_null (Query, Atom) -> Query
Query.where_not_null (Query, Atom) -> Query
Query.select (Query, List<String>) -> Query
Query.order_by (Query, Atom, Atom) -> Query
Query.limit (Query, Int) -> Query
Query.offset (Query, Int) -> Query
Query.join (Query, Atom, String, String) -> Query
Query.group_by (Query, Atom) -> Query
Query.having (Query, String, String) -> Query
Query.fragment (Query, String, List<String>) -> Query
Query.select_raw (Query, List<String>) -> Query
Query.where_raw (Query, String, List<String>) -> Query
Repo.all (PoolHandle, Query) -> Result<List<Map<String, String>>, String>
Repo.one (PoolHandle, Query) -> Result<Map<String, String>, String>
Repo.get (PoolHandle, String, String) -> Result<Map<String, String>, String>
Repo.get_by (PoolHandle, String, String, String) -> Result<Map<String, String>, String>
Repo.count (PoolHandle, Query) -> Result<Int, String>
Repo.exists (PoolHandle, Query) -> Result<Bool, String>
Repo.insert (PoolHandle, String, Map<String, String>) -> Result<Map<String, String>, String>
Repo.update (PoolHandle, String, String, Map<String, String>) -> Result<Map<String, String>, String>
Repo.delete (PoolHandle, String, String) -> Result<Map<String, String>, String>
Repo.transaction (PoolHandle, Fun(PgConn) -> Result<T, String>) -> Result<T, String>
Repo.update_where (PoolHandle, String, Map<String, String>, Query) -> Result<Map<String, String>, String>
Repo.delete_where (PoolHandle, String, Query) -> Result<Int, String>
Repo.query_raw (PoolHandle, String, List<String>) -> Result<List<Map<String, String>>, String>
Repo.execute_raw (PoolHandle, String, List<String>) -> Result<Int, String>
Repo.insert_changeset (PoolHandle, String, Changeset) -> Result<Map<String, String>, Changeset>
Repo.update_changeset (PoolHandle, String, String, Changeset) -> Result<Map<String, String>, Changeset>
Repo.preload (PoolHandle, List<Map<String, String>>, List<String>, List<String>) -> Result<List<Map<String, String>>, String>
Changeset.cast (Map<String, String>, Map<String, String>, List<Atom>) -> Changeset
Changeset.cast_with_types (Map<String, String>, Map<String, String>, List<Atom>, List<String>) -> Changeset
Changeset.validate_required (Changeset, List<Atom>) -> Changeset
Changeset.validate_length (Changeset, Atom, Int, Int) -> Changeset
Changeset.validate_format (Changeset, Atom, String) -> Changeset
Changeset.validate_inclusion (Changeset, Atom, List<String>) -> Changeset
Changeset.validate_number (Changeset, Atom, Int, Int, Int, Int) -> Changeset
Changeset.valid (Changeset) -> Bool
Changeset.errors (Changeset) -> Map<String, String>
Changeset.changes (Changeset) -> Map<String, String>
Changeset.get_change (Changeset, Atom) -> String
Changeset.get_error (Changeset, Atom) -> String
Migration.create_table (PoolHandle, String, List<String>) -> Result<Int, String>
Migration.drop_table (PoolHandle, String) -> Result<Int, String>
Migration.add_column (PoolHandle, String, String) -> Result<Int, String>
Migration.drop_column (PoolHandle, String, String) -> Result<Int, String>
Migration.rename_column (PoolHandle, String, String, String) -> Result<Int, String>
Migration.create_index (PoolHandle, String, List<String>, String) -> Result<Int, String>
Migration.drop_index (PoolHandle, String, List<String>) -> Result<Int, String>
Migration.execute (PoolHandle, String) -> Result<Int, String>
println (String) -> ()
print (String) -> ()
compare (T, T) -> Ordering
default () -> T
"""

# Values (not functions) in stdlib modules.
_VALUES = {"Math.pi": "Float"}

STDLIB_MODULES = (
    "String IO Env File List Map Set Tuple Range Queue HTTP JSON Json Request Job Math Int Float "
    "Timer Sqlite Pg Pool Node Process Global Iter Ws Orm Query Repo Changeset Migration"
).split()

# Bare prelude aliases and flat prefixed names -> canonical names.
PRELUDE_ALIASES = {
    "map": "List.map",
    "filter": "List.filter",
    "reduce": "List.reduce",
    "head": "List.head",
    "tail": "List.tail",
}

_FLAT_PREFIXES = {
    "string": "String", "file": "File", "io": "IO", "env": "Env", "list": "List", "map": "Map",
    "set": "Set", "tuple": "Tuple", "range": "Range", "queue": "Queue", "json": "JSON",
    "http": "HTTP", "request": "Request", "sqlite": "Sqlite", "pg": "Pg", "pool": "Pool",
}

# Builtin opaque type names usable in annotations (no arguments).
OPAQUE_TYPES = {
    "Json", "Request", "Response", "Router", "SqliteConn", "PgConn", "PoolHandle", "Ptr", "Queue",
    "Range", "Query", "Changeset", "Atom", "Tuple",
}

# Generic builtin type constructors and their arity.
GENERIC_BUILTINS = {"List": 1, "Map": 2, "Set": 1, "Option": 1, "Result": 2, "Pid": 1, "Iter": 1}


class _TypeParser:
    def __init__(self, text: str, owner: str) -> None:
        self.toks = re.findall(r"->|[A-Za-z_][A-Za-z0-9_]*|[(),<>]", text)
        self.pos = 0
        self.owner = owner
        self.params: dict[str, TParam] = {}

    def peek(self) -> str | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, expect: str | None = None) -> str:
        tok = self.toks[self.pos]
        if expect is not None and tok != expect:
            raise ValueError(f"expected {expect}, got {tok} in {self.toks}")
        self.pos += 1
        return tok

    def parse_type(self) -> Type:
        tok = self.take()
        if tok == "(":
            items = []
            while self.peek() != ")":
                items.append(self.parse_type())
                if self.peek() == ",":
                    self.take()
            self.take(")")
            if self.peek() == "->":
                self.take()
                return TFun(tuple(items), self.parse_type())
            return items[0] if len(items) == 1 else TTuple(tuple(items))
        if tok == "Fun":
            self.take("(")
            params = []
            while self.peek() != ")":
                params.append(self.parse_type())
                if self.peek() == ",":
                    self.take()
            self.take(")")
            self.take("->")
            return TFun(tuple(params), self.parse_type())
        if len(tok) == 1 and tok.isupper():
            if tok not in self.params:
                self.params[tok] = TParam(tok, self.owner)
            return self.params[tok]
        args: list[Type] = []
        if self.peek() == "<":
            self.take()
            while self.peek() != ">":
                args.append(self.parse_type())
                if self.peek() == ",":
                    self.take()
            self.take(">")
        return TCon(tok, tuple(args))


def parse_sig(text: str, owner: str) -> tuple[list[TParam], Type]:
    p = _TypeParser(text, owner)
    t = p.parse_type()
    return list(p.params.values()), t


@cache
def builtin_table() -> dict[str, tuple[list[TParam], Type]]:
    table: dict[str, tuple[list[TParam], Type]] = {}
    for line in _SPECS.strip().splitlines():
        name, sig = line.split(" ", 1)
        table[name] = parse_sig(sig, name)
    for name, sig in _VALUES.items():
        table[name] = parse_sig(sig, name)
    return table


def lookup_module_fn(module: str, name: str) -> tuple[str, tuple[list[TParam], Type]] | None:
    canon = f"{module}.{name}"
    entry = builtin_table().get(canon)
    return (canon, entry) if entry is not None else None


def lookup_bare(name: str) -> tuple[str, tuple[list[TParam], Type]] | None:
    """A bare builtin name: prelude (`println`, `map`) or flat prefixed (`string_length`)."""
    table = builtin_table()
    if name in table:
        return name, table[name]
    if name in PRELUDE_ALIASES:
        canon = PRELUDE_ALIASES[name]
        return canon, table[canon]
    if "_" in name:
        prefix, rest = name.split("_", 1)
        mod = _FLAT_PREFIXES.get(prefix)
        if mod is not None and f"{mod}.{rest}" in table:
            return f"{mod}.{rest}", table[f"{mod}.{rest}"]
    return None


def module_names(module: str) -> list[str]:
    pre = module + "."
    return sorted(k[len(pre):] for k in builtin_table() if k.startswith(pre))
