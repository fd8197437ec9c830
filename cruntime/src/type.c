/*
 * type.c -- the runtime's predefined type descriptors and the type-id lookup
 * (prefix mesh_rt_type / meshP_type).
 */
#include "internal.h"

static const MeshField f_int[] = {{NULL, MESH_TYPE_INT}};
static const MeshField f_float[] = {{NULL, MESH_TYPE_FLOAT}};
static const MeshField f_string[] = {{NULL, MESH_TYPE_STRING}};
static const MeshField f_unit[] = {{NULL, MESH_TYPE_UNIT}};
static const MeshField f_any[] = {{NULL, MESH_TYPE_ANY}};

static const MeshVariant v_ordering[] = {{"Less", 0, NULL}, {"Equal", 0, NULL}, {"Greater", 0, NULL}};
static const MeshVariant v_opt_int[] = {{"Some", 1, f_int}, {"None", 0, NULL}};
static const MeshVariant v_opt_float[] = {{"Some", 1, f_float}, {"None", 0, NULL}};
static const MeshVariant v_opt_string[] = {{"Some", 1, f_string}, {"None", 0, NULL}};
static const MeshVariant v_res_ss[] = {{"Ok", 1, f_string}, {"Err", 1, f_string}};
static const MeshVariant v_res_us[] = {{"Ok", 1, f_unit}, {"Err", 1, f_string}};
static const MeshVariant v_opt_any[] = {{"Some", 1, f_any}, {"None", 0, NULL}};
static const MeshVariant v_res_any[] = {{"Ok", 1, f_any}, {"Err", 1, f_any}};

#define SCALAR(nm) {.kind = MESH_KIND_NONE, .boxed = 0, .name = nm}

static const MeshType builtin[MESH_TYPE_FIRST_USER] = {
    [MESH_TYPE_ANY] = {.kind = MESH_KIND_NONE, .boxed = 1, .name = "?"},
    [MESH_TYPE_UNIT] = SCALAR("()"),
    [MESH_TYPE_INT] = SCALAR("Int"),
    [MESH_TYPE_FLOAT] = SCALAR("Float"),
    [MESH_TYPE_BOOL] = SCALAR("Bool"),
    [MESH_TYPE_STRING] = {.kind = MESH_KIND_STRING, .boxed = 1, .name = "String"},
    [MESH_TYPE_PID] = SCALAR("Pid"),
    [MESH_TYPE_ORDERING] = {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Ordering", .nvariants = 3,
                            .variants = v_ordering},
    [MESH_TYPE_RANGE] = {.kind = MESH_KIND_RANGE, .boxed = 1, .name = "Range", .elem = MESH_TYPE_INT},
    [MESH_TYPE_LIST_INT] = {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = MESH_TYPE_INT},
    [MESH_TYPE_LIST_STRING] = {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = MESH_TYPE_STRING},
    [MESH_TYPE_OPTION_INT] = {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Option", .nvariants = 2,
                              .variants = v_opt_int},
    [MESH_TYPE_OPTION_FLOAT] = {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Option", .nvariants = 2,
                                .variants = v_opt_float},
    [MESH_TYPE_OPTION_STRING] = {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Option", .nvariants = 2,
                                 .variants = v_opt_string},
    [MESH_TYPE_RESULT_STRING_STRING] = {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Result",
                                        .nvariants = 2, .variants = v_res_ss},
    [MESH_TYPE_SET_INT] = {.kind = MESH_KIND_SET, .boxed = 1, .name = "Set", .elem = MESH_TYPE_INT},
    [MESH_TYPE_QUEUE] = {.kind = MESH_KIND_QUEUE, .boxed = 1, .name = "Queue", .elem = MESH_TYPE_INT},
    [MESH_TYPE_LIST_ANY] = {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = MESH_TYPE_ANY},
    [MESH_TYPE_TUPLE_ANY] = {.kind = MESH_KIND_TUPLE, .boxed = 1, .name = ""},
    [MESH_TYPE_INTERNAL] = {.kind = MESH_KIND_INTERNAL, .boxed = 1, .name = "internal"},
    [MESH_TYPE_RESULT_UNIT_STRING] = {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Result",
                                      .nvariants = 2, .variants = v_res_us},
    [MESH_TYPE_LIST_FLOAT] = {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = MESH_TYPE_FLOAT},
    [MESH_TYPE_OPTION_ANY] = {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Option", .nvariants = 2,
                              .variants = v_opt_any},
    [MESH_TYPE_RESULT_ANY] = {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Result", .nvariants = 2,
                              .variants = v_res_any},
};

static const MeshType *prog_types;
static uint32_t prog_ntypes;

void meshP_set_program_types(const MeshType *types, uint32_t n)
{
    prog_types = types;
    prog_ntypes = types ? n : 0;
}

const MeshType *meshP_type(MeshTypeId id)
{
    if (id < MESH_TYPE_FIRST_USER) return builtin[id].name ? &builtin[id] : NULL;
    id -= MESH_TYPE_FIRST_USER;
    return id < prog_ntypes ? &prog_types[id] : NULL;
}

const MeshType *mesh_rt_type(MeshTypeId id)
{
    return meshP_type(id);
}
