/*
 * mesh/num.h -- Int, Float and Bool to text.
 * Float: shortest round-trip digits, never exponent notation, integral values
 * without ".0" (4.0 -> "4", 1e20 -> "100000000000000000000"), "NaN", "inf", "-inf", "-0".
 */
#ifndef MESH_NUM_H
#define MESH_NUM_H

#include "rt.h"

MeshString *mesh_int_to_string(MeshCtx *ctx, MeshInt v);
MeshString *mesh_float_to_string(MeshCtx *ctx, MeshFloat v);
MeshString *mesh_bool_to_string(MeshCtx *ctx, MeshBool v);
/* Into a caller buffer (at least 400 bytes for floats, 24 for ints); returns
 * the length written, NUL-terminated. No allocation. */
int64_t mesh_float_format(MeshFloat v, char *buf, int64_t cap);
int64_t mesh_int_format(MeshInt v, char *buf, int64_t cap);
/* A finite Float as a JSON number, laid out as serde_json writes it (the
 * reference's JSON output): 2.0 -> "2.0", 0.001 -> "0.001", 1e-7 -> "1e-7",
 * 1e17 -> "1e17", 1.5e300 -> "1.5e300" (at least 32 bytes). */
int64_t mesh_float_format_json(MeshFloat v, char *buf, int64_t cap);

#endif
