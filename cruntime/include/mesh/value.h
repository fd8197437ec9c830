/*
 * mesh/value.h -- generic operations on any value given its type id:
 * Display, Debug, equality, ordering, hashing (FNV-1a 64), Option/Result
 * construction and Ordering constants.
 */
#ifndef MESH_VALUE_H
#define MESH_VALUE_H

#include "rt.h"

/* Display (to_string / interpolation) and Debug (inspect) of a value of
 * type `type_id`. Descriptor overrides are used when present. */
MeshString *mesh_value_display(MeshCtx *ctx, MeshTypeId type_id, MeshSlot v);
MeshString *mesh_value_debug(MeshCtx *ctx, MeshTypeId type_id, MeshSlot v);
MeshBool mesh_value_eq(MeshCtx *ctx, MeshTypeId type_id, MeshSlot a, MeshSlot b);
MeshInt mesh_value_compare(MeshCtx *ctx, MeshTypeId type_id, MeshSlot a, MeshSlot b);
MeshInt mesh_value_hash(MeshCtx *ctx, MeshTypeId type_id, MeshSlot v);
/* Ordering object (static Less/Equal/Greater) for a comparison result. */
MeshObj *mesh_value_ordering(MeshInt cmp);

/* FNV-1a 64: offset 0xcbf29ce484222325, prime 0x100000001b3. */
MeshInt mesh_hash_int(MeshInt v);        /* over the 8 little-endian bytes */
MeshInt mesh_hash_float(MeshFloat v);    /* over the 8 bytes of the bit pattern */
MeshInt mesh_hash_bool(MeshBool v);      /* over one byte 0/1 */
MeshInt mesh_hash_string(MeshString *s); /* over the UTF-8 bytes */
MeshInt mesh_hash_combine(MeshInt h, MeshInt x); /* fold x's 8 LE bytes into h */

/* Option and Result objects (variant objects, Some/Ok tag 0). None is a
 * static object shared by every Option type. */
MeshObj *mesh_option_some(MeshCtx *ctx, MeshTypeId option_type, MeshSlot v);
MeshObj *mesh_option_none(void);
MeshBool mesh_option_is_some(MeshObj *opt);
MeshSlot mesh_option_unwrap(MeshCtx *ctx, MeshObj *opt);   /* panics on None */
MeshObj *mesh_result_ok(MeshCtx *ctx, MeshTypeId result_type, MeshSlot v);
MeshObj *mesh_result_err(MeshCtx *ctx, MeshTypeId result_type, MeshSlot e);
MeshBool mesh_result_is_ok(MeshObj *res);
MeshSlot mesh_result_unwrap(MeshCtx *ctx, MeshObj *res);   /* panics on Err */

#endif
