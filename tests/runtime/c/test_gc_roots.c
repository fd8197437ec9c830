/* GC: what keeps objects alive (closure captures, conservative ANY slots,
 * interior pointers, static objects), large objects, heap shrinking, and the
 * embedded API's explicit roots. */
#include "mesh/mesh.h"

static const MeshField cap_fields[] = {{NULL, MESH_TYPE_LIST_STRING}, {NULL, MESH_TYPE_INT}};
static const MeshField shape_fields[] = {{NULL, MESH_TYPE_STRING}};
static const MeshVariant variants[] = {{"Named", 1, shape_fields}, {"Empty", 0, NULL}};
/* 64 closure env (List<String>, Int), 65 sum type Named(String) | Empty, 66 List<Named> */
static const MeshType types[] = {
    {.kind = MESH_KIND_CLOSURE, .boxed = 1, .name = "closure", .nfields = 2, .fields = cap_fields},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Shape", .nvariants = 2, .variants = variants,
     .flags = MESH_TFLAG_DISPLAY},
    {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = 65},
};
#define TEST_TYPES types
#include "check.h"

static const struct {
    MeshObj hdr;
    uint64_t len;
    char bytes[8];
} static_str = {{MESH_TYPE_STRING, MESH_KIND_STRING, MESH_GC_STATIC, 0}, 6, "static"};

/* closure body: join the captured list and append the captured count */
static MeshSlot body(MeshCtx *ctx, MeshClosure *self, MeshSlot arg)
{
    MeshString *j = mesh_string_join(ctx, OBJ(self->env[0]), S("+"));
    (void)arg;
    return P(mesh_string_concat(ctx, j, mesh_int_to_string(ctx, (int64_t)self->env[1])));
}

__attribute__((noinline)) static MeshClosure *make_closure(MeshCtx *ctx)
{
    MeshList *l = mesh_list_new(ctx, MESH_TYPE_LIST_STRING);
    for (int i = 0; i < 50; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "w%d", i);
        l = mesh_list_append(ctx, l, P(S(buf)));
    }
    MeshClosure *c = (MeshClosure *)mesh_gc_alloc(ctx, 32, 64, MESH_KIND_CLOSURE, 2);
    c->fn = (void *)body;
    c->env[0] = P(l);
    c->env[1] = 50;
    return c;
}

__attribute__((noinline)) static MeshObj *make_any_tuple(MeshCtx *ctx)
{
    /* a tuple of unknown field types: traced conservatively */
    MeshSlot items[3] = {P(S("kept by an ANY slot")), 12345, P(&static_str)};
    return mesh_tuple_new(ctx, MESH_TYPE_TUPLE_ANY, items, 3);
}

__attribute__((noinline)) static const char *make_interior(MeshCtx *ctx)
{
    MeshString *s = S("only an interior pointer keeps me");
    return s->bytes + 5;
}

__attribute__((noinline)) static void churn(MeshCtx *ctx, int n)
{
    for (int i = 0; i < n; i++) (void)S("churn churn churn churn churn churn");
}

/* Allocate a lot in a frame that is gone (below the stack pointer) when the caller collects. */
static int stress_mode(void)
{
    const char *s = getenv("MESH_GC_STRESS");
    return s && *s == '1';
}

__attribute__((noinline)) static uint64_t build_garbage(MeshCtx *ctx)
{
    int n = stress_mode() ? 300 : 20000;
    MeshList *l = mesh_list_new(ctx, MESH_TYPE_LIST_STRING);
    for (int i = 0; i < n; i++) l = mesh_list_append(ctx, l, P(S("temporary string data")));
    mesh_gc_collect(ctx);
    CHECK(mesh_list_length(l) == n);
    return mesh_embed_heap_bytes(ctx);
}

static void test_main(MeshCtx *ctx)
{
    MeshClosure *c = make_closure(ctx);
    MeshObj *t = make_any_tuple(ctx);
    const char *volatile interior = make_interior(ctx);
    MeshList *shapes = mesh_list_new(ctx, 66);
    for (int i = 0; i < 100; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "s%d", i);
        MeshFields *v = (MeshFields *)mesh_gc_alloc(ctx, 16, 65, MESH_KIND_VARIANT, 0);
        v->slots[0] = P(S(buf));
        shapes = mesh_list_append(ctx, shapes, P(v));
    }
    /* a large string (own chunk) and a large list buffer */
    char *bigtext = malloc(100000);
    memset(bigtext, 'z', 100000);
    MeshString *big = mesh_string_new(ctx, bigtext, 100000);
    free(bigtext);
    churn(ctx, stress_mode() ? 200 : 20000);
    mesh_gc_collect(ctx);
    churn(ctx, stress_mode() ? 200 : 20000);
    mesh_gc_collect(ctx);

    MeshString *r = OBJ(body(ctx, c, 0));
    CHECK(r->len > 100 && !memcmp(r->bytes, "w0+w1+w2", 8) && !memcmp(r->bytes + r->len - 5, "w4950", 5));
    CHECK_STR((MeshString *)OBJ(((MeshFields *)t)->slots[0]), "kept by an ANY slot");
    CHECK_EQ_INT(((MeshFields *)t)->slots[1], 12345);
    CHECK_STR((MeshString *)OBJ(((MeshFields *)t)->slots[2]), "static");
    CHECK(static_str.hdr.gc == MESH_GC_STATIC);
    CHECK(!memcmp(interior, "only an interior pointer keeps me" + 5, 10));
    CHECK_EQ_INT(mesh_list_length(shapes), 100);
    CHECK_STR(mesh_value_display(ctx, 65, mesh_list_get(ctx, shapes, 99)), "Named(s99)");
    CHECK_EQ_INT(big->len, 100000);
    CHECK(big->bytes[99999] == 'z' && big->bytes[100000] == 0);

    /* dropping references lets the heap shrink back */
    /* garbage is reclaimed: ten rounds of 20000 dead strings do not grow the heap tenfold
     * (a stale stack word may retain at most the latest round) */
    uint64_t one = build_garbage(ctx);
    for (int round = 0; round < 10; round++) (void)build_garbage(ctx);
    mesh_gc_collect(ctx);
    uint64_t after = mesh_embed_heap_bytes(ctx);
    if (!stress_mode()) CHECK(after < 3 * one);

    /* embedded contexts: only registered roots survive an explicit collection */
    MeshCtx *e = mesh_embed_ctx_new();
    MeshList *keep = mesh_list_new(e, MESH_TYPE_LIST_STRING);
    for (int i = 0; i < 1000; i++) keep = mesh_list_append(e, keep, P(mesh_string_new(e, "kept", 4)));
    for (int i = 0; i < 1000; i++) (void)mesh_string_new(e, "dropped", 7);
    mesh_embed_add_root(e, P(keep));
    mesh_embed_collect(e);
    CHECK_EQ_INT(mesh_list_length(keep), 1000);
    CHECK_STR((MeshString *)OBJ(mesh_list_get(e, keep, 999)), "kept");
    CHECK(mesh_embed_live_bytes(e) > 0);
    mesh_embed_clear_roots(e);
    mesh_embed_collect(e);
    CHECK_EQ_INT(mesh_embed_live_bytes(e), 0);
    mesh_embed_ctx_free(e);
}
