/*
 * value.c -- generic operations on values driven by type descriptors
 * (prefixes mesh_value_, mesh_hash_, mesh_option_, mesh_result_):
 * Display / Debug text, equality, ordering, FNV-1a hashing, Option/Result.
 *
 * Formats (docs: reference stdlib §5): lists `[1, 2]`, maps `%{k => v}`,
 * sets `#{a}`, tuples `(1, 2)`, strings unquoted except a bare String in
 * Debug; struct Display `Point(1, 2)` (when derived), Debug
 * `Point { x: 1, y: 2 }`; variants `Red`, `Circle(3.14)`, Debug of a variant
 * with fields `Circle(...)` (as the reference's derived Debug). Elements and
 * fields are always shown with Display (falling back to Debug for types
 * without Display).
 */
#include <math.h>
#include <stdio.h>

#include "internal.h"

static const MeshObj ordering_objs[3] = {
    {MESH_TYPE_ORDERING, MESH_KIND_VARIANT, MESH_GC_STATIC, 0},
    {MESH_TYPE_ORDERING, MESH_KIND_VARIANT, MESH_GC_STATIC, 1},
    {MESH_TYPE_ORDERING, MESH_KIND_VARIANT, MESH_GC_STATIC, 2},
};
static const MeshObj none_obj = {MESH_TYPE_OPTION_INT, MESH_KIND_VARIANT, MESH_GC_STATIC, 1};

MeshObj *mesh_value_ordering(MeshInt cmp)
{
    return (MeshObj *)&ordering_objs[cmp < 0 ? 0 : cmp == 0 ? 1 : 2];
}

/* ------------------------------------------------------------ display */

static MeshTypeId fld_type(const MeshType *d, uint32_t i)
{
    return d && d->fields && i < d->nfields ? d->fields[i].type_id : MESH_TYPE_ANY;
}

static void show_string(MeshBuf *b, MeshString *s) { meshP_buf_put(b, s->bytes, s->len); }

static void show_override(MeshCtx *ctx, MeshBuf *b, MeshShowFn fn, MeshSlot v)
{
    MeshString *s = fn(ctx, v);
    show_string(b, s);
}

static void show_fields_paren(MeshCtx *ctx, MeshBuf *b, const MeshSlot *slots, uint32_t n,
                              const MeshField *fields)
{
    meshP_buf_putc(b, '(');
    for (uint32_t i = 0; i < n; i++) {
        if (i) meshP_buf_put(b, ", ", 2);
        meshP_show(ctx, b, fields ? fields[i].type_id : MESH_TYPE_ANY, slots[i], 0);
    }
    meshP_buf_putc(b, ')');
}

static void show_list(MeshCtx *ctx, MeshBuf *b, const MeshType *d, MeshList *l)
{
    MeshTypeId et = d ? d->elem : MESH_TYPE_ANY;
    meshP_buf_putc(b, '[');
    for (int64_t i = 0; i < l->len; i++) {
        if (i) meshP_buf_put(b, ", ", 2);
        meshP_show(ctx, b, et, meshP_list_at(l, i), 0);
    }
    meshP_buf_putc(b, ']');
}

static void show_table(MeshCtx *ctx, MeshBuf *b, MeshTable *t, int is_map)
{
    meshP_buf_put(b, is_map ? "%{" : "#{", 2);
    int64_t pos = 0;
    MeshSlot k, v;
    int first = 1;
    while (meshP_table_next(t, &pos, &k, &v)) {
        if (!first) meshP_buf_put(b, ", ", 2);
        first = 0;
        meshP_show(ctx, b, t->key_type, k, 0);
        if (is_map) {
            meshP_buf_put(b, " => ", 4);
            meshP_show(ctx, b, t->val_type, v, 0);
        }
    }
    meshP_buf_putc(b, '}');
}

