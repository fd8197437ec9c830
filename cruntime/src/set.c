/*
 * set.c -- persistent insertion-ordered sets (prefix mesh_set_), a thin layer
 * over the tables of map.c with unit values.
 */
#include "internal.h"

#define T(s) ((MeshTable *)(s))

static MeshTypeId set_elem(MeshTypeId set_type)
{
    const MeshType *d = meshP_type(set_type);
    return d ? d->elem : MESH_TYPE_ANY;
}

MeshSet *mesh_set_new(MeshCtx *ctx, MeshTypeId set_type)
{
    return (MeshSet *)meshP_table_new(ctx, set_type, MESH_KIND_SET, set_elem(set_type), MESH_TYPE_UNIT);
}

MeshSet *mesh_set_add(MeshCtx *ctx, MeshSet *s, MeshSlot x)
{
    return (MeshSet *)meshP_table_put(ctx, T(s), x, 0);   /* a present element: s itself, nothing allocated */
}

MeshSet *mesh_set_remove(MeshCtx *ctx, MeshSet *s, MeshSlot x)
{
    return (MeshSet *)meshP_table_delete(ctx, T(s), x);
}

/* Sets are tables with unit values: putting a present element changes nothing. */
MeshSet *mesh_set_add_owned(MeshCtx *ctx, MeshSet *s, MeshSlot x, MeshInt token)
{
    return (MeshSet *)mesh_map_put_owned(ctx, (MeshMap *)s, x, 0, token);
}

MeshSet *mesh_set_remove_owned(MeshCtx *ctx, MeshSet *s, MeshSlot x, MeshInt token)
{
    return (MeshSet *)mesh_map_delete_owned(ctx, (MeshMap *)s, x, token);
}

MeshBool mesh_set_contains(MeshCtx *ctx, MeshSet *s, MeshSlot x) { return meshP_table_find(ctx, T(s), x, NULL); }

MeshInt mesh_set_size(MeshSet *s) { return T(s)->size; }

MeshSet *mesh_set_union(MeshCtx *ctx, MeshSet *a, MeshSet *b)
{
    MeshSet *r = a;
    MeshInt tok = mesh_session_token();   /* private session: a is only copied from */
    int64_t pos = 0;
    MeshSlot k, v;
    while (meshP_table_next(T(b), &pos, &k, &v)) r = mesh_set_add_owned(ctx, r, k, tok);
    return r;
}

static MeshSet *filter(MeshCtx *ctx, MeshSet *a, MeshSet *b, int keep_if_in_b)
{
    MeshSet *r = (MeshSet *)meshP_table_new(ctx, T(a)->hdr.type_id, MESH_KIND_SET, T(a)->key_type, MESH_TYPE_UNIT);
    MeshInt tok = mesh_session_token();
    int64_t pos = 0;
    MeshSlot k, v;
    while (meshP_table_next(T(a), &pos, &k, &v))
        if (meshP_table_find(ctx, T(b), k, NULL) == keep_if_in_b) r = mesh_set_add_owned(ctx, r, k, tok);
    return r;
}

MeshSet *mesh_set_intersection(MeshCtx *ctx, MeshSet *a, MeshSet *b) { return filter(ctx, a, b, 1); }
MeshSet *mesh_set_difference(MeshCtx *ctx, MeshSet *a, MeshSet *b) { return filter(ctx, a, b, 0); }

MeshList *mesh_set_to_list(MeshCtx *ctx, MeshSet *s, MeshTypeId list_type)
{
    MeshList *out = meshP_list_with_capacity(ctx, list_type, T(s)->size);
    int64_t pos = 0;
    MeshSlot k, v;
    while (meshP_table_next(T(s), &pos, &k, &v)) out = mesh_list_append(ctx, out, k);
    return out;
}

MeshSet *mesh_set_from_list(MeshCtx *ctx, MeshList *l, MeshTypeId set_type)
{
    MeshSet *r = mesh_set_new(ctx, set_type);
    MeshInt tok = mesh_session_token();
    for (int64_t i = 0; i < l->len; i++) r = mesh_set_add_owned(ctx, r, meshP_list_at(l, i), tok);
    return r;
}

MeshSlot mesh_set_element_at(MeshCtx *ctx, MeshSet *s, MeshInt i) { return meshP_table_key_at(ctx, T(s), i); }
