/*
 * mesh/file.h -- `File.*`: whole-file operations. Failures never panic: they
 * return Err("<path>: <reason>") with the operating system's reason.
 */
#ifndef MESH_FILE_H
#define MESH_FILE_H

#include "rt.h"

/* Result<String, String>; Err also when the contents are not valid UTF-8. */
MeshObj *mesh_file_read(MeshCtx *ctx, MeshString *path);
/* Result<(), String> */
MeshObj *mesh_file_write(MeshCtx *ctx, MeshString *path, MeshString *contents);
MeshObj *mesh_file_append(MeshCtx *ctx, MeshString *path, MeshString *contents);
MeshObj *mesh_file_delete(MeshCtx *ctx, MeshString *path);
MeshBool mesh_file_exists(MeshCtx *ctx, MeshString *path);

#endif
