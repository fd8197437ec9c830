/*
 * mesh/map.h -- Map<K, V>: persistent hash array mapped trie keyed through
 * the key type's descriptor (eq/hash), iterated and printed in insertion
 * order (a replaced key keeps its position). O(log n) put/get/delete with
 * structural sharing. Layout is private.
 */
#ifndef MESH_MAP_H
#define MESH_MAP_H

#include "rt.h"

struct MeshList;
typedef struct MeshMap MeshMap;

MeshMap *mesh_map_new(MeshCtx *ctx, MeshTypeId map_type);
MeshMap *mesh_map_put(MeshCtx *ctx, MeshMap *m, MeshSlot key, MeshSlot value);
/* The value, or 0 when the key is absent (reference behaviour). */
MeshSlot mesh_map_get(MeshCtx *ctx, MeshMap *m, MeshSlot key);
/* Option<V> of the value. */
MeshObj *mesh_map_lookup(MeshCtx *ctx, MeshMap *m, MeshSlot key, MeshTypeId option_type);
MeshBool mesh_map_has_key(MeshCtx *ctx, MeshMap *m, MeshSlot key);
MeshMap *mesh_map_delete(MeshCtx *ctx, MeshMap *m, MeshSlot key);
/* Transient sessions (also used for Set and by the compiler's linearity
 * pass, toolchain/lower/linear.py): a fresh token, never returned before (0
 * once 2^32 - 1 have been handed out, which makes owned operations plain). */
MeshInt mesh_session_token(void);
/* Same results as put/delete, but nodes created by an earlier owned operation
 * with the same token are updated in place. Only for a map that nobody but
 * the caller can observe afterwards: `m` must not be used again. */
MeshMap *mesh_map_put_owned(MeshCtx *ctx, MeshMap *m, MeshSlot key, MeshSlot value, MeshInt token);
MeshMap *mesh_map_delete_owned(MeshCtx *ctx, MeshMap *m, MeshSlot key, MeshInt token);
MeshInt mesh_map_size(MeshMap *m);
struct MeshList *mesh_map_keys(MeshCtx *ctx, MeshMap *m, MeshTypeId list_type);
struct MeshList *mesh_map_values(MeshCtx *ctx, MeshMap *m, MeshTypeId list_type);
/* All of a, then b's entries (b wins on duplicate keys). */
MeshMap *mesh_map_merge(MeshCtx *ctx, MeshMap *a, MeshMap *b);
/* List<(K, V)>; list_type's element is the tuple type. */
struct MeshList *mesh_map_to_list(MeshCtx *ctx, MeshMap *m, MeshTypeId list_type);
MeshMap *mesh_map_from_list(MeshCtx *ctx, struct MeshList *pairs, MeshTypeId map_type);
/* i-th entry in insertion order, 0 <= i < size (for `for {k, v} in map`). */
MeshSlot mesh_map_key_at(MeshCtx *ctx, MeshMap *m, MeshInt i);
MeshSlot mesh_map_value_at(MeshCtx *ctx, MeshMap *m, MeshInt i);
/* Test hook (not for compiled code): and every trie hash with `mask` from now
 * on (0 forces all keys of maps/sets built afterwards into one collision
 * bucket; ~0 restores). Tables built under another mask must not be used
 * after changing it. */
void mesh_map_debug_set_hash_mask(MeshInt mask);

#endif