void meshP_show(MeshCtx *ctx, MeshBuf *b, MeshTypeId t, MeshSlot v, int debug)
{
    char tmp[400];
    const MeshType *d = meshP_type(t);
    if (t == MESH_TYPE_ANY || !d) {
        meshP_buf_put(b, tmp, (uint64_t)mesh_int_format((MeshInt)v, tmp, sizeof tmp));
        return;
    }
    if (debug && d->debug) return show_override(ctx, b, d->debug, v);
    if (!debug && d->display) return show_override(ctx, b, d->display, v);
    switch (t) {
    case MESH_TYPE_INT:
    case MESH_TYPE_PID:
        meshP_buf_put(b, tmp, (uint64_t)mesh_int_format((MeshInt)v, tmp, sizeof tmp));
        return;
    case MESH_TYPE_FLOAT:
        meshP_buf_put(b, tmp, (uint64_t)mesh_float_format(meshP_s2f(v), tmp, sizeof tmp));
        return;
    case MESH_TYPE_BOOL:
        meshP_buf_puts(b, v ? "true" : "false");
        return;
    case MESH_TYPE_UNIT:
        meshP_buf_put(b, "()", 2);
        return;
    default:
        break;
    }
    MeshObj *o = meshP_s2p(v);
    if (!o) {
        meshP_buf_puts(b, "null");
        return;
    }
    switch (d->kind) {
    case MESH_KIND_NONE:
        meshP_buf_put(b, tmp, (uint64_t)mesh_int_format((MeshInt)v, tmp, sizeof tmp));
        return;
    case MESH_KIND_STRING: {
        MeshString *s = (MeshString *)o;
        if (debug) meshP_quote(b, s->bytes, s->len);
        else show_string(b, s);
        return;
    }
    case MESH_KIND_TUPLE:
        show_fields_paren(ctx, b, ((MeshFields *)o)->slots, o->aux, d->fields && d->nfields >= o->aux ? d->fields : NULL);
        return;
    case MESH_KIND_STRUCT: {
        MeshFields *f = (MeshFields *)o;
        if (!debug && !d->debug && (d->flags & MESH_TFLAG_DISPLAY)) {
            meshP_buf_puts(b, d->name);
            show_fields_paren(ctx, b, f->slots, o->aux, d->fields && d->nfields >= o->aux ? d->fields : NULL);
            return;
        }
        if (!debug && d->debug && !(d->flags & MESH_TFLAG_DISPLAY)) return show_override(ctx, b, d->debug, v);
        meshP_buf_puts(b, d->name);
        if (o->aux == 0) {
            meshP_buf_put(b, " {}", 3);
            return;
        }
        meshP_buf_put(b, " { ", 3);
        for (uint32_t i = 0; i < o->aux; i++) {
            if (i) meshP_buf_put(b, ", ", 2);
            if (d->fields && i < d->nfields && d->fields[i].name) meshP_buf_puts(b, d->fields[i].name);
            else meshP_buf_put(b, tmp, (uint64_t)mesh_int_format(i, tmp, sizeof tmp));
            meshP_buf_put(b, ": ", 2);
            meshP_show(ctx, b, fld_type(d, i), f->slots[i], 0);
        }
        meshP_buf_put(b, " }", 2);
        return;
    }
    case MESH_KIND_VARIANT: {
        if (!d->variants || o->aux >= d->nvariants) {
            meshP_buf_puts(b, d->name);
            return;
        }
        const MeshVariant *var = &d->variants[o->aux];
        int builtin = t < MESH_TYPE_FIRST_USER;
        if (!debug && !builtin && d->debug && !(d->flags & MESH_TFLAG_DISPLAY))
            return show_override(ctx, b, d->debug, v);
        meshP_buf_puts(b, var->name);
        if (var->nfields == 0) return;
        if (builtin || (!debug && (d->flags & MESH_TFLAG_DISPLAY)))
            show_fields_paren(ctx, b, ((MeshFields *)o)->slots, var->nfields, var->fields);
        else
            meshP_buf_put(b, "(...)", 5);
        return;
    }
    case MESH_KIND_LIST:
        show_list(ctx, b, d, (MeshList *)o);
        return;
    case MESH_KIND_QUEUE:
        show_list(ctx, b, d, ((MeshQueue *)o)->items);
        return;
    case MESH_KIND_MAP:
        show_table(ctx, b, (MeshTable *)o, 1);
        return;
    case MESH_KIND_SET:
        show_table(ctx, b, (MeshTable *)o, 0);
        return;
    case MESH_KIND_RANGE: {
        int64_t *r = (int64_t *)(o + 1);
        int n = snprintf(tmp, sizeof tmp, "%lld..%lld", (long long)r[0], (long long)r[1]);
        meshP_buf_put(b, tmp, (uint64_t)n);
        return;
    }
    case MESH_KIND_CLOSURE:
        meshP_buf_puts(b, "#Function<>");
        return;
    default:
        if (o->kind == MESH_KIND_JSON) {
            /* Json is opaque to the compiler; it shows as its JSON text (as JSON.encode). */
            MeshString *text = mesh_json_encode(ctx, (MeshJson *)o);
            meshP_buf_put(b, text->bytes, text->len);
            return;
        }
        meshP_buf_putc(b, '<');
        meshP_buf_puts(b, d->name ? d->name : "object");
        meshP_buf_putc(b, '>');
        return;
    }
}

