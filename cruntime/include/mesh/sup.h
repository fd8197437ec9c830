/*
 * mesh/sup.h -- supervisors. The compiler builds a specification with
 * mesh_supervisor_new / mesh_supervisor_add_child and starts it with
 * mesh_supervisor_start, which spawns the supervisor process; it starts the
 * children in order and restarts them as they end, following the strategy
 * and the restart intensity (more than max_restarts restarts within
 * max_seconds: the supervisor stops its children and ends abnormally).
 * Stopping a child honours shutdown_ms: an exit signal Shutdown, then a kill
 * once shutdown_ms have passed (0 = kill at once, -1 = wait forever). The
 * supervisor traps exits: an exit signal makes it stop its children in
 * reverse order and end with that reason.
 */
#ifndef MESH_SUP_H
#define MESH_SUP_H

#include "rt.h"

/* strategy 0 one_for_one, 1 one_for_all, 2 rest_for_one, 3 simple_one_for_one */
MeshObj *mesh_supervisor_new(MeshCtx *ctx, MeshInt strategy, MeshInt max_restarts, MeshInt max_seconds);
/* start: closure fn(ctx, self) -> Pid slot; restart 0 permanent, 1 transient, 2 temporary;
 * shutdown_ms 0 brutal_kill, -1 infinity; child_type 0 worker, 1 supervisor */
void mesh_supervisor_add_child(MeshCtx *ctx, MeshObj *spec, MeshString *id, MeshClosure *start, MeshInt restart,
                               MeshInt shutdown_ms, MeshInt child_type);
MeshInt mesh_supervisor_start(MeshCtx *ctx, MeshObj *spec);
MeshInt mesh_supervisor_count_children(MeshCtx *ctx, MeshInt sup);

#endif
