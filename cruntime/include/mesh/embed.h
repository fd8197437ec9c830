/*
 * mesh/embed.h -- using the runtime from a host program (the cffi test
 * module, the REPL) instead of a compiled Mesh main.
 *
 * A context from mesh_embed_ctx_new is a detached process: it has its own
 * heap but no stack the collector can scan (the host holds references the
 * runtime cannot see), so it never collects unless asked to with
 * mesh_embed_collect, where only the registered roots survive. A panic in it
 * prints the message and exits the host with status 1.
 */
#ifndef MESH_EMBED_H
#define MESH_EMBED_H

#include "rt.h"

MeshCtx *mesh_embed_ctx_new(void);
void mesh_embed_ctx_free(MeshCtx *ctx);
/* Install a program type table (ids from MESH_TYPE_FIRST_USER). */
void mesh_embed_set_types(const MeshType *types, uint32_t ntypes);
/* Run a program like mesh_rt_main does (main on its own process stack). */
int mesh_embed_run(const MeshProgram *program);
/* Explicit roots for mesh_embed_collect. */
void mesh_embed_add_root(MeshCtx *ctx, MeshSlot v);
void mesh_embed_clear_roots(MeshCtx *ctx);
void mesh_embed_collect(MeshCtx *ctx);
/* Statistics of the context's heap. */
uint64_t mesh_embed_collections(MeshCtx *ctx);
uint64_t mesh_embed_live_bytes(MeshCtx *ctx);
uint64_t mesh_embed_heap_bytes(MeshCtx *ctx);

#endif
