/* Page pools (pagepool.c): a worker cache refills from and flushes to the
 * global pool in batches; freed blocks stay dirty (their contents survive,
 * no system call) up to the budget, and the oldest beyond it are given back
 * (they read as zero), adjacent blocks by one madvise call. Then the real
 * pools through processes: once enough slots and chunks exist, rounds of
 * spawns make no new ones and give nothing back; and a chunk reused dirty
 * gives its next owner a region that reads as zero. */
#include <sys/mman.h>
#include <unistd.h>

#include "../../../cruntime/src/internal.h"
#include "check.h"

#define BLK ((uintptr_t)64 << 10)
#define NBLK 100

static uint8_t *region;
static int next_blk;

static uintptr_t fresh_blk(void) { return (uintptr_t)region + (uintptr_t)next_blk++ * BLK; }
static uint64_t charge_page(uintptr_t v) { (void)v; return 4096; }
static void span_page(uintptr_t v, uintptr_t *lo, uintptr_t *hi)
{
    *lo = v & ~MESH_PAGES_META;
    *hi = *lo + 4096;
}
static uintptr_t cleaned(uintptr_t v) { return v & ~MESH_PAGES_META; }

static uint8_t first_byte(uintptr_t v) { return *(volatile uint8_t *)(v & ~MESH_PAGES_META); }

static void test_private_pool(void)
{
    region = mmap(NULL, 2 * NBLK * BLK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(region != MAP_FAILED);
    MeshPagePool pl = {.lock = PTHREAD_MUTEX_INITIALIZER, .budget = 16 * 4096, .block_size = BLK, .fresh = fresh_blk,
                       .charge = charge_page, .span = span_page, .cleaned = cleaned};
    MeshPageCache c;
    memset(&c, 0, sizeof c);
    MeshPageStats st;

    /* an empty cache refills half a cache at once */
    uintptr_t v[NBLK];
    v[0] = meshP_pages_get(&pl, &c);
    CHECK(v[0] & MESH_PAGES_CLEAN);
    CHECK_EQ_INT(c.n, MESH_PAGES_CACHE / 2 - 1);
    meshP_pages_stats(&pl, &st);
    CHECK_EQ_INT(st.nfresh, MESH_PAGES_CACHE / 2);
    for (int i = 1; i < NBLK; i++) v[i] = meshP_pages_get(&pl, &c);
    for (int i = 0; i < NBLK; i++) {
        CHECK(v[i] & MESH_PAGES_CLEAN);
        for (int j = 0; j < i; j++) CHECK(v[i] != v[j]);
        *(uint8_t *)(v[i] & ~MESH_PAGES_META) = 0xAB;   /* dirty it */
    }
    /* back through the cache: full caches flush their older half; beyond the
     * budget the oldest dirty blocks are given back */
    for (int i = 0; i < NBLK; i++) meshP_pages_put(&pl, &c, v[i] & ~MESH_PAGES_CLEAN);
    meshP_pages_stats(&pl, &st);
    CHECK(st.dirty_bytes <= pl.budget);
    CHECK(st.given_back > 0);
    CHECK(st.madvise_calls < st.given_back);   /* adjacent blocks: one call per run */
    CHECK_EQ_INT(st.ndirty + st.nclean + (uint64_t)c.n, (uint64_t)next_blk);
    for (size_t i = 0; i < pl.nclean; i++) {
        CHECK(pl.clean[i] & MESH_PAGES_CLEAN);
        CHECK_EQ_INT(first_byte(pl.clean[i]), 0);       /* given back: zero */
    }
    for (size_t i = 0; i < pl.ndirty; i++) CHECK_EQ_INT(first_byte(pl.dirty[i]), 0xAB);   /* kept */
    for (int i = 0; i < c.n; i++) CHECK_EQ_INT(first_byte(c.v[i]), 0xAB);

    /* a flushed cache refills with dirty blocks first (no page fault) */
    meshP_pages_flush(&pl, &c);
    CHECK_EQ_INT(c.n, 0);
    uint64_t before = pl.nfresh;
    uintptr_t d = meshP_pages_get(&pl, &c);
    CHECK(!(d & MESH_PAGES_CLEAN));
    CHECK_EQ_INT(first_byte(d), 0xAB);
    CHECK_EQ_INT(pl.nfresh, before);
    meshP_pages_put(&pl, &c, d);
    meshP_pages_flush(&pl, &c);
    free(pl.dirty);
    free(pl.clean);
    munmap(region, 2 * NBLK * BLK);
}

/* ---------------------------------------------------------------- processes */

#define NPROC 3000

/* allocates a little, answers 1 */
static void worker_body(MeshCtx *ctx, MeshClosure *self)
{
    for (int i = 0; i < 20; i++) S("some garbage to dirty the chunk");
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, 1);
}

