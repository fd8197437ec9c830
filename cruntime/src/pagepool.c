/*
 * pagepool.c -- pools of page-backed memory blocks (prefix meshP_pages_): the
 * stack slots of stack.c and the heap chunks of gc.c.
 *
 * Spawning and ending a process takes one stack slot and one heap chunk and
 * gives them back. Returning their pages to the kernel each time
 * (madvise(MADV_DONTNEED)) costs a system call -- with several threads also a
 * TLB shootdown -- plus a page fault (zeroing a page) when the block is
 * touched again. A pool therefore keeps freed blocks *dirty* (pages kept,
 * reused without a system call) up to a budget of dirty bytes, and gives the
 * excess back in batches: the oldest dirty blocks, sorted by address, with
 * adjacent blocks given back by one madvise call.
 *
 * Items are block addresses (aligned to at least 4 KiB) whose low bits carry
 * the client's metadata (below MESH_PAGES_CLEAN); the pool adds
 * MESH_PAGES_CLEAN to a block whose pages it gave back (they read as zero).
 *
 * Each worker keeps a small cache per pool (MeshPageCache, in MeshWorker):
 * taking and returning a block touches only that cache; a cache refills from
 * and flushes to the global pool (under its lock) half a cache at a time.
 * Threads that are not workers use the global pool directly.
 *
 * Policy (peak RSS after a spike): dirty blocks in the global pool are
 * charged `charge(item)` bytes each; when the charge exceeds the budget, the
 * oldest dirty blocks are given back until it is 7/8 of the budget. Blocks in
 * the per-worker caches (at most MESH_PAGES_CACHE per worker and pool) are not
 * charged.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"

#define TRIM_MAX 256   /* blocks given back per trim (outside the lock) */

static void push(uintptr_t **arr, size_t *n, size_t *cap, uintptr_t v)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 1024;
        uintptr_t *a = realloc(*arr, ncap * sizeof *a);
        if (!a) meshP_fatal("out of memory");
        *arr = a;
        *cap = ncap;
    }
    (*arr)[(*n)++] = v;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a & ~(uintptr_t)MESH_PAGES_META, y = *(const uintptr_t *)b & ~(uintptr_t)MESH_PAGES_META;
    return x < y ? -1 : x > y;
}

/* Give the pages of v[0..n) back: one madvise per run of adjacent blocks. */
static void give_back(MeshPagePool *pl, uintptr_t *v, size_t n)
{
    qsort(v, n, sizeof *v, by_address);
    size_t i = 0;
    while (i < n) {
        uintptr_t lo, hi, base = v[i] & ~(uintptr_t)MESH_PAGES_META;
        pl->span(v[i], &lo, &hi);
        size_t j = i + 1;
        while (j < n && (v[j] & ~(uintptr_t)MESH_PAGES_META) == base + pl->block_size) {
            uintptr_t l2, h2;
            pl->span(v[j], &l2, &h2);
            hi = h2;
            base += pl->block_size;
            j++;
        }
        if (madvise((void *)lo, (size_t)(hi - lo), MADV_DONTNEED) != 0) {
            /* a run the kernel refused as one range: block by block */
            for (size_t k = i; k < j; k++) {
                pl->span(v[k], &lo, &hi);
                madvise((void *)lo, (size_t)(hi - lo), MADV_DONTNEED);
            }
        }
        atomic_fetch_add_explicit(&pl->madvise_calls, 1, memory_order_relaxed);
        i = j;
    }
    atomic_fetch_add_explicit(&pl->given_back, n, memory_order_relaxed);
}

/* Under pl->lock, which it releases: give back the oldest dirty blocks while
 * the charge is over budget. */
