/* Process heaps (gc.c): the first region inside MeshHeap and the huge-page
 * chunks of big heaps. Each check runs in a fresh process, whose heap starts
 * empty: its first objects land in the first region, which must behave as a
 * chunk for everything (conservative lookups, collections, holes), keep its
 * objects once the heap grows into pool chunks, never be detached (message
 * fragments use pool chunks) and be reusable after the struct is recycled. */
#include "../../../cruntime/src/internal.h"

/* 64: a list of values of any type (scanned conservatively) */
static const MeshType types[] = {{.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = MESH_TYPE_ANY}};
#define TEST_TYPES types
#include "check.h"

static int in_first(MeshCtx *ctx, const void *p)
{
    MeshHeap *h = &ctx->proc->heap;
    return (uintptr_t)p - (uintptr_t)h->first < sizeof h->first;
}

static MeshString *str_of(MeshCtx *ctx, const char *prefix, int64_t i)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%s%lld", prefix, (long long)i);
    return S(buf);
}

static MeshFields *pair(MeshCtx *ctx, MeshSlot a, MeshSlot b)
{
    MeshFields *t = (MeshFields *)mesh_gc_alloc(ctx, 24, MESH_TYPE_ANY, MESH_KIND_TUPLE, 2);
    t->slots[0] = a;
    t->slots[1] = b;
    return t;
}

static void report(MeshCtx *ctx, MeshClosure *self)
{
    mesh_actor_send(ctx, (MeshInt)self->env[0], MESH_TYPE_INT, 1);
}

/* Objects in the first region: found by exact and conservative lookups,
 * surviving collections, keeping their place while the heap outgrows it. */
static void first_region(MeshCtx *ctx, MeshClosure *self)
{
    MeshHeap *h = &ctx->proc->heap;
    CHECK(in_first(ctx, self));                  /* the spawned closure was copied there */
    CHECK(h->first_taken);
    MeshString *a = S("first object");
    MeshFields *t = pair(ctx, P(a), 7);
    CHECK(in_first(ctx, a) && in_first(ctx, t));
    CHECK(h->chunks == (MeshChunk *)h->first && h->chunks->next == NULL);
    CHECK_EQ_INT(h->chunk_bytes, sizeof h->first);

    uintptr_t o = 0;
    CHECK(meshP_heap_find_object(h, (uintptr_t)a + 20, &o) && o == (uintptr_t)a);   /* interior */
    CHECK(meshP_heap_find_object(h, (uintptr_t)&t->slots[1], &o) && o == (uintptr_t)t);
    CHECK(!meshP_heap_find_object(h, (uintptr_t)h->first + 8, &o));     /* the region's header */
    CHECK(!meshP_heap_find_object(h, (uintptr_t)h->first + sizeof h->first, &o));   /* past it */
    CHECK(!meshP_heap_find_object(h, (uintptr_t)&h->holes[0], &o));     /* the heap struct itself */

    /* garbage between live objects: its space is reused after a collection */
    MeshString *dead = S("a string nobody keeps");
    MeshString *b = S("second object");
    CHECK(in_first(ctx, dead));
    dead = NULL;
    mesh_gc_collect(ctx);
    CHECK_STR(a, "first object");
    CHECK_STR(b, "second object");
    CHECK(OBJ(t->slots[0]) == a && t->slots[1] == 7);
    CHECK(h->live > 0);
    MeshString *again = S("a string nobody keeps");
    CHECK(in_first(ctx, again));         /* a hole of the region (no chunk taken yet) */
    CHECK(h->chunks == (MeshChunk *)h->first && h->chunks->next == NULL);
    CHECK_STR(b, "second object");

    /* outgrow the region: 20,000 pairs pointing at the first objects */
    MeshList *l = mesh_list_new(ctx, 64);
    int64_t n = h->stress ? 300 : 20000;
    for (int64_t i = 0; i < n; i++) {
        l = mesh_list_append(ctx, l, P(pair(ctx, P(i % 2 ? a : b), (MeshSlot)i)));
        if (i % 5 == 0) (void)str_of(ctx, "garbage ", i);
    }
    CHECK(h->chunks != (MeshChunk *)h->first || h->chunks->next != NULL);
    CHECK(h->chunk_bytes > MESH_CHUNK_SIZE);
    mesh_gc_collect(ctx);
    mesh_gc_collect(ctx);
    CHECK_STR(a, "first object");
    CHECK_STR(b, "second object");
    CHECK(in_first(ctx, a) && in_first(ctx, b));
    CHECK(meshP_heap_find_object(h, (uintptr_t)b + 17, &o) && o == (uintptr_t)b);
    int64_t bad = 0;
    for (int64_t i = 0; i < n; i++) {
        MeshFields *x = OBJ(meshP_list_at(l, i));
        bad += x->slots[1] != (MeshSlot)i || OBJ(x->slots[0]) != (i % 2 ? (void *)a : (void *)b);
    }
    CHECK_EQ_INT(bad, 0);
    /* everything but the first objects dies: the region stays, its free space is reused */
    l = NULL;
    mesh_gc_collect(ctx);
    CHECK(h->chunks != NULL);
    CHECK_STR(a, "first object");
    report(ctx, self);
}

