/*
 * mesh/rt.h -- the core of the compiler <-> runtime ABI.
 *
 * Values, object headers, the execution context, type descriptors, the
 * program description and the entry/allocation/preemption/panic functions.
 * docs/internals/abi.md explains the rules; this file is authoritative.
 *
 * Parsing rule: every header in mesh/ that declares ABI is plain C (typedefs,
 * structs, enums, prototypes). The only preprocessor use is the include
 * guard and the MESH_ABI_PARSE switch in base.h, so the code generator can
 * parse the headers with pycparser after `cc -E -DMESH_ABI_PARSE`.
 */
#ifndef MESH_RT_H
#define MESH_RT_H

#include "base.h"

/* ---------------------------------------------------------------- values */

typedef uint64_t MeshSlot;    /* one value at any runtime boundary */
typedef int64_t  MeshInt;     /* Int, Pid */
typedef double   MeshFloat;   /* Float */
typedef int64_t  MeshBool;    /* Bool at the C ABI: 0 or 1 in an i64 */
typedef uint32_t MeshTypeId;  /* index of a type descriptor */

/* Every heap object starts with this 8-byte header; pointers point here. */
typedef struct MeshObj {
    uint32_t type_id;   /* MeshTypeId of the object's concrete type */
    uint8_t  kind;      /* enum MeshKind */
    uint8_t  gc;        /* enum MeshGcBits; static objects carry MESH_GC_STATIC */
    uint16_t aux;       /* VARIANT: variant index (declaration order) */
} MeshObj;

enum MeshKind {
    MESH_KIND_NONE = 0,     /* scalar types (descriptor only, never a header) */
    MESH_KIND_STRING = 1,
    MESH_KIND_TUPLE = 2,
    MESH_KIND_STRUCT = 3,
    MESH_KIND_VARIANT = 4,  /* sum types, Option, Result, Ordering */
    MESH_KIND_CLOSURE = 5,
    MESH_KIND_LIST = 6,
    MESH_KIND_MAP = 7,
    MESH_KIND_SET = 8,
    MESH_KIND_RANGE = 9,
    MESH_KIND_QUEUE = 10,
    MESH_KIND_JSON = 11,
    MESH_KIND_ITER = 12,
    MESH_KIND_INTERNAL = 13, /* runtime-private nodes (list buffers, trie nodes) */
    MESH_KIND_OPAQUE = 14    /* runtime handles without Mesh-visible structure */
};

enum MeshGcBits {
    MESH_GC_MARK = 1,
    MESH_GC_STATIC = 2      /* compiler-emitted constant: never marked, traced or freed */
};

/* String: header, byte length, UTF-8 bytes, then a NUL not counted in len. */
typedef struct MeshString {
    MeshObj  hdr;
    uint64_t len;
    char     bytes[];
} MeshString;

/* Tuple, struct, variant: header then one slot per field. */
typedef struct MeshFields {
    MeshObj  hdr;
    MeshSlot slots[];
} MeshFields;

/* Closure: header, code pointer, captured values (one slot each).
 * Called as MeshSlot fn(MeshCtx *ctx, MeshObj *self, MeshSlot arg...). */
typedef struct MeshClosure {
    MeshObj  hdr;
    void    *fn;
    MeshSlot env[];
} MeshClosure;

/* ------------------------------------------------------------ the context */

struct MeshProc;
struct MeshWorker;

/* The running process, passed as the hidden first argument of every compiled
 * function. Compiled code inlines bump allocation on hp/hlimit and the
 * reduction check on reds. Layout is fixed: offsets 0, 8, 16, 24, 32, 40, 48, 56. */