static void trim_unlock(MeshPagePool *pl)
{
    if (pl->dirty_bytes <= pl->budget) {
        pthread_mutex_unlock(&pl->lock);
        return;
    }
    uintptr_t batch[TRIM_MAX];
    size_t n = 0;
    uint64_t target = pl->budget - pl->budget / 8;
    while (n < TRIM_MAX && n < pl->ndirty && pl->dirty_bytes > target) {
        batch[n] = pl->dirty[n];
        pl->dirty_bytes -= pl->charge(batch[n]);
        n++;
    }
    memmove(pl->dirty, pl->dirty + n, (pl->ndirty - n) * sizeof *pl->dirty);
    pl->ndirty -= n;
    pthread_mutex_unlock(&pl->lock);
    give_back(pl, batch, n);
    pthread_mutex_lock(&pl->lock);
    for (size_t i = 0; i < n; i++) push(&pl->clean, &pl->nclean, &pl->clean_cap, pl->cleaned(batch[i]) | MESH_PAGES_CLEAN);
    pthread_mutex_unlock(&pl->lock);
}

/* Under the lock: one block, dirty ones first (no page fault when touched). */
static uintptr_t take_locked(MeshPagePool *pl)
{
    if (pl->ndirty) {
        uintptr_t v = pl->dirty[--pl->ndirty];
        pl->dirty_bytes -= pl->charge(v);
        return v;
    }
    if (pl->nclean) return pl->clean[--pl->nclean];
    pl->nfresh++;
    return pl->fresh() | MESH_PAGES_CLEAN;
}

static void put_locked(MeshPagePool *pl, uintptr_t v)
{
    if (v & MESH_PAGES_CLEAN) {
        push(&pl->clean, &pl->nclean, &pl->clean_cap, v);
    } else {
        push(&pl->dirty, &pl->ndirty, &pl->dirty_cap, v);
        pl->dirty_bytes += pl->charge(v);
    }
}

uintptr_t meshP_pages_get(MeshPagePool *pl, MeshPageCache *c)
{
    if (c && c->n) return c->v[--c->n];
    pthread_mutex_lock(&pl->lock);
    if (c) {
        /* the cache is empty; the best block (dirty first) goes on top */
        for (int i = MESH_PAGES_CACHE / 2 - 1; i >= 0; i--) c->v[i] = take_locked(pl);
        c->n = MESH_PAGES_CACHE / 2;
        pthread_mutex_unlock(&pl->lock);
        return c->v[--c->n];
    }
    uintptr_t v = take_locked(pl);
    pthread_mutex_unlock(&pl->lock);
    return v;
}

void meshP_pages_put(MeshPagePool *pl, MeshPageCache *c, uintptr_t v)
{
    if (c && c->n < MESH_PAGES_CACHE) {
        c->v[c->n++] = v;
        return;
    }
    pthread_mutex_lock(&pl->lock);
    if (c) {
        /* flush the older half of the cache, keep the recently freed blocks */
        int half = MESH_PAGES_CACHE / 2;
        for (int i = 0; i < half; i++) put_locked(pl, c->v[i]);
        memmove(c->v, c->v + half, (size_t)(c->n - half) * sizeof *c->v);
        c->n -= half;
        c->v[c->n++] = v;
    } else {
        put_locked(pl, v);
    }
    trim_unlock(pl);
}

void meshP_pages_flush(MeshPagePool *pl, MeshPageCache *c)
{
    if (!c->n) return;
    pthread_mutex_lock(&pl->lock);
    for (int i = 0; i < c->n; i++) put_locked(pl, c->v[i]);
    c->n = 0;
    trim_unlock(pl);
}

void meshP_pages_stats(MeshPagePool *pl, MeshPageStats *s)
{
    pthread_mutex_lock(&pl->lock);
    s->ndirty = pl->ndirty;
    s->nclean = pl->nclean;
    s->dirty_bytes = pl->dirty_bytes;
    s->nfresh = pl->nfresh;
    pthread_mutex_unlock(&pl->lock);
    s->madvise_calls = atomic_load_explicit(&pl->madvise_calls, memory_order_relaxed);
    s->given_back = atomic_load_explicit(&pl->given_back, memory_order_relaxed);
}