MeshString *mesh_value_display(MeshCtx *ctx, MeshTypeId t, MeshSlot v)
{
    const MeshType *d = meshP_type(t);
    if (d && d->kind == MESH_KIND_STRING && !d->display) return meshP_s2p(v);
    MeshBuf b = {0};
    meshP_show(ctx, &b, t, v, 0);
    return meshP_buf_finish(ctx, &b);
}

MeshString *mesh_value_debug(MeshCtx *ctx, MeshTypeId t, MeshSlot v)
{
    MeshBuf b = {0};
    meshP_show(ctx, &b, t, v, 1);
    return meshP_buf_finish(ctx, &b);
}

/* ------------------------------------------------------------ equality */

static MeshBool list_eq(MeshCtx *ctx, MeshTypeId elem, MeshList *l, MeshList *m)
{
    if (l->len != m->len) return 0;
    for (int64_t i = 0; i < l->len; i++)
        if (!mesh_value_eq(ctx, elem, meshP_list_at(l, i), meshP_list_at(m, i))) return 0;
    return 1;
}

MeshBool mesh_value_eq(MeshCtx *ctx, MeshTypeId t, MeshSlot a, MeshSlot b)
{
    const MeshType *d = meshP_type(t);
    if (t == MESH_TYPE_ANY || !d) return a == b;
    if (d->eq) return d->eq(ctx, a, b) != 0;
    if (t == MESH_TYPE_FLOAT) return meshP_s2f(a) == meshP_s2f(b);
    if (!d->boxed || a == b) return a == b;
    MeshObj *x = meshP_s2p(a), *y = meshP_s2p(b);
    if (!x || !y) return 0;
    switch (d->kind) {
    case MESH_KIND_STRING:
        return mesh_string_eq((MeshString *)x, (MeshString *)y);
    case MESH_KIND_TUPLE:
    case MESH_KIND_STRUCT: {
        if (x->aux != y->aux) return 0;
        MeshFields *fx = (MeshFields *)x, *fy = (MeshFields *)y;
        for (uint32_t i = 0; i < x->aux; i++)
            if (!mesh_value_eq(ctx, fld_type(d, i), fx->slots[i], fy->slots[i])) return 0;
        return 1;
    }
    case MESH_KIND_VARIANT: {
        if (x->aux != y->aux) return 0;
        if (!d->variants || x->aux >= d->nvariants) return 1;
        const MeshVariant *var = &d->variants[x->aux];
        MeshFields *fx = (MeshFields *)x, *fy = (MeshFields *)y;
        for (uint32_t i = 0; i < var->nfields; i++)
            if (!mesh_value_eq(ctx, var->fields ? var->fields[i].type_id : MESH_TYPE_ANY, fx->slots[i],
                               fy->slots[i]))
                return 0;
        return 1;
    }
    case MESH_KIND_LIST:
        return list_eq(ctx, d->elem, (MeshList *)x, (MeshList *)y);
    case MESH_KIND_MAP:
    case MESH_KIND_SET: {
        MeshTable *p = (MeshTable *)x, *q = (MeshTable *)y;
        if (p->size != q->size) return 0;
        int64_t pos = 0;
        MeshSlot k, v, w;
        while (meshP_table_next(p, &pos, &k, &v)) {
            if (!meshP_table_find(ctx, q, k, &w)) return 0;
            if (d->kind == MESH_KIND_MAP && !mesh_value_eq(ctx, d->elem2, v, w)) return 0;
        }
        return 1;
    }
    case MESH_KIND_QUEUE:
        return list_eq(ctx, d->elem, ((MeshQueue *)x)->items, ((MeshQueue *)y)->items);
    case MESH_KIND_RANGE:
        return memcmp(x + 1, y + 1, 16) == 0;
    default:
        /* Json is opaque to the compiler: its values compare structurally */
        if (x->kind == MESH_KIND_JSON && y->kind == MESH_KIND_JSON)
            return mesh_json_eq((MeshJson *)x, (MeshJson *)y);
        return 0;
    }
}