typedef struct MeshCtx {
    uint8_t *hp;                 /* bump pointer in the current chunk */
    uint8_t *hlimit;             /* end of the current chunk */
    int64_t  reds;               /* reductions left in this slice */
    struct MeshProc   *proc;     /* the process (runtime-private layout) */
    struct MeshWorker *worker;   /* the worker thread running it */
    const char *loc;             /* "file:line:col" of the last runtime call or check made by
                                    compiled code (set before the call), for panic messages */
    uint8_t *stack_limit;        /* compiled code that calls others calls mesh_stack_overflow when
                                    its stack pointer is below this: the rest is headroom for the
                                    runtime functions it calls (NULL: no limit) */
    void    *base_frame;         /* frame address of the compiled closure that started the process
                                    (an actor's start or restart closure; NULL when none runs):
                                    an actor whose caller's frame is this one has nothing else on
                                    its stack, so it may hibernate at a receive */
} MeshCtx;

/* ------------------------------------------------------ type descriptors */

/* Predefined type ids (the runtime's own descriptors). The compiler must use
 * these ids for these types; its own table starts at MESH_TYPE_FIRST_USER. */
enum MeshTypeIds {
    MESH_TYPE_ANY = 0,          /* unknown: traced conservatively, compared as raw slots */
    MESH_TYPE_UNIT = 1,
    MESH_TYPE_INT = 2,
    MESH_TYPE_FLOAT = 3,
    MESH_TYPE_BOOL = 4,
    MESH_TYPE_STRING = 5,
    MESH_TYPE_PID = 6,
    MESH_TYPE_ORDERING = 7,     /* Less | Equal | Greater */
    MESH_TYPE_RANGE = 8,
    MESH_TYPE_LIST_INT = 9,     /* List<Int> */
    MESH_TYPE_LIST_STRING = 10, /* List<String> */
    MESH_TYPE_OPTION_INT = 11,  /* Option<Int> */
    MESH_TYPE_OPTION_FLOAT = 12,/* Option<Float> */
    MESH_TYPE_OPTION_STRING = 13,/* Option<String> */
    MESH_TYPE_RESULT_STRING_STRING = 14, /* Result<String, String> */
    MESH_TYPE_SET_INT = 15,     /* Set (Int elements) */
    MESH_TYPE_QUEUE = 16,       /* Queue (Int elements) */
    MESH_TYPE_LIST_ANY = 17,    /* List of unknown element type */
    MESH_TYPE_TUPLE_ANY = 18,   /* tuple of unknown field types */
    MESH_TYPE_INTERNAL = 19,    /* runtime-private objects */
    MESH_TYPE_RESULT_UNIT_STRING = 20, /* Result<(), String> */
    MESH_TYPE_LIST_FLOAT = 21,  /* List<Float> */
    MESH_TYPE_OPTION_ANY = 22,  /* Option of an unknown payload type */
    MESH_TYPE_RESULT_ANY = 23,  /* Result of unknown payload types */
    MESH_TYPE_FIRST_USER = 64
};

/* MeshType.flags */
enum MeshTypeFlags {
    /* Display is derived: the generic Display form (`Point(1, 2)`, `Circle(3.14)`)
     * is used. Without this flag and without a display override, Display of a
     * struct or sum type falls back to its Debug form, as interpolation does. */
    MESH_TFLAG_DISPLAY = 1
};

/* Overrides (compiler-emitted thunks for user impls). All optional (NULL =
 * the runtime's generic, derived behaviour). */
typedef MeshString *(*MeshShowFn)(MeshCtx *ctx, MeshSlot value);
typedef MeshBool (*MeshEqFn)(MeshCtx *ctx, MeshSlot a, MeshSlot b);
typedef MeshInt (*MeshCompareFn)(MeshCtx *ctx, MeshSlot a, MeshSlot b); /* <0, 0, >0 */
typedef MeshInt (*MeshHashFn)(MeshCtx *ctx, MeshSlot value);

typedef struct MeshField {
    const char *name;      /* field name (structs); NULL for tuple/variant positions */
    MeshTypeId  type_id;   /* its type; MESH_TYPE_ANY = unknown (conservative) */
} MeshField;

typedef struct MeshVariant {
    const char      *name;     /* "Some", "Circle" */
    uint32_t         nfields;
    const MeshField *fields;
} MeshVariant;

