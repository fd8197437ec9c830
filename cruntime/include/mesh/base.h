/*
 * mesh/base.h -- standard integer types for the ABI headers.
 *
 * When the code generator (or cffi) parses the headers it preprocesses them
 * with -DMESH_ABI_PARSE and supplies the <stdint.h> typedefs itself, so no
 * system header reaches pycparser.
 */
#ifndef MESH_BASE_H
#define MESH_BASE_H

#ifndef MESH_ABI_PARSE
#include <stddef.h>
#include <stdint.h>
#endif

#endif
