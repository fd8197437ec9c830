/*
 * mesh/json.h -- JSON (`JSON.*` / `Json.*` and `deriving(Json)`).
 *
 * A `Json` value is a runtime-private object (kind JSON): null, Bool, Int,
 * Float, String, array or object (keys in document order). The parser is a
 * strict RFC 8259 parser without recursion (any nesting depth); its errors
 * say where (line and column, 1-based) and why. Encoding and decoding of
 * ordinary Mesh values is driven by their type descriptors: structs are
 * objects keyed by field name, `Option` is `null` / the value, other sum
 * types are `{"tag":"Variant","fields":[...]}`, lists, sets and tuples are
 * arrays, maps are objects (non-String keys are written with Display).
 */
#ifndef MESH_JSON_H
#define MESH_JSON_H

#include "rt.h"
#include "list.h"
#include "map.h"

typedef struct MeshJson MeshJson;

/* Result<Json, String> (result_type). */
MeshObj *mesh_json_parse(MeshCtx *ctx, MeshString *text, MeshTypeId result_type);
MeshString *mesh_json_encode(MeshCtx *ctx, MeshJson *j);
/* Structural equality: same kind and value (an Int never equals a Float),
 * arrays element by element, objects by their members as lookups see them
 * (the last value of a repeated key), in any order. The hash agrees. */
MeshBool mesh_json_eq(const MeshJson *a, const MeshJson *b);
MeshInt mesh_json_hash(const MeshJson *j);
/* A total order that agrees with mesh_json_eq (kind, then value). */
MeshInt mesh_json_compare(const MeshJson *a, const MeshJson *b);
MeshString *mesh_json_encode_string(MeshCtx *ctx, MeshString *s);
MeshString *mesh_json_encode_int(MeshCtx *ctx, MeshInt v);
MeshString *mesh_json_encode_bool(MeshCtx *ctx, MeshBool v);
MeshString *mesh_json_encode_float(MeshCtx *ctx, MeshFloat v);
MeshString *mesh_json_encode_map(MeshCtx *ctx, MeshMap *m);
MeshString *mesh_json_encode_list(MeshCtx *ctx, MeshList *l);
/* Top-level field of the JSON text (strings unquoted, other values encoded); "" if absent or invalid. */
MeshString *mesh_json_get(MeshCtx *ctx, MeshString *text, MeshString *key);
MeshString *mesh_json_get_nested(MeshCtx *ctx, MeshString *text, MeshString *key1, MeshString *key2);

/* Generic encoding of a value of type type_id (Json.encode on a non-Json value). */
MeshString *mesh_json_encode_value(MeshCtx *ctx, MeshTypeId type_id, MeshSlot v);
/* T.from_json(text): result_type is Result<T, String>. */
MeshObj *mesh_json_decode_value(MeshCtx *ctx, MeshString *text, MeshTypeId result_type);

#endif
