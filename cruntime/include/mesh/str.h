/*
 * mesh/str.h -- String (UTF-8, immutable). Lengths and indexes count code
 * points; byte lengths appear only in mesh_string_new.
 */
#ifndef MESH_STR_H
#define MESH_STR_H

#include "rt.h"

struct MeshList;

MeshString *mesh_string_new(MeshCtx *ctx, const char *bytes, int64_t len);
MeshString *mesh_string_concat(MeshCtx *ctx, MeshString *a, MeshString *b);
/* a <> b inside a transient session (token from mesh_session_token): the
 * result may be a buffer with spare room that later owned appends with the
 * same token extend in place, so `a` must not be used again (and b != a). */
MeshString *mesh_string_append_owned(MeshCtx *ctx, MeshString *a, MeshString *b, MeshInt token);
MeshInt mesh_string_length(MeshString *s);
/* Code-point slice [start, end), both clamped to [0, length], end >= start. */
MeshString *mesh_string_slice(MeshCtx *ctx, MeshString *s, MeshInt start, MeshInt end);
MeshBool mesh_string_contains(MeshString *s, MeshString *needle);
MeshBool mesh_string_starts_with(MeshString *s, MeshString *prefix);
MeshBool mesh_string_ends_with(MeshString *s, MeshString *suffix);
MeshString *mesh_string_trim(MeshCtx *ctx, MeshString *s);
MeshString *mesh_string_to_upper(MeshCtx *ctx, MeshString *s);
MeshString *mesh_string_to_lower(MeshCtx *ctx, MeshString *s);
/* Replace every occurrence of `from` (an empty `from` returns s unchanged). */
MeshString *mesh_string_replace(MeshCtx *ctx, MeshString *s, MeshString *from, MeshString *to);
/* List<String> (MESH_TYPE_LIST_STRING); empty pieces kept. */
struct MeshList *mesh_string_split(MeshCtx *ctx, MeshString *s, MeshString *sep);
MeshString *mesh_string_join(MeshCtx *ctx, struct MeshList *parts, MeshString *sep);
/* Option<Int> / Option<Float> (MESH_TYPE_OPTION_INT / _FLOAT); input trimmed. */
MeshObj *mesh_string_to_int(MeshCtx *ctx, MeshString *s);
MeshObj *mesh_string_to_float(MeshCtx *ctx, MeshString *s);
MeshBool mesh_string_eq(MeshString *a, MeshString *b);
/* Byte-wise (= code point) order: <0, 0, >0. */
MeshInt mesh_string_compare(MeshString *a, MeshString *b);
/* String.from(Int / Float / Bool) */
MeshString *mesh_string_from_int(MeshCtx *ctx, MeshInt v);
MeshString *mesh_string_from_float(MeshCtx *ctx, MeshFloat v);
MeshString *mesh_string_from_bool(MeshCtx *ctx, MeshBool v);
/* Debug form: the string in double quotes with \" \\ \n \t \r escaped. */
MeshString *mesh_string_quote(MeshCtx *ctx, MeshString *s);

#endif
