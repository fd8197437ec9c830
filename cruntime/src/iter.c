/*
 * iter.c -- lazy iterators and collectors (see mesh/iter.h).
 *
 * Every iterator is one small runtime-private object of kind ITER; its
 * pointer fields are found by the collector's conservative scan of private
 * objects. Adapters hold their inner iterator and advance it on demand, so a
 * pipeline does no work until a terminal or a `for` loop pulls elements, and
 * `take` / `any` / `all` / `find` stop pulling as soon as the answer is known.
 */
#include "internal.h"

enum IterKind {
    IT_LIST = 0, IT_MAP = 1, IT_SET = 2, IT_RANGE = 3,
    IT_MAP_FN = 10, IT_FILTER = 11, IT_TAKE = 12, IT_SKIP = 13, IT_ENUMERATE = 14, IT_ZIP = 15,
    IT_EMPTY = 16
};

typedef struct MeshIter {
    MeshObj      hdr;      /* kind ITER, type_id = Iter<T>, aux = size in words */
    int64_t      kind;     /* enum IterKind */
    MeshObj     *src;      /* collection or inner iterator */
    MeshObj     *src2;     /* zip: the second iterator */
    MeshClosure *f;        /* map / filter closure */
    int64_t      pos;      /* next index (sources), counter (take/skip/enumerate) */
    int64_t      n;        /* end index / limit */
    MeshTypeId   tuple;    /* enumerate / zip / map entries: the tuple type built */
    uint32_t     pad;
} MeshIter;

static MeshTypeId elem_of(MeshTypeId iter_type)
{
    const MeshType *d = meshP_type(iter_type);
    if (d && d->kind == MESH_KIND_ITER && d->elem) return d->elem;
    return MESH_TYPE_TUPLE_ANY;
}

static MeshIter *it_new(MeshCtx *ctx, MeshTypeId type_id, int64_t kind)
{
    MeshIter *it = (MeshIter *)meshP_alloc_priv(ctx, sizeof(MeshIter), type_id, MESH_KIND_ITER);
    it->kind = kind;
    it->tuple = elem_of(type_id);
    return it;
}

static MeshIter *as_iter(MeshCtx *ctx, MeshObj *o)
{
    if (!o || o->kind != MESH_KIND_ITER) meshP_panicf(ctx, "Iter: not an iterator");
    return (MeshIter *)o;
}

MeshObj *mesh_iter_from(MeshCtx *ctx, MeshObj *src, MeshTypeId iter_type)
{
    if (!src) meshP_panicf(ctx, "Iter.from: null source");
    MeshIter *it;
    switch (src->kind) {
    case MESH_KIND_ITER:
        return src;
    case MESH_KIND_LIST:
        it = it_new(ctx, iter_type, IT_LIST);
        it->src = src;
        it->n = mesh_list_length((MeshList *)src);
        return &it->hdr;
    case MESH_KIND_MAP:
    case MESH_KIND_SET:
        it = it_new(ctx, iter_type, src->kind == MESH_KIND_MAP ? IT_MAP : IT_SET);
        it->src = src;
        return &it->hdr;
    case MESH_KIND_RANGE:
        it = it_new(ctx, iter_type, IT_RANGE);
        it->pos = mesh_range_start((MeshRange *)src);
        it->n = mesh_range_end((MeshRange *)src);
        return &it->hdr;
    default:
        meshP_panicf(ctx, "Iter.from: cannot iterate over this value (kind %u)", src->kind);
    }
}

static MeshObj *adapter(MeshCtx *ctx, MeshObj *inner, MeshTypeId type_id, int64_t kind)
{
    as_iter(ctx, inner);
    MeshIter *it = it_new(ctx, type_id, kind);
    it->src = inner;
    return &it->hdr;
}

MeshObj *mesh_iter_map(MeshCtx *ctx, MeshObj *inner, MeshClosure *f, MeshTypeId iter_type)
{
    MeshObj *o = adapter(ctx, inner, iter_type, IT_MAP_FN);
    ((MeshIter *)o)->f = f;
    return o;
}

