/* Lists: persistence, complexity of append/prepend/tail, higher-order functions. */
#include "mesh/mesh.h"

static const MeshField pair_fields[] = {{NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_STRING}};
/* 64 (Int, String), 65 List<(Int, String)>, 66 List<List<Int>>, 67 Option<Int> is predefined */
static const MeshType types[] = {
    {.kind = MESH_KIND_TUPLE, .boxed = 1, .name = "", .nfields = 2, .fields = pair_fields},
    {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = 64},
    {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = MESH_TYPE_LIST_INT},
};
#define TEST_TYPES types
#include "check.h"

static MeshSlot dbl(MeshCtx *ctx, MeshClosure *self, MeshSlot x) { (void)ctx; (void)self; return x * 2; }
static MeshSlot is_even(MeshCtx *ctx, MeshClosure *self, MeshSlot x) { (void)ctx; (void)self; return (x & 1) == 0; }
static MeshSlot gt3(MeshCtx *ctx, MeshClosure *self, MeshSlot x) { (void)ctx; (void)self; return (int64_t)x > 3; }
static MeshSlot add(MeshCtx *ctx, MeshClosure *self, MeshSlot a, MeshSlot b) { (void)ctx; (void)self; return a + b; }
static MeshSlot desc(MeshCtx *ctx, MeshClosure *self, MeshSlot a, MeshSlot b)
{
    (void)ctx; (void)self;
    return (MeshSlot)((int64_t)b < (int64_t)a ? -1 : (int64_t)b > (int64_t)a ? 1 : 0);
}
/* stable sort check: compare by x / 10 only */
static MeshSlot by_tens(MeshCtx *ctx, MeshClosure *self, MeshSlot a, MeshSlot b)
{
    (void)ctx; (void)self;
    int64_t x = (int64_t)a / 10, y = (int64_t)b / 10;
    return (MeshSlot)(x < y ? -1 : x > y ? 1 : 0);
}
static MeshSlot upto(MeshCtx *ctx, MeshClosure *self, MeshSlot x)
{
    (void)self;
    MeshList *l = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
    for (MeshSlot i = 0; i < x; i++) l = mesh_list_append(ctx, l, i);
    return P(l);
}

static MeshList *ints(MeshCtx *ctx, int n, ...)
{
    MeshList *l = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) l = mesh_list_append(ctx, l, (MeshSlot)va_arg(ap, int));
    va_end(ap);
    return l;
}

#define SHOW(l) mesh_value_display(ctx, MESH_TYPE_LIST_INT, P(l))