static void round_of_spawns(MeshCtx *ctx)
{
    MeshSlot me = (MeshSlot)mesh_actor_self(ctx);
    for (int i = 0; i < NPROC; i++) mesh_actor_spawn(ctx, closure_n(ctx, (void *)worker_body, 1, &me));
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    int64_t got = 0;
    for (int i = 0; i < NPROC; i++) {
        CHECK(mesh_actor_receive(ctx, any, 5000));
        got += (int64_t)mesh_actor_received(ctx);
    }
    CHECK_EQ_INT(got, NPROC);
    mesh_timer_sleep(ctx, 5);   /* the last ones have ended, their blocks are back */
}

/* Blocks another worker holds in its cache are out of reach: a round may
 * make up to a cache's worth of new blocks per worker, never one per spawn. */
static void test_reuse_without_syscalls(MeshCtx *ctx)
{
    const char *e = getenv("MESH_WORKERS");
    int64_t workers = e && *e ? atoll(e) : sysconf(_SC_NPROCESSORS_ONLN);
    MeshPageStats s0, s1, c0, c1;
    meshP_pages_stats(&meshP_stack_pool, &s0);
    meshP_pages_stats(&meshP_chunk_pool, &c0);
    for (int round = 0; round < 4; round++) round_of_spawns(ctx);
    meshP_pages_stats(&meshP_stack_pool, &s1);
    meshP_pages_stats(&meshP_chunk_pool, &c1);
    int64_t bound = NPROC + workers * 2 * MESH_PAGES_CACHE;
    CHECK((int64_t)(s1.nfresh - s0.nfresh) <= bound);
    CHECK((int64_t)(c1.nfresh - c0.nfresh) <= bound);
    /* under the budgets: nothing was given back to the kernel */
    CHECK_EQ_INT(s1.given_back, s0.given_back);
    CHECK_EQ_INT(c1.given_back, c0.given_back);
}

/* writes 'x' over a few KiB of its chunk, then ends */
static void scribbler(MeshCtx *ctx, MeshClosure *self)
{
    char buf[3000];
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 8; i++) mesh_string_new(ctx, buf, (int64_t)sizeof buf);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, 1);
}

/* the rest of its bump region must read as zero, whoever had the chunk before */
static void checker(MeshCtx *ctx, MeshClosure *self)
{
    S("one object");
    MeshHeap *h = &ctx->proc->heap;
    int64_t nonzero = 0;
    for (uint8_t *q = ctx->hp; q < h->cur_end; q++) nonzero += *q != 0;
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)(nonzero + 1));
}

static void test_dirty_chunk_zeroed(MeshCtx *ctx)
{
    MeshSlot me = (MeshSlot)mesh_actor_self(ctx);
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    for (int round = 0; round < 50; round++) {
        mesh_actor_spawn(ctx, closure_n(ctx, (void *)scribbler, 1, &me));
        CHECK(mesh_actor_receive(ctx, any, 5000));
        mesh_timer_sleep(ctx, 1);
        mesh_actor_spawn(ctx, closure_n(ctx, (void *)checker, 1, &me));
        CHECK(mesh_actor_receive(ctx, any, 5000));
        CHECK_EQ_INT((int64_t)mesh_actor_received(ctx), 1);
    }
}

static void test_main(MeshCtx *ctx)
{
    test_private_pool();
    test_reuse_without_syscalls(ctx);
    test_dirty_chunk_zeroed(ctx);
}
