/* Iterators over lists, maps, sets and ranges; lazy adapters; early exit; collectors. */
#include "mesh/mesh.h"

static const MeshField f_pair[] = {{NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}};
/* 64 Iter<Int>, 65 (Int, Int), 66 Iter<(Int, Int)>, 67 Map<Int, Int>, 68 Set<Int>, 69 List<(Int, Int)> */
static const MeshType types[] = {
    {.kind = MESH_KIND_ITER, .boxed = 1, .name = "Iter", .elem = MESH_TYPE_INT},
    {.kind = MESH_KIND_TUPLE, .boxed = 1, .name = "", .nfields = 2, .fields = f_pair},
    {.kind = MESH_KIND_ITER, .boxed = 1, .name = "Iter", .elem = 65},
    {.kind = MESH_KIND_MAP, .boxed = 1, .name = "Map", .elem = MESH_TYPE_INT, .elem2 = MESH_TYPE_INT},
    {.kind = MESH_KIND_SET, .boxed = 1, .name = "Set", .elem = MESH_TYPE_INT},
    {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = 65},
};
#define TEST_TYPES types
#include "check.h"

static int calls;
static MeshSlot dbl(MeshCtx *ctx, MeshClosure *self, MeshSlot x) { (void)ctx; (void)self; calls++; return x * 2; }
static MeshSlot odd(MeshCtx *ctx, MeshClosure *self, MeshSlot x) { (void)ctx; (void)self; return x & 1; }
static MeshSlot gt10(MeshCtx *ctx, MeshClosure *self, MeshSlot x) { (void)ctx; (void)self; return (int64_t)x > 10; }
static MeshSlot add(MeshCtx *ctx, MeshClosure *self, MeshSlot a, MeshSlot b) { (void)ctx; (void)self; return a + b; }

static void test_main(MeshCtx *ctx)
{
    MeshList *l = mesh_range_to_list(ctx, mesh_range_new(ctx, 0, 100));
    MeshClosure *fd = closure(ctx, (void *)dbl), *fo = closure(ctx, (void *)odd), *fg = closure(ctx, (void *)gt10);
    MeshClosure *fa = closure(ctx, (void *)add);

    CHECK_EQ_INT(mesh_iter_count(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64)), 100);
    CHECK_EQ_INT(mesh_iter_sum(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64)), 4950);
    /* lazy: map runs only for pulled elements */
    calls = 0;
    MeshObj *it = mesh_iter_map(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64), fd, 64);
    CHECK(mesh_iter_any(ctx, it, fg));
    CHECK_EQ_INT(calls, 7);   /* 0,2,..,12: 12 > 10 at the 7th element */
    calls = 0;
    it = mesh_iter_take(ctx, mesh_iter_map(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64), fd, 64), 3);
    CHECK_EQ_INT(mesh_iter_sum(ctx, it), 0 + 2 + 4);
    CHECK_EQ_INT(calls, 3);
    it = mesh_iter_skip(ctx, mesh_iter_filter(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64), fo), 45);
    CHECK_EQ_INT(mesh_iter_reduce(ctx, it, 0, fa), 91 + 93 + 95 + 97 + 99);
    CHECK(!mesh_iter_all(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64), fo));
    MeshObj *found = mesh_iter_find(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64), fg, MESH_TYPE_OPTION_INT);
    CHECK(mesh_option_is_some(found));
    CHECK_EQ_INT(((MeshFields *)found)->slots[0], 11);
    CHECK(!mesh_option_is_some(mesh_iter_find(ctx, mesh_iter_take(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64), 5), fg, MESH_TYPE_OPTION_INT)));

    /* ranges, maps, sets */
    MeshObj *r = mesh_iter_from(ctx, (MeshObj *)mesh_range_new(ctx, 5, 8), 64);
    MeshObj *z = mesh_iter_zip(ctx, r, mesh_iter_from(ctx, (MeshObj *)l, 64), 66);
    MeshMap *m = (MeshMap *)mesh_iter_collect_map(ctx, z, 67);
    CHECK_EQ_INT(mesh_map_size(m), 3);
    CHECK_EQ_INT(mesh_map_get(ctx, m, 7), 2);
    MeshObj *e = mesh_iter_from(ctx, (MeshObj *)m, 66);
    MeshList *pairs = (MeshList *)mesh_iter_collect_list(ctx, e, 69);
    CHECK_STR(mesh_value_display(ctx, 69, P(pairs)), "[(5, 0), (6, 1), (7, 2)]");
    MeshSet *s = mesh_set_from_list(ctx, mesh_list_map(ctx, l, fo, MESH_TYPE_LIST_INT), 68);
    CHECK_EQ_INT(mesh_iter_count(ctx, mesh_iter_from(ctx, (MeshObj *)s, 64)), 2);
    MeshObj *en = mesh_iter_enumerate(ctx, mesh_iter_from(ctx, (MeshObj *)s, 64), 66);
    CHECK_STR(mesh_value_display(ctx, 69, P(mesh_iter_collect_list(ctx, en, 69))), "[(0, 0), (1, 1)]");
    /* next */
    MeshObj *n1 = mesh_iter_from(ctx, (MeshObj *)mesh_range_new(ctx, 0, 1), 64);
    CHECK(mesh_option_is_some(mesh_iter_next(ctx, n1, MESH_TYPE_OPTION_INT)));
    CHECK(!mesh_option_is_some(mesh_iter_next(ctx, n1, MESH_TYPE_OPTION_INT)));
    /* strings */
    MeshList *ws = mesh_string_split(ctx, S("a,b,c"), S(","));
    CHECK_STR(mesh_iter_collect_string(ctx, mesh_iter_from(ctx, (MeshObj *)ws, 64)), "abc");
    MeshSet *ss = (MeshSet *)mesh_iter_collect_set(ctx, mesh_iter_from(ctx, (MeshObj *)l, 64), 68);
    CHECK_EQ_INT(mesh_set_size(ss), 100);
}
