/*
 * mesh/set.h -- Set<T>: like Map (trie + insertion order), elements compared
 * by content through the element type's descriptor.
 */
#ifndef MESH_SET_H
#define MESH_SET_H

#include "rt.h"

struct MeshList;
typedef struct MeshSet MeshSet;

MeshSet *mesh_set_new(MeshCtx *ctx, MeshTypeId set_type);
MeshSet *mesh_set_add(MeshCtx *ctx, MeshSet *s, MeshSlot x);
MeshSet *mesh_set_remove(MeshCtx *ctx, MeshSet *s, MeshSlot x);
/* Owned variants (see mesh_map_put_owned): `s` must not be used again. */
MeshSet *mesh_set_add_owned(MeshCtx *ctx, MeshSet *s, MeshSlot x, MeshInt token);
MeshSet *mesh_set_remove_owned(MeshCtx *ctx, MeshSet *s, MeshSlot x, MeshInt token);
MeshBool mesh_set_contains(MeshCtx *ctx, MeshSet *s, MeshSlot x);
MeshInt mesh_set_size(MeshSet *s);
MeshSet *mesh_set_union(MeshCtx *ctx, MeshSet *a, MeshSet *b);
MeshSet *mesh_set_intersection(MeshCtx *ctx, MeshSet *a, MeshSet *b);
MeshSet *mesh_set_difference(MeshCtx *ctx, MeshSet *a, MeshSet *b);
struct MeshList *mesh_set_to_list(MeshCtx *ctx, MeshSet *s, MeshTypeId list_type);
MeshSet *mesh_set_from_list(MeshCtx *ctx, struct MeshList *l, MeshTypeId set_type);
MeshSlot mesh_set_element_at(MeshCtx *ctx, MeshSet *s, MeshInt i);

#endif
