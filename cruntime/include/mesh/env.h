/*
 * mesh/env.h -- `Env.*`: environment variables and program arguments.
 */
#ifndef MESH_ENV_H
#define MESH_ENV_H

#include "rt.h"

/* Option<String> (MESH_TYPE_OPTION_STRING objects). */
MeshObj *mesh_env_get(MeshCtx *ctx, MeshString *name);
/* List<String>: the program's command-line arguments, program name first. */
MeshObj *mesh_env_args(MeshCtx *ctx);

#endif
