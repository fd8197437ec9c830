/*
 * mesh/io.h -- console output and input. stdout is buffered, written in
 * whole lines (lines from different processes never interleave) and flushed
 * at exit and before reading stdin; stderr is unbuffered.
 */
#ifndef MESH_IO_H
#define MESH_IO_H

#include "rt.h"

void mesh_io_println(MeshCtx *ctx, MeshString *s);
void mesh_io_print(MeshCtx *ctx, MeshString *s);
void mesh_io_eprintln(MeshCtx *ctx, MeshString *s);
void mesh_io_eprint(MeshCtx *ctx, MeshString *s);
void mesh_io_flush(MeshCtx *ctx);
/* Result<String, String> (MESH_TYPE_RESULT_STRING_STRING): one line without
 * its "\n" / "\r\n"; Err at end of input. */
MeshObj *mesh_io_read_line(MeshCtx *ctx);

#endif
