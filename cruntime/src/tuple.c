/*
 * tuple.c -- tuples and ranges (prefixes mesh_tuple_, mesh_range_).
 */
#include "internal.h"

MeshObj *mesh_tuple_new(MeshCtx *ctx, MeshTypeId tuple_type, const MeshSlot *items, int64_t n)
{
    MeshFields *t = (MeshFields *)mesh_gc_alloc(ctx, 8 + 8 * (uint64_t)n, tuple_type, MESH_KIND_TUPLE, (uint32_t)n);
    if (n) memcpy(t->slots, items, 8 * (size_t)n);
    return &t->hdr;
}

MeshSlot mesh_tuple_nth(MeshCtx *ctx, MeshObj *t, MeshInt i)
{
    if (i < 0 || i >= t->aux)
        meshP_panicf(ctx, "Tuple.nth: index %lld out of bounds (size %u)", (long long)i, (unsigned)t->aux);
    return ((MeshFields *)t)->slots[i];
}

MeshSlot mesh_tuple_first(MeshCtx *ctx, MeshObj *t) { return mesh_tuple_nth(ctx, t, 0); }
MeshSlot mesh_tuple_second(MeshCtx *ctx, MeshObj *t) { return mesh_tuple_nth(ctx, t, 1); }
MeshInt mesh_tuple_size(MeshObj *t) { return t->aux; }

struct MeshRange {
    MeshObj hdr;           /* kind RANGE, aux = 3 words */
    int64_t start, end;
};

MeshRange *mesh_range_new(MeshCtx *ctx, MeshInt start, MeshInt end)
{
    MeshRange *r = (MeshRange *)meshP_alloc_priv(ctx, sizeof(MeshRange), MESH_TYPE_RANGE, MESH_KIND_RANGE);
    r->start = start;
    r->end = end;
    return r;
}

MeshInt mesh_range_start(MeshRange *r) { return r->start; }
MeshInt mesh_range_end(MeshRange *r) { return r->end; }
MeshInt mesh_range_length(MeshRange *r) { return r->end > r->start ? r->end - r->start : 0; }

MeshList *mesh_range_to_list(MeshCtx *ctx, MeshRange *r)
{
    int64_t n = mesh_range_length(r);
    MeshList *out = meshP_list_with_capacity(ctx, MESH_TYPE_LIST_INT, n);
    for (int64_t i = 0; i < n; i++) out = mesh_list_append(ctx, out, (MeshSlot)(r->start + i));
    return out;
}

MeshList *mesh_range_map(MeshCtx *ctx, MeshRange *r, MeshClosure *f, MeshTypeId result_type)
{
    int64_t n = mesh_range_length(r);
    MeshList *out = meshP_list_with_capacity(ctx, result_type, n);
    for (int64_t i = 0; i < n; i++) out = mesh_list_append(ctx, out, meshP_call1(ctx, f, (MeshSlot)(r->start + i)));
    return out;
}

MeshList *mesh_range_filter(MeshCtx *ctx, MeshRange *r, MeshClosure *pred)
{
    int64_t n = mesh_range_length(r);
    MeshList *out = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
    for (int64_t i = 0; i < n; i++) {
        MeshSlot x = (MeshSlot)(r->start + i);
        if (meshP_call1(ctx, pred, x)) out = mesh_list_append(ctx, out, x);
    }
    return out;
}