MeshObj *mesh_iter_filter(MeshCtx *ctx, MeshObj *inner, MeshClosure *pred)
{
    MeshObj *o = adapter(ctx, inner, as_iter(ctx, inner)->hdr.type_id, IT_FILTER);
    ((MeshIter *)o)->f = pred;
    return o;
}

MeshObj *mesh_iter_take(MeshCtx *ctx, MeshObj *inner, MeshInt n)
{
    MeshObj *o = adapter(ctx, inner, as_iter(ctx, inner)->hdr.type_id, IT_TAKE);
    ((MeshIter *)o)->n = n < 0 ? 0 : n;
    return o;
}

MeshObj *mesh_iter_skip(MeshCtx *ctx, MeshObj *inner, MeshInt n)
{
    MeshObj *o = adapter(ctx, inner, as_iter(ctx, inner)->hdr.type_id, IT_SKIP);
    ((MeshIter *)o)->n = n < 0 ? 0 : n;
    return o;
}

MeshObj *mesh_iter_enumerate(MeshCtx *ctx, MeshObj *inner, MeshTypeId iter_type)
{
    return adapter(ctx, inner, iter_type, IT_ENUMERATE);
}

MeshObj *mesh_iter_zip(MeshCtx *ctx, MeshObj *a, MeshObj *b, MeshTypeId iter_type)
{
    as_iter(ctx, b);
    MeshObj *o = adapter(ctx, a, iter_type, IT_ZIP);
    ((MeshIter *)o)->src2 = b;
    return o;
}

static MeshSlot pair(MeshCtx *ctx, MeshTypeId tuple, MeshSlot a, MeshSlot b)
{
    MeshSlot s[2] = {a, b};
    return meshP_p2s(mesh_tuple_new(ctx, tuple, s, 2));
}

/* Advance `it`; 1 and *out set, or 0 at the end. */
static int it_next(MeshCtx *ctx, MeshIter *it, MeshSlot *out)
{
    MeshSlot k, v;
    switch (it->kind) {
    case IT_LIST:
        if (it->pos >= it->n) return 0;
        *out = meshP_list_at((MeshList *)it->src, it->pos++);
        return 1;
    case IT_MAP:
        if (!meshP_table_next((MeshTable *)it->src, &it->pos, &k, &v)) return 0;
        *out = pair(ctx, it->tuple, k, v);
        return 1;
    case IT_SET:
        if (!meshP_table_next((MeshTable *)it->src, &it->pos, &k, &v)) return 0;
        *out = k;
        return 1;
    case IT_RANGE:
        if (it->pos >= it->n) return 0;
        *out = (MeshSlot)it->pos++;
        return 1;
    case IT_MAP_FN:
        if (!it_next(ctx, (MeshIter *)it->src, &v)) return 0;
        *out = meshP_call1(ctx, it->f, v);
        return 1;
    case IT_FILTER:
        while (it_next(ctx, (MeshIter *)it->src, &v)) {
            if (meshP_call1(ctx, it->f, v) & 1) {
                *out = v;
                return 1;
            }
        }
        return 0;
    case IT_TAKE:
        if (it->pos >= it->n) return 0;
        it->pos++;
        return it_next(ctx, (MeshIter *)it->src, out);
    case IT_SKIP:
        while (it->pos < it->n) {
            it->pos++;
            if (!it_next(ctx, (MeshIter *)it->src, &v)) return 0;
        }
        return it_next(ctx, (MeshIter *)it->src, out);
    case IT_ENUMERATE:
        if (!it_next(ctx, (MeshIter *)it->src, &v)) return 0;
        *out = pair(ctx, it->tuple, (MeshSlot)it->pos++, v);
        return 1;
    case IT_ZIP:
        if (!it_next(ctx, (MeshIter *)it->src, &k)) return 0;
        if (!it_next(ctx, (MeshIter *)it->src2, &v)) return 0;
        *out = pair(ctx, it->tuple, k, v);
        return 1;
    default:
        return 0;
    }
}

MeshObj *mesh_iter_next(MeshCtx *ctx, MeshObj *o, MeshTypeId option_type)
{
    MeshSlot x;
    if (!it_next(ctx, as_iter(ctx, o), &x)) return mesh_option_none();
    return mesh_option_some(ctx, option_type, x);
}