/* ------------------------------------------------------------ ordering */

static MeshInt cmp3(int64_t a, int64_t b) { return a < b ? -1 : a > b ? 1 : 0; }

MeshInt mesh_value_compare(MeshCtx *ctx, MeshTypeId t, MeshSlot a, MeshSlot b)
{
    const MeshType *d = meshP_type(t);
    if (t == MESH_TYPE_ANY || !d) return cmp3((int64_t)a, (int64_t)b);
    if (d->compare) return d->compare(ctx, a, b);
    if (t == MESH_TYPE_FLOAT) {
        double x = meshP_s2f(a), y = meshP_s2f(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (!d->boxed) return cmp3((int64_t)a, (int64_t)b);
    if (a == b) return 0;
    MeshObj *x = meshP_s2p(a), *y = meshP_s2p(b);
    if (!x || !y) return cmp3((int64_t)a, (int64_t)b);
    switch (d->kind) {
    case MESH_KIND_STRING:
        return mesh_string_compare((MeshString *)x, (MeshString *)y);
    case MESH_KIND_TUPLE:
    case MESH_KIND_STRUCT: {
        MeshFields *fx = (MeshFields *)x, *fy = (MeshFields *)y;
        uint32_t n = x->aux < y->aux ? x->aux : y->aux;
        for (uint32_t i = 0; i < n; i++) {
            MeshInt c = mesh_value_compare(ctx, fld_type(d, i), fx->slots[i], fy->slots[i]);
            if (c) return c;
        }
        return cmp3(x->aux, y->aux);
    }
    case MESH_KIND_VARIANT: {
        if (x->aux != y->aux) return cmp3(x->aux, y->aux);
        if (!d->variants || x->aux >= d->nvariants) return 0;
        const MeshVariant *var = &d->variants[x->aux];
        MeshFields *fx = (MeshFields *)x, *fy = (MeshFields *)y;
        for (uint32_t i = 0; i < var->nfields; i++) {
            MeshInt c = mesh_value_compare(ctx, var->fields ? var->fields[i].type_id : MESH_TYPE_ANY,
                                           fx->slots[i], fy->slots[i]);
            if (c) return c;
        }
        return 0;
    }
    case MESH_KIND_LIST: {
        MeshList *l = (MeshList *)x, *m = (MeshList *)y;
        int64_t n = l->len < m->len ? l->len : m->len;
        for (int64_t i = 0; i < n; i++) {
            MeshInt c = mesh_value_compare(ctx, d->elem, meshP_list_at(l, i), meshP_list_at(m, i));
            if (c) return c;
        }
        return cmp3(l->len, m->len);
    }
    case MESH_KIND_RANGE: {
        int64_t *r = (int64_t *)(x + 1), *s = (int64_t *)(y + 1);
        return r[0] != s[0] ? cmp3(r[0], s[0]) : cmp3(r[1], s[1]);
    }
    default:
        if (x->kind == MESH_KIND_JSON && y->kind == MESH_KIND_JSON)
            return mesh_json_compare((MeshJson *)x, (MeshJson *)y);
        return cmp3((int64_t)a, (int64_t)b);
    }
}

/* ------------------------------------------------------------ hashing */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv_bytes(uint64_t h, const unsigned char *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

static uint64_t fnv_u64(uint64_t h, uint64_t x)
{
    for (int i = 0; i < 8; i++) {
        h ^= (x >> (8 * i)) & 0xFF;
        h *= FNV_PRIME;
    }
    return h;
}

MeshInt mesh_hash_int(MeshInt v) { return (MeshInt)fnv_u64(FNV_OFFSET, (uint64_t)v); }
MeshInt mesh_hash_float(MeshFloat v) { return (MeshInt)fnv_u64(FNV_OFFSET, meshP_f2s(v)); }
MeshInt mesh_hash_bool(MeshBool v)
{
    unsigned char c = v ? 1 : 0;
    return (MeshInt)fnv_bytes(FNV_OFFSET, &c, 1);
}
MeshInt mesh_hash_string(MeshString *s)
{
    return (MeshInt)fnv_bytes(FNV_OFFSET, (const unsigned char *)s->bytes, s->len);
}
MeshInt mesh_hash_combine(MeshInt h, MeshInt x) { return (MeshInt)fnv_u64((uint64_t)h, (uint64_t)x); }

MeshInt mesh_value_hash(MeshCtx *ctx, MeshTypeId t, MeshSlot v)
{
    const MeshType *d = meshP_type(t);
    if (t == MESH_TYPE_ANY || !d) return mesh_hash_int((MeshInt)v);
    if (d->hash) return d->hash(ctx, v);
    switch (t) {
    case MESH_TYPE_FLOAT: {
        double f = meshP_s2f(v);
        if (f == 0) f = 0;      /* -0.0 == 0.0 must hash alike */
        return mesh_hash_float(f);
    }
    case MESH_TYPE_BOOL:
        return mesh_hash_bool((MeshBool)v);
    default:
        break;
    }
    if (!d->boxed) return mesh_hash_int((MeshInt)v);
    MeshObj *o = meshP_s2p(v);
    if (!o) return 0;
    uint64_t h = FNV_OFFSET;
    switch (d->kind) {
    case MESH_KIND_STRING:
        return mesh_hash_string((MeshString *)o);
    case MESH_KIND_TUPLE:
    case MESH_KIND_STRUCT:
        for (uint32_t i = 0; i < o->aux; i++)
            h = fnv_u64(h, (uint64_t)mesh_value_hash(ctx, fld_type(d, i), ((MeshFields *)o)->slots[i]));
        return (MeshInt)h;
    case MESH_KIND_VARIANT: {
        h = fnv_u64(h, o->aux);
        if (!d->variants || o->aux >= d->nvariants) return (MeshInt)h;
        const MeshVariant *var = &d->variants[o->aux];
        for (uint32_t i = 0; i < var->nfields; i++)
            h = fnv_u64(h, (uint64_t)mesh_value_hash(ctx, var->fields ? var->fields[i].type_id : MESH_TYPE_ANY,
                                                      ((MeshFields *)o)->slots[i]));
        return (MeshInt)h;
    }
    case MESH_KIND_LIST: {
        MeshList *l = (MeshList *)o;
        for (int64_t i = 0; i < l->len; i++)
            h = fnv_u64(h, (uint64_t)mesh_value_hash(ctx, d->elem, meshP_list_at(l, i)));
        return (MeshInt)h;
    }
    case MESH_KIND_MAP:
    case MESH_KIND_SET: {
        /* order-independent: equal maps hash alike whatever their insertion order */
        MeshTable *tb = (MeshTable *)o;
        uint64_t acc = 0;
        int64_t pos = 0;
        MeshSlot k, val;
        while (meshP_table_next(tb, &pos, &k, &val)) {
            uint64_t e = (uint64_t)mesh_value_hash(ctx, tb->key_type, k);
            if (d->kind == MESH_KIND_MAP) e = fnv_u64(e, (uint64_t)mesh_value_hash(ctx, tb->val_type, val));
            acc += e;
        }
        return (MeshInt)fnv_u64(h, acc);
    }
    case MESH_KIND_RANGE: {
        int64_t *r = (int64_t *)(o + 1);
        return (MeshInt)fnv_u64(fnv_u64(h, (uint64_t)r[0]), (uint64_t)r[1]);
    }
    default:
        if (o->kind == MESH_KIND_JSON) return mesh_json_hash((MeshJson *)o);
        return mesh_hash_int((MeshInt)v);
    }
}

/* ------------------------------------------------------------ Option / Result */

/* A variant type whose variant `tag` has exactly one field, or `fallback`:
 * the object's size must follow from its type (see gc.c). */
static MeshTypeId one_field_variant(MeshTypeId t, uint32_t tag, MeshTypeId fallback)
{
    const MeshType *d = meshP_type(t);
    if (d && d->kind == MESH_KIND_VARIANT && d->variants && tag < d->nvariants && d->variants[tag].nfields == 1)
        return t;
    return fallback;
}

MeshObj *mesh_option_some(MeshCtx *ctx, MeshTypeId option_type, MeshSlot v)
{
    option_type = one_field_variant(option_type, 0, MESH_TYPE_OPTION_ANY);
    MeshFields *o = (MeshFields *)mesh_gc_alloc(ctx, 16, option_type, MESH_KIND_VARIANT, 0);
    o->slots[0] = v;
    return &o->hdr;
}

MeshObj *mesh_option_none(void) { return (MeshObj *)&none_obj; }

MeshBool mesh_option_is_some(MeshObj *opt) { return opt->aux == 0; }

MeshSlot mesh_option_unwrap(MeshCtx *ctx, MeshObj *opt)
{
    if (opt->aux != 0) meshP_panicf(ctx, "called unwrap on None");
    return ((MeshFields *)opt)->slots[0];
}

MeshObj *mesh_result_ok(MeshCtx *ctx, MeshTypeId result_type, MeshSlot v)
{
    result_type = one_field_variant(result_type, 0, MESH_TYPE_RESULT_ANY);
    MeshFields *o = (MeshFields *)mesh_gc_alloc(ctx, 16, result_type, MESH_KIND_VARIANT, 0);
    o->slots[0] = v;
    return &o->hdr;
}

MeshObj *mesh_result_err(MeshCtx *ctx, MeshTypeId result_type, MeshSlot e)
{
    result_type = one_field_variant(result_type, 1, MESH_TYPE_RESULT_ANY);
    MeshFields *o = (MeshFields *)mesh_gc_alloc(ctx, 16, result_type, MESH_KIND_VARIANT, 1);
    o->slots[0] = e;
    return &o->hdr;
}

MeshBool mesh_result_is_ok(MeshObj *res) { return res->aux == 0; }

MeshSlot mesh_result_unwrap(MeshCtx *ctx, MeshObj *res)
{
    if (res->aux != 0) meshP_panicf(ctx, "called unwrap on Err");
    return ((MeshFields *)res)->slots[0];
}