typedef struct MeshType {
    uint8_t  kind;          /* enum MeshKind; MESH_KIND_NONE for Int/Float/Bool/Unit/Pid */
    uint8_t  boxed;         /* 1 if values of this type are object pointers */
    uint16_t flags;         /* enum MeshTypeFlags */
    uint32_t nfields;       /* TUPLE/STRUCT/CLOSURE: number of field slots */
    uint32_t nvariants;     /* VARIANT: number of variants */
    uint32_t elem;          /* LIST/SET/QUEUE/ITER: element type; MAP: key type */
    uint32_t elem2;         /* MAP: value type */
    uint32_t reserved;      /* 0 */
    const char        *name;     /* printed name: "Point", "Box", "Option" */
    const MeshField   *fields;   /* TUPLE/STRUCT/CLOSURE (captures), nfields entries */
    const MeshVariant *variants; /* VARIANT, indexed by tag */
    MeshShowFn    display;
    MeshShowFn    debug;
    MeshEqFn      eq;
    MeshCompareFn compare;
    MeshHashFn    hash;
} MeshType;

/* ------------------------------------------------------------ the program */

typedef void (*MeshEntryFn)(MeshCtx *ctx);

typedef struct MeshProgram {
    MeshEntryFn     entry;     /* the user's main */
    const MeshType *types;     /* types[i] describes type id MESH_TYPE_FIRST_USER + i */
    uint32_t        ntypes;
    uint32_t        flags;     /* reserved, 0 */
} MeshProgram;

/* Initialise the runtime, run program->entry as the first process, wait for
 * quiescence, flush output and return the exit status (0, or 1 when main
 * panicked). Called from the compiler-generated C main. */
int mesh_rt_main(int argc, char **argv, const MeshProgram *program);

/* Descriptor of a type id (predefined or from the program's table). */
const MeshType *mesh_rt_type(MeshTypeId id);

/* ---------------------------------------------------- allocation and GC */

/* Slow path of the inlined bump allocation: returns `size` bytes (size is a
 * multiple of 8), 8-byte aligned, uninitialised; the caller writes the
 * header. May collect garbage. */
void *mesh_alloc_slow(MeshCtx *ctx, uint64_t size);

/* Allocate an object of `size` bytes (header included) and write its header
 * (type_id, kind, aux). Fields are zeroed. */
MeshObj *mesh_gc_alloc(MeshCtx *ctx, uint64_t size, MeshTypeId type_id, uint32_t kind, uint32_t aux);

/* Collect the current process's heap now. */
void mesh_gc_collect(MeshCtx *ctx);

/* Reduction budget exhausted: let other processes run, then refill reds. */
void mesh_yield(MeshCtx *ctx);

/* ------------------------------------------------------------------ panic */

/* End the current process with `msg` (len bytes of UTF-8). Never returns.
 * For main: "Mesh panic: <msg>" on stderr, program exit status 1. */
void mesh_panic(MeshCtx *ctx, const char *msg, int64_t len);

/* As mesh_panic with a source location: "Mesh panic at <file>:<line>: <msg>". */
void mesh_panic_at(MeshCtx *ctx, const char *msg, int64_t len, const char *file, int64_t file_len, int64_t line);

/* Mesh-level panic(String). */
void mesh_panic_str(MeshCtx *ctx, MeshString *msg);

/* The stack went below ctx->stack_limit: panics with "stack overflow". Never returns. */
void mesh_stack_overflow(MeshCtx *ctx);

/* ---------------------------------------------------------- integer ops */

/* Checked division (truncating) and remainder: panic on a zero divisor.
 * INT64_MIN / -1 wraps to INT64_MIN (remainder 0). */
MeshInt mesh_int_div(MeshCtx *ctx, MeshInt a, MeshInt b);
MeshInt mesh_int_rem(MeshCtx *ctx, MeshInt a, MeshInt b);

#endif
