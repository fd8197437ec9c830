/*
 * mesh/list.h -- List<T>: persistent, elements are slots. O(1) length, get,
 * head, tail and prepend; amortised O(1) append and concat onto the newest
 * version of a list (building in a loop is linear). Layout is private.
 * Functions producing a list of a different element type take its type id.
 * Closures are called as fn(ctx, closure, slot...) -> slot (Bool results 0/1,
 * sort comparators return an Int <0, 0, >0).
 */
#ifndef MESH_LIST_H
#define MESH_LIST_H

#include "rt.h"

typedef struct MeshList MeshList;

MeshList *mesh_list_new(MeshCtx *ctx, MeshTypeId list_type);
/* A list literal / builder result: n slots copied from items. */
MeshList *mesh_list_from_array(MeshCtx *ctx, MeshTypeId list_type, const MeshSlot *items, int64_t n);
MeshInt mesh_list_length(MeshList *l);
MeshList *mesh_list_append(MeshCtx *ctx, MeshList *l, MeshSlot x);
/* List.append inside a transient session (token from mesh_session_token; 0:
 * plain append): the session's own list is extended in place. */
MeshList *mesh_list_append_owned(MeshCtx *ctx, MeshList *l, MeshSlot x, MeshInt token);
MeshList *mesh_list_prepend(MeshCtx *ctx, MeshList *l, MeshSlot x);  /* x :: l */
MeshSlot mesh_list_head(MeshCtx *ctx, MeshList *l);                  /* panics if empty */
MeshList *mesh_list_tail(MeshCtx *ctx, MeshList *l);                 /* panics if empty */
MeshSlot mesh_list_get(MeshCtx *ctx, MeshList *l, MeshInt i);        /* panics out of range */
MeshSlot mesh_list_nth(MeshCtx *ctx, MeshList *l, MeshInt i);
MeshSlot mesh_list_last(MeshCtx *ctx, MeshList *l);
MeshList *mesh_list_concat(MeshCtx *ctx, MeshList *a, MeshList *b);
MeshList *mesh_list_reverse(MeshCtx *ctx, MeshList *l);
MeshList *mesh_list_map(MeshCtx *ctx, MeshList *l, MeshClosure *f, MeshTypeId result_type);
MeshList *mesh_list_filter(MeshCtx *ctx, MeshList *l, MeshClosure *pred);
MeshSlot mesh_list_reduce(MeshCtx *ctx, MeshList *l, MeshSlot init, MeshClosure *f); /* f(acc, x) */
MeshList *mesh_list_sort(MeshCtx *ctx, MeshList *l, MeshClosure *cmp);  /* stable */
/* Sort by the element type's natural order (Ord). */
MeshList *mesh_list_sort_default(MeshCtx *ctx, MeshList *l);
MeshObj *mesh_list_find(MeshCtx *ctx, MeshList *l, MeshClosure *pred, MeshTypeId option_type);
MeshBool mesh_list_any(MeshCtx *ctx, MeshList *l, MeshClosure *pred);
MeshBool mesh_list_all(MeshCtx *ctx, MeshList *l, MeshClosure *pred);
MeshBool mesh_list_contains(MeshCtx *ctx, MeshList *l, MeshSlot x);   /* by content */
MeshList *mesh_list_zip(MeshCtx *ctx, MeshList *a, MeshList *b, MeshTypeId result_type);
MeshList *mesh_list_flat_map(MeshCtx *ctx, MeshList *l, MeshClosure *f, MeshTypeId result_type);
MeshList *mesh_list_flatten(MeshCtx *ctx, MeshList *l, MeshTypeId result_type);
MeshList *mesh_list_enumerate(MeshCtx *ctx, MeshList *l, MeshTypeId result_type);
MeshList *mesh_list_take(MeshCtx *ctx, MeshList *l, MeshInt n);
MeshList *mesh_list_drop(MeshCtx *ctx, MeshList *l, MeshInt n);
MeshBool mesh_list_is_empty(MeshList *l);
/* Element type id of a list (from its descriptor). */
MeshTypeId mesh_list_elem_type(MeshList *l);

#endif