/* A fragment heap (a process struct without a pid, as actor.c builds for a
 * message) never takes its first region: its chunks are detached, adopted by
 * this process, and collected with it. */
static void fragments(MeshCtx *ctx, MeshClosure *self)
{
    MeshHeap *h = &ctx->proc->heap;
    MeshProc *frag = calloc(1, sizeof *frag);
    CHECK(frag != NULL);
    frag->ctx.proc = frag;
    frag->ctx.worker = ctx->worker;
    meshP_heap_init(&frag->heap);
    frag->heap.gc_disabled = 1;
    frag->heap.stress = 0;
    MeshCtx *fc = &frag->ctx;
    MeshString *s = mesh_string_new(fc, "in a fragment", 13);
    MeshFields *t = (MeshFields *)mesh_gc_alloc(fc, 24, MESH_TYPE_ANY, MESH_KIND_TUPLE, 2);
    t->slots[0] = P(s);
    t->slots[1] = 42;
    CHECK(!frag->heap.first_taken);
    CHECK(!in_first(fc, s));
    MeshChunk *chunks, *large;
    meshP_heap_detach(fc, &chunks, &large);
    free(frag);
    CHECK(chunks != NULL && large == NULL);
    meshP_heap_adopt(h, chunks, large);
    uintptr_t o = 0;
    CHECK(meshP_heap_find_object(h, (uintptr_t)s + 3, &o) && o == (uintptr_t)s);
    CHECK(meshP_heap_find_object(h, (uintptr_t)t, &o) && o == (uintptr_t)t);
    MeshString *mine = S("mine");   /* the first region and an adopted chunk in one heap */
    CHECK(in_first(ctx, mine));
    mesh_gc_collect(ctx);
    CHECK_STR(OBJ(t->slots[0]), "in a fragment");
    CHECK_EQ_INT(t->slots[1], 42);
    CHECK_STR(mine, "mine");
    report(ctx, self);
}

/* A heap that passes the huge-page threshold: its further small chunks come
 * from the huge-page pool and a multi-megabyte object is 2 MiB aligned; it is
 * freed when the process ends, and the next big heap reuses those chunks. */
static void big_heap(MeshCtx *ctx, MeshClosure *self)
{
    MeshHeap *h = &ctx->proc->heap;
    int64_t n = (int64_t)self->env[1];
    MeshList *l = meshP_list_with_capacity(ctx, MESH_TYPE_LIST_STRING, n);
    for (int64_t i = 0; i < n; i++) l = mesh_list_append(ctx, l, P(str_of(ctx, "a string of the big heap #", i)));
    CHECK(h->chunk_bytes > ((uint64_t)24 << 20));
    int64_t huge = 0, pool = 0;
    for (MeshChunk *c = h->chunks; c; c = c->next) {
        huge += c->where == MESH_CHUNK_HUGE;
        pool += c->where == MESH_CHUNK_POOL;
    }
    CHECK(huge > 0 && pool > 0);
    CHECK((uint64_t)pool * MESH_CHUNK_SIZE <= ((uint64_t)17 << 20));   /* until the threshold only */
    /* a large object now: aligned for huge pages */
    MeshObj *big = meshP_alloc_priv(ctx, (uint64_t)3 << 20, MESH_SUB_BYTES, MESH_KIND_INTERNAL);
    MeshChunk *bc = meshP_granule_find(h, (uintptr_t)big);
    CHECK(bc && bc->large && ((uintptr_t)bc & (((uintptr_t)2 << 20) - 1)) == 0);
    mesh_gc_collect(ctx);
    int64_t bad = 0;
    for (int64_t i = 0; i < n; i += 97) {
        MeshString *s = OBJ(meshP_list_at(l, i));
        char buf[48];
        snprintf(buf, sizeof buf, "a string of the big heap #%lld", (long long)i);
        bad += !str_is(s, buf);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(((uint64_t *)big)[1] == (uint64_t)3 << 20);
    report(ctx, self);
}

static void run_child(MeshCtx *ctx, void *fn, MeshSlot arg)
{
    MeshSlot caps[2] = {(MeshSlot)mesh_actor_self(ctx), arg};
    mesh_actor_spawn(ctx, closure_n(ctx, fn, 2, caps));
    CHECK_EQ_INT(recv_any(ctx), 1);
}

static void test_main(MeshCtx *ctx)
{
    const char *stress = getenv("MESH_GC_STRESS");
    int stressed = stress && *stress == '1';
    for (int round = 0; round < 3; round++) {   /* recycled process structs too */
        run_child(ctx, (void *)first_region, 0);
        run_child(ctx, (void *)fragments, 0);
    }
    if (!stressed) {   /* a collection per allocation of a 30 MB heap would take hours */
        run_child(ctx, (void *)big_heap, 600000);
        run_child(ctx, (void *)big_heap, 600000);
    }
}
