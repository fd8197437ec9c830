/* ThreadSanitizer run of the page pools (pagepool.c) outside the runtime:
 * threads, each with its own cache, take and return blocks of one pool whose
 * small budget makes them give blocks back (madvise outside the lock) while
 * the others refill and flush. No block is ever held by two threads, and a
 * block a thread dirtied reads either as it left it or, once given back, as
 * zero. Compiled with pagepool.c only (-fsanitize=thread). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "../../../cruntime/src/internal.h"
#include "tsan_stubs.h"

#define THREADS 4
#define ROUNDS 100000
#define HOLD 40
#define NBLK 8192
#define PAGE ((uintptr_t)4096)

static uint8_t *region;
static uintptr_t next_blk;   /* under the pool lock */
static _Atomic int owner[NBLK];
static _Atomic int bad;

static uintptr_t fresh_blk(void)
{
    if (next_blk == NBLK) meshP_fatal("out of blocks\n");
    return (uintptr_t)region + next_blk++ * PAGE;
}
static uint64_t charge_page(uintptr_t v) { (void)v; return PAGE; }
static void span_page(uintptr_t v, uintptr_t *lo, uintptr_t *hi)
{
    *lo = v & ~MESH_PAGES_META;
    *hi = *lo + PAGE;
}
static uintptr_t cleaned(uintptr_t v) { return v & ~MESH_PAGES_META; }

static MeshPagePool pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .budget = 32 * PAGE, .block_size = PAGE,
                            .fresh = fresh_blk, .charge = charge_page, .span = span_page, .cleaned = cleaned};

static void *run(void *arg)
{
    int id = (int)(intptr_t)arg + 1;
    MeshPageCache c;
    memset(&c, 0, sizeof c);
    uintptr_t held[HOLD];
    int nheld = 0;
    uint64_t rng = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    for (int r = 0; r < ROUNDS; r++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        if (nheld < HOLD && (nheld == 0 || (rng >> 40) % 2)) {
            uintptr_t v = meshP_pages_get(&pool, &c);
            uintptr_t a = v & ~MESH_PAGES_META;
            size_t i = (size_t)((a - (uintptr_t)region) / PAGE);
            int expect = 0;
            if (!atomic_compare_exchange_strong(&owner[i], &expect, id)) atomic_fetch_add(&bad, 1);
            uint8_t *p = (uint8_t *)a;
            /* clean: zero; dirty: the mark of whoever had it last */
            if ((v & MESH_PAGES_CLEAN) ? p[0] != 0 : p[0] == 0) atomic_fetch_add(&bad, 1);
            p[0] = (uint8_t)id;
            held[nheld++] = v & ~MESH_PAGES_CLEAN;
        } else {
            uintptr_t v = held[--nheld];
            size_t i = (size_t)(((v & ~MESH_PAGES_META) - (uintptr_t)region) / PAGE);
            atomic_store(&owner[i], 0);
            meshP_pages_put(&pool, &c, v);
        }
    }
    while (nheld) {
        uintptr_t v = held[--nheld];
        atomic_store(&owner[((v & ~MESH_PAGES_META) - (uintptr_t)region) / PAGE], 0);
        meshP_pages_put(&pool, &c, v);
    }
    meshP_pages_flush(&pool, &c);
    return NULL;
}

int main(void)
{
    region = mmap(NULL, NBLK * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region == MAP_FAILED) return 1;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, run, (void *)(intptr_t)i);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    MeshPageStats st;
    meshP_pages_stats(&pool, &st);
    int ok = st.given_back > 0 && st.dirty_bytes <= pool.budget && st.ndirty + st.nclean == next_blk;
    printf("bad %d accounted %d\n", atomic_load(&bad), ok);
    free(pool.dirty);
    free(pool.clean);
    return 0;
}
