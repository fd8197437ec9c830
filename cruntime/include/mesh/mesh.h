/*
 * mesh/mesh.h -- everything a compiled Mesh program may call. The code
 * generator parses this file (preprocessed with -DMESH_ABI_PARSE).
 */
#ifndef MESH_MESH_H
#define MESH_MESH_H

#include "rt.h"
#include "num.h"
#include "str.h"
#include "value.h"
#include "list.h"
#include "map.h"
#include "set.h"
#include "tuple.h"
#include "queue.h"
#include "io.h"
#include "iter.h"
#include "json.h"
#include "file.h"
#include "env.h"
#include "actor.h"
#include "sup.h"

#endif