MeshInt mesh_iter_count(MeshCtx *ctx, MeshObj *o)
{
    MeshIter *it = as_iter(ctx, o);
    MeshSlot x;
    MeshInt n = 0;
    while (it_next(ctx, it, &x)) n++;
    return n;
}

MeshInt mesh_iter_sum(MeshCtx *ctx, MeshObj *o)
{
    MeshIter *it = as_iter(ctx, o);
    MeshSlot x;
    uint64_t s = 0;   /* wrapping, like compiled Int addition */
    while (it_next(ctx, it, &x)) s += x;
    return (MeshInt)s;
}

MeshBool mesh_iter_any(MeshCtx *ctx, MeshObj *o, MeshClosure *pred)
{
    MeshIter *it = as_iter(ctx, o);
    MeshSlot x;
    while (it_next(ctx, it, &x))
        if (meshP_call1(ctx, pred, x) & 1) return 1;
    return 0;
}

MeshBool mesh_iter_all(MeshCtx *ctx, MeshObj *o, MeshClosure *pred)
{
    MeshIter *it = as_iter(ctx, o);
    MeshSlot x;
    while (it_next(ctx, it, &x))
        if (!(meshP_call1(ctx, pred, x) & 1)) return 0;
    return 1;
}

MeshObj *mesh_iter_find(MeshCtx *ctx, MeshObj *o, MeshClosure *pred, MeshTypeId option_type)
{
    MeshIter *it = as_iter(ctx, o);
    MeshSlot x;
    while (it_next(ctx, it, &x))
        if (meshP_call1(ctx, pred, x) & 1) return mesh_option_some(ctx, option_type, x);
    return mesh_option_none();
}

MeshSlot mesh_iter_reduce(MeshCtx *ctx, MeshObj *o, MeshSlot acc, MeshClosure *f)
{
    MeshIter *it = as_iter(ctx, o);
    MeshSlot x;
    while (it_next(ctx, it, &x)) acc = meshP_call2(ctx, f, acc, x);
    return acc;
}

MeshObj *mesh_iter_collect_list(MeshCtx *ctx, MeshObj *o, MeshTypeId list_type)
{
    MeshIter *it = as_iter(ctx, o);
    MeshList *l = mesh_list_new(ctx, list_type);
    MeshSlot x;
    while (it_next(ctx, it, &x)) l = mesh_list_append(ctx, l, x);
    return &l->hdr;
}

MeshObj *mesh_iter_collect_map(MeshCtx *ctx, MeshObj *o, MeshTypeId map_type)
{
    MeshIter *it = as_iter(ctx, o);
    MeshMap *m = mesh_map_new(ctx, map_type);
    MeshInt tok = mesh_session_token();   /* m is private until returned: update it in place */
    MeshSlot x;
    while (it_next(ctx, it, &x)) {
        MeshFields *t = (MeshFields *)meshP_s2p(x);
        if (!t || t->hdr.aux < 2) meshP_panicf(ctx, "Map.collect: elements must be (key, value) tuples");
        m = mesh_map_put_owned(ctx, m, t->slots[0], t->slots[1], tok);
    }
    return (MeshObj *)m;
}

MeshObj *mesh_iter_collect_set(MeshCtx *ctx, MeshObj *o, MeshTypeId set_type)
{
    MeshIter *it = as_iter(ctx, o);
    MeshSet *s = mesh_set_new(ctx, set_type);
    MeshInt tok = mesh_session_token();
    MeshSlot x;
    while (it_next(ctx, it, &x)) s = mesh_set_add_owned(ctx, s, x, tok);
    return (MeshObj *)s;
}

MeshString *mesh_iter_collect_string(MeshCtx *ctx, MeshObj *o)
{
    MeshIter *it = as_iter(ctx, o);
    MeshBuf b = {0};
    MeshSlot x;
    /* the buffer is malloc'd: a collection while closures run cannot free it,
     * and the strings are copied out before the next element is produced */
    while (it_next(ctx, it, &x)) {
        MeshString *s = (MeshString *)meshP_s2p(x);
        if (s) meshP_buf_put(&b, s->bytes, s->len);
    }
    return meshP_buf_finish(ctx, &b);
}