static void test_main(MeshCtx *ctx)
{
    MeshList *e = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
    CHECK_STR(SHOW(e), "[]");
    MeshList *a = ints(ctx, 3, 1, 2, 3);
    CHECK_STR(SHOW(a), "[1, 2, 3]");
    /* persistence: appending to an old version does not disturb newer ones */
    MeshList *b = mesh_list_append(ctx, a, 4);
    MeshList *c = mesh_list_append(ctx, a, 5);
    CHECK_STR(SHOW(a), "[1, 2, 3]");
    CHECK_STR(SHOW(b), "[1, 2, 3, 4]");
    CHECK_STR(SHOW(c), "[1, 2, 3, 5]");
    MeshList *p1 = mesh_list_prepend(ctx, a, 0);
    MeshList *p2 = mesh_list_prepend(ctx, a, 9);
    MeshList *p3 = mesh_list_prepend(ctx, p1, 8);
    CHECK_STR(SHOW(p1), "[0, 1, 2, 3]");
    CHECK_STR(SHOW(p2), "[9, 1, 2, 3]");
    CHECK_STR(SHOW(p3), "[8, 0, 1, 2, 3]");
    MeshList *t = mesh_list_tail(ctx, b);
    CHECK_STR(SHOW(t), "[2, 3, 4]");
    CHECK_STR(SHOW(mesh_list_append(ctx, t, 7)), "[2, 3, 4, 7]");
    CHECK_STR(SHOW(b), "[1, 2, 3, 4]");
    CHECK_STR(SHOW(mesh_list_take(ctx, b, 2)), "[1, 2]");
    CHECK_STR(SHOW(mesh_list_append(ctx, mesh_list_take(ctx, b, 2), 0)), "[1, 2, 0]");
    CHECK_STR(SHOW(b), "[1, 2, 3, 4]");
    CHECK_STR(SHOW(mesh_list_take(ctx, b, -1)), "[]");
    CHECK_STR(SHOW(mesh_list_take(ctx, b, 10)), "[1, 2, 3, 4]");
    CHECK_STR(SHOW(mesh_list_drop(ctx, b, 3)), "[4]");
    CHECK_STR(SHOW(mesh_list_drop(ctx, b, 30)), "[]");
    CHECK_STR(SHOW(mesh_list_concat(ctx, a, b)), "[1, 2, 3, 1, 2, 3, 4]");
    CHECK_STR(SHOW(mesh_list_concat(ctx, a, e)), "[1, 2, 3]");
    CHECK_STR(SHOW(mesh_list_concat(ctx, e, a)), "[1, 2, 3]");
    CHECK_STR(SHOW(a), "[1, 2, 3]");
    CHECK_STR(SHOW(mesh_list_reverse(ctx, b)), "[4, 3, 2, 1]");
    CHECK_EQ_INT(mesh_list_head(ctx, b), 1);
    CHECK_EQ_INT(mesh_list_last(ctx, b), 4);
    CHECK_EQ_INT(mesh_list_get(ctx, b, 2), 3);
    CHECK_EQ_INT(mesh_list_nth(ctx, b, 3), 4);
    CHECK(mesh_list_contains(ctx, b, 4));
    CHECK(!mesh_list_contains(ctx, b, 5));

    MeshClosure *fd = closure(ctx, (void *)dbl), *fe = closure(ctx, (void *)is_even);
    MeshClosure *fg = closure(ctx, (void *)gt3), *fa = closure(ctx, (void *)add);
    CHECK_STR(SHOW(mesh_list_map(ctx, b, fd, MESH_TYPE_LIST_INT)), "[2, 4, 6, 8]");
    CHECK_STR(SHOW(mesh_list_filter(ctx, b, fe)), "[2, 4]");
    CHECK_EQ_INT(mesh_list_reduce(ctx, b, 100, fa), 110);
    CHECK(mesh_list_any(ctx, b, fg));
    CHECK(!mesh_list_all(ctx, b, fg));
    CHECK(mesh_list_all(ctx, e, fg));
    MeshObj *f = mesh_list_find(ctx, b, fg, MESH_TYPE_OPTION_INT);
    CHECK(mesh_option_is_some(f) && mesh_option_unwrap(ctx, f) == 4);
    CHECK(!mesh_option_is_some(mesh_list_find(ctx, a, fg, MESH_TYPE_OPTION_INT)));
    MeshList *unsorted = ints(ctx, 6, 31, 12, 35, 14, 33, 11);
    CHECK_STR(SHOW(mesh_list_sort(ctx, unsorted, closure(ctx, (void *)desc))), "[35, 33, 31, 14, 12, 11]");
    CHECK_STR(SHOW(mesh_list_sort(ctx, unsorted, closure(ctx, (void *)by_tens))), "[12, 14, 11, 31, 35, 33]");
    CHECK_STR(SHOW(mesh_list_sort_default(ctx, unsorted)), "[11, 12, 14, 31, 33, 35]");
    CHECK_STR(SHOW(unsorted), "[31, 12, 35, 14, 33, 11]");
    MeshList *words = mesh_string_split(ctx, S("x,y"), S(","));
    MeshList *z = mesh_list_zip(ctx, a, words, 65);
    CHECK_STR(mesh_value_display(ctx, 65, P(z)), "[(1, x), (2, y)]");
    MeshList *en = mesh_list_enumerate(ctx, words, 65);
    CHECK_STR(mesh_value_display(ctx, 65, P(en)), "[(0, x), (1, y)]");
    MeshList *fm = mesh_list_flat_map(ctx, a, closure(ctx, (void *)upto), MESH_TYPE_LIST_INT);
    CHECK_STR(SHOW(fm), "[0, 0, 1, 0, 1, 2]");
    MeshList *ll = mesh_list_new(ctx, 66);
    ll = mesh_list_append(ctx, ll, P(a));
    ll = mesh_list_append(ctx, ll, P(e));
    ll = mesh_list_append(ctx, ll, P(b));
    CHECK_STR(mesh_value_display(ctx, 66, P(ll)), "[[1, 2, 3], [], [1, 2, 3, 4]]");
    CHECK_STR(SHOW(mesh_list_flatten(ctx, ll, MESH_TYPE_LIST_INT)), "[1, 2, 3, 1, 2, 3, 4]");
    MeshSlot arr[3] = {7, 8, 9};
    CHECK_STR(SHOW(mesh_list_from_array(ctx, MESH_TYPE_LIST_INT, arr, 3)), "[7, 8, 9]");
    /* equality, ordering, hashing by content */
    CHECK(mesh_value_eq(ctx, MESH_TYPE_LIST_INT, P(a), P(ints(ctx, 3, 1, 2, 3))));
    CHECK(!mesh_value_eq(ctx, MESH_TYPE_LIST_INT, P(a), P(b)));
    CHECK(mesh_value_compare(ctx, MESH_TYPE_LIST_INT, P(a), P(b)) < 0);
    CHECK(mesh_value_compare(ctx, MESH_TYPE_LIST_INT, P(c), P(b)) > 0);
    CHECK_EQ_INT(mesh_value_hash(ctx, MESH_TYPE_LIST_INT, P(a)),
                 mesh_value_hash(ctx, MESH_TYPE_LIST_INT, P(ints(ctx, 3, 1, 2, 3))));
    MeshList *fl = mesh_list_new(ctx, MESH_TYPE_LIST_FLOAT);
    fl = mesh_list_append(ctx, fl, fbits(1.5));
    fl = mesh_list_append(ctx, fl, fbits(2.0));
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_LIST_FLOAT, P(fl)), "[1.5, 2]");

    /* 1,000,000 appends one at a time and a tail walk: linear (would take hours if quadratic) */
    MeshList *big = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
    for (int64_t i = 0; i < 1000000; i++) big = mesh_list_append(ctx, big, (MeshSlot)i);
    CHECK_EQ_INT(mesh_list_length(big), 1000000);
    CHECK_EQ_INT(mesh_list_get(ctx, big, 999999), 999999);
    int64_t sum = 0;
    for (MeshList *w = big; mesh_list_length(w); w = mesh_list_tail(ctx, w)) sum += (int64_t)mesh_list_head(ctx, w);
    CHECK_EQ_INT(sum, 499999500000);
    MeshList *cons = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
    for (int64_t i = 0; i < 1000000; i++) cons = mesh_list_prepend(ctx, cons, (MeshSlot)i);
    CHECK_EQ_INT(mesh_list_head(ctx, cons), 999999);
    CHECK_EQ_INT(mesh_list_last(ctx, cons), 0);
    MeshList *cat = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
    for (int64_t i = 0; i < 100000; i++) cat = mesh_list_concat(ctx, cat, a);
    CHECK_EQ_INT(mesh_list_length(cat), 300000);
}
