/*
 * mesh/tuple.h -- tuples (header + one slot per element, laid out as in
 * rt.h MeshFields) and ranges (half-open [start, end)).
 */
#ifndef MESH_TUPLE_H
#define MESH_TUPLE_H

#include "rt.h"

struct MeshList;
typedef struct MeshRange MeshRange;

MeshObj *mesh_tuple_new(MeshCtx *ctx, MeshTypeId tuple_type, const MeshSlot *items, int64_t n);
MeshSlot mesh_tuple_nth(MeshCtx *ctx, MeshObj *t, MeshInt i);   /* panics out of range */
MeshSlot mesh_tuple_first(MeshCtx *ctx, MeshObj *t);
MeshSlot mesh_tuple_second(MeshCtx *ctx, MeshObj *t);
MeshInt mesh_tuple_size(MeshObj *t);

MeshRange *mesh_range_new(MeshCtx *ctx, MeshInt start, MeshInt end);
MeshInt mesh_range_start(MeshRange *r);
MeshInt mesh_range_end(MeshRange *r);
MeshInt mesh_range_length(MeshRange *r);                        /* max(0, end - start) */
struct MeshList *mesh_range_to_list(MeshCtx *ctx, MeshRange *r);  /* List<Int> */
struct MeshList *mesh_range_map(MeshCtx *ctx, MeshRange *r, MeshClosure *f, MeshTypeId result_type);
struct MeshList *mesh_range_filter(MeshCtx *ctx, MeshRange *r, MeshClosure *pred); /* List<Int> */

#endif
