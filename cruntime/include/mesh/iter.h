/*
 * mesh/iter.h -- lazy iterators (`Iter.*`) and the collectors `List.collect`,
 * `Map.collect`, `Set.collect`, `String.collect`.
 *
 * An iterator is a runtime-private object (kind ITER) whose type id is the
 * Mesh type `Iter<T>`: the descriptor's `elem` is T, which is also the tuple
 * type the runtime builds for `enumerate` / `zip` / map entries. Iterators are
 * stateful: advancing one consumes it. Sources: List, Map (entries as (K, V)
 * tuples), Set, Range, or another iterator (returned as is).
 */
#ifndef MESH_ITER_H
#define MESH_ITER_H

#include "rt.h"

MeshObj *mesh_iter_from(MeshCtx *ctx, MeshObj *source, MeshTypeId iter_type);
MeshObj *mesh_iter_map(MeshCtx *ctx, MeshObj *it, MeshClosure *f, MeshTypeId iter_type);
MeshObj *mesh_iter_filter(MeshCtx *ctx, MeshObj *it, MeshClosure *pred);
MeshObj *mesh_iter_take(MeshCtx *ctx, MeshObj *it, MeshInt n);
MeshObj *mesh_iter_skip(MeshCtx *ctx, MeshObj *it, MeshInt n);
MeshObj *mesh_iter_enumerate(MeshCtx *ctx, MeshObj *it, MeshTypeId iter_type);
MeshObj *mesh_iter_zip(MeshCtx *ctx, MeshObj *a, MeshObj *b, MeshTypeId iter_type);

/* Advance: Some(x) / None as a variant of option_type (`Option<T>`). */
MeshObj *mesh_iter_next(MeshCtx *ctx, MeshObj *it, MeshTypeId option_type);

/* Terminals (consume the iterator; any/all/find stop at the first decisive element). */
MeshInt mesh_iter_count(MeshCtx *ctx, MeshObj *it);
MeshInt mesh_iter_sum(MeshCtx *ctx, MeshObj *it);
MeshBool mesh_iter_any(MeshCtx *ctx, MeshObj *it, MeshClosure *pred);
MeshBool mesh_iter_all(MeshCtx *ctx, MeshObj *it, MeshClosure *pred);
MeshObj *mesh_iter_find(MeshCtx *ctx, MeshObj *it, MeshClosure *pred, MeshTypeId option_type);
MeshSlot mesh_iter_reduce(MeshCtx *ctx, MeshObj *it, MeshSlot init, MeshClosure *f); /* f(acc, x) */

/* Collectors (List.collect, Map.collect over (K, V) tuples, Set.collect, String.collect). */
MeshObj *mesh_iter_collect_list(MeshCtx *ctx, MeshObj *it, MeshTypeId list_type);
MeshObj *mesh_iter_collect_map(MeshCtx *ctx, MeshObj *it, MeshTypeId map_type);
MeshObj *mesh_iter_collect_set(MeshCtx *ctx, MeshObj *it, MeshTypeId set_type);
MeshString *mesh_iter_collect_string(MeshCtx *ctx, MeshObj *it);

#endif
