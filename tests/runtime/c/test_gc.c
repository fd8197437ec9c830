/* GC: build big nested structures while collecting at every allocation
 * (run with MESH_GC_STRESS=1) or at the normal threshold, and verify them. */
#include "mesh/mesh.h"

static const MeshField point_fields[] = {{"x", MESH_TYPE_INT}, {"name", MESH_TYPE_STRING}};
/* type ids from MESH_TYPE_FIRST_USER: 64 Point, 65 List<Point>, 66 Map<String, List<Int>>,
 * 67 List<List<Int>>, 68 Set<String>, 69 Option<Point> */
static const MeshField opt_point_field[] = {{NULL, 64}};
static const MeshVariant opt_point_variants[] = {{"Some", 1, opt_point_field}, {"None", 0, NULL}};
static const MeshType types[] = {
    {.kind = MESH_KIND_STRUCT, .boxed = 1, .name = "Point", .nfields = 2, .fields = point_fields,
     .flags = MESH_TFLAG_DISPLAY},
    {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = 64},
    {.kind = MESH_KIND_MAP, .boxed = 1, .name = "Map", .elem = MESH_TYPE_STRING, .elem2 = MESH_TYPE_LIST_INT},
    {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = MESH_TYPE_LIST_INT},
    {.kind = MESH_KIND_SET, .boxed = 1, .name = "Set", .elem = MESH_TYPE_STRING},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Option", .nvariants = 2, .variants = opt_point_variants,
     .flags = MESH_TFLAG_DISPLAY},
};
#define TEST_TYPES types
#include "check.h"

static MeshObj *point(MeshCtx *ctx, int64_t x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "p%lld", (long long)x);
    MeshString *name = S(buf);
    MeshFields *p = (MeshFields *)mesh_gc_alloc(ctx, 24, 64, MESH_KIND_STRUCT, 2);
    p->slots[0] = (MeshSlot)x;
    p->slots[1] = P(name);
    return &p->hdr;
}

static void test_main(MeshCtx *ctx)
{
    const char *stress = getenv("MESH_GC_STRESS");
    int big = !(stress && *stress == '1');
    int64_t n = big ? 100000 : 1000;

    /* a list of structs holding strings */
    MeshList *pts = mesh_list_new(ctx, 65);
    for (int64_t i = 0; i < n; i++) {
        pts = mesh_list_append(ctx, pts, P(point(ctx, i)));
        if (i % 7 == 0) (void)S("garbage string that dies immediately");
    }
    /* a map of string -> list of ints, and a set of strings */
    MeshMap *m = mesh_map_new(ctx, 66);
    MeshSet *set = mesh_set_new(ctx, 68);
    int64_t nkeys = n / 10;
    for (int64_t i = 0; i < nkeys; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "key%lld", (long long)i);
        MeshList *l = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
        for (int64_t j = 0; j < 5; j++) l = mesh_list_prepend(ctx, l, (MeshSlot)(i + j));
        m = mesh_map_put(ctx, m, P(S(buf)), P(l));
        set = mesh_set_add(ctx, set, P(S(buf)));
        if (i % 3 == 0) m = mesh_map_put(ctx, m, P(S(buf)), P(l));   /* replace: same position */
    }
    /* nested lists, options */
    MeshList *nested = mesh_list_new(ctx, 67);
    for (int64_t i = 0; i < n / 100; i++) {
        MeshList *inner = mesh_list_new(ctx, MESH_TYPE_LIST_INT);
        for (int64_t j = 0; j < 20; j++) inner = mesh_list_append(ctx, inner, (MeshSlot)(i * j));
        nested = mesh_list_prepend(ctx, nested, P(inner));
    }
    MeshObj *opt = mesh_option_some(ctx, 69, P(point(ctx, 42)));

    mesh_gc_collect(ctx);
    for (int i = 0; i < 3; i++) (void)mesh_list_reverse(ctx, pts);   /* churn */
    mesh_gc_collect(ctx);

    /* verify everything */
    CHECK_EQ_INT(mesh_list_length(pts), n);
    for (int64_t i = 0; i < n; i += 1) {
        MeshFields *p = OBJ(mesh_list_get(ctx, pts, i));
        CHECK_EQ_INT(p->slots[0], i);
        char buf[32];
        snprintf(buf, sizeof buf, "p%lld", (long long)i);
        if (!str_is(OBJ(p->slots[1]), buf)) { CHECK(0); break; }
    }
    CHECK_EQ_INT(mesh_map_size(m), nkeys);
    CHECK_EQ_INT(mesh_set_size(set), nkeys);
    for (int64_t i = 0; i < nkeys; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "key%lld", (long long)i);
        MeshString *k = S(buf);
        MeshList *l = OBJ(mesh_map_get(ctx, m, P(k)));
        CHECK(l != NULL);
        if (!l) break;
        CHECK_EQ_INT(mesh_list_length(l), 5);
        CHECK_EQ_INT(mesh_list_head(ctx, l), i + 4);
        CHECK(str_is(OBJ(mesh_map_key_at(ctx, m, i)), buf));   /* insertion order */
        CHECK(mesh_set_contains(ctx, set, P(k)));
    }
    CHECK_EQ_INT(mesh_list_length(nested), n / 100);
    MeshList *first = OBJ(mesh_list_head(ctx, nested));
    CHECK_EQ_INT(mesh_list_get(ctx, first, 19), (n / 100 - 1) * 19);
    MeshString *d = mesh_value_display(ctx, 69, P(opt));
    CHECK_STR(d, "Some(Point(42, p42))");

    /* dropping everything lets the heap shrink */
    pts = NULL; m = NULL; set = NULL; nested = NULL; opt = NULL;
    for (int i = 0; i < 4; i++) mesh_gc_collect(ctx);
    printf("ok\n");
}
