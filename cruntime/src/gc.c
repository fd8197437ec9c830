/*
 * gc.c -- per-process heaps and the mark-sweep collector (prefix meshP_ /
 * mesh_gc_ / mesh_alloc_).
 *
 * Heap layout
 * -----------
 * Every process owns one MeshHeap: a set of 64 KiB chunks aligned to their
 * size, taken from a global pool, plus one dedicated chunk (a multiple of
 * 64 KiB) per large object, plus its *first region*: MESH_FIRST_BYTES of
 * objects inside the MeshHeap struct itself (so inside MeshProc), with a
 * chunk header and a one-word start bitmap of its own. A new heap's first
 * allocation takes the first region; only when that is full does the heap take
 * a pool chunk. An idle process (a spawned closure and a few small values)
 * therefore owns no chunk: no 4 KiB page with a 1 KiB chunk header for ~100
 * bytes of objects. The first region is a chunk like the others for lookups,
 * marking and sweeping (its granule, or the two it straddles, map to it), is
 * never given back while the heap lives (a sweep that finds it empty makes it
 * a hole), and goes with the struct. A message fragment (actor.c builds one
 * in a process struct without a pid, then detaches its chunks and frees the
 * struct) never takes it.
 *
 * Big heaps (HUGE_FROM bytes of chunks) take their further small chunks from
 * a second pool of 2 MiB mappings advised MADV_HUGEPAGE, and their large
 * objects of 2 MiB and more 2 MiB aligned and advised likewise: a random walk
 * over a big map then misses the TLB once per 2 MiB instead of per 4 KiB
 * (1M-key map and set workloads: ~20-30% less CPU). Small heaps never get
 * those chunks, so processes that use a few KB never hold a huge page.
 *
 * The mutator bump-allocates in the current
 * *region* (ctx->hp .. ctx->hlimit); a region is the free tail of a fresh
 * chunk or a hole left by the last sweep. Memory is zeroed when it becomes a
 * region, so a field not yet written reads as 0.
 *
 * Every chunk is *parseable*: from chunk->start to chunk->top it holds a
 * sequence of objects whose sizes follow from their headers
 * (meshP_obj_size): strings from len, tuples/structs/closures from aux (the
 * slot count), variants from their descriptor, private objects from aux or
 * the size word. Free space is a header with kind 0 and its size in type_id
 * (a zero word is an 8-byte free cell, so zeroed memory parses too).
 *
 * "Is this word a pointer into my heap?" is O(1): the word's 64 KiB granule
 * is looked up in the heap's open-addressing granule map; inside a small
 * chunk the object-start bitmap (rebuilt at the start of every collection by
 * parsing the chunk) finds the enclosing object, so interior pointers work.
 *
 * Collection (stop-the-process, non-moving)
 * ------------------------------------------
 *   1. close the current region (write a free header over its unused tail);
 *   2. parse every small chunk and rebuild its object-start bitmap;
 *   3. roots: spill callee-saved registers with setjmp, then scan the
 *      process's stack conservatively from the current stack pointer to its
 *      base (the coroutine stack), plus host-registered roots;
 *   4. trace precisely through type descriptors (MESH_TYPE_ANY slots and
 *      unknown private kinds are scanned conservatively) with an explicit
 *      mark stack;
 *   5. sweep: coalesce dead objects into free blocks, thread the holes
 *      (>= 16 bytes) into a list reused as bump regions, give wholly free
 *      chunks and dead large objects back to the pool;
 *   6. next collection when the bytes handed out exceed
 *      max(256 KiB, live) -- i.e. the heap may grow to about twice the live
 *      data before collecting again.
 * Static objects (MESH_GC_STATIC, emitted by the compiler) are outside every
 * heap, so the granule lookup rejects them and they are never touched.
 * MESH_GC_STRESS=1 collects at every allocation (every allocation takes the
 * slow path because hlimit is kept equal to hp).
 *
 * A dead process's heap goes back to the pool at once (meshP_heap_free).
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define MESH_NO_ASAN __attribute__((no_sanitize_address))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MESH_NO_ASAN __attribute__((no_sanitize_address))
#endif
#endif
#ifndef MESH_NO_ASAN
#define MESH_NO_ASAN
#endif

#define MIN_THRESHOLD ((uint64_t)256 * 1024)

/* ------------------------------------------------------------ chunk pool */

static void *map_aligned(uint64_t size, uint64_t align)
{
    uint64_t span = size + align;
    uint8_t *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) meshP_fatal("out of memory (mmap of %llu bytes)", (unsigned long long)span);
    uintptr_t a = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
    uint8_t *al = (uint8_t *)a;
    if (al > p) munmap(p, (size_t)(al - p));
    uint8_t *tail = al + size, *pend = p + span;
    if (pend > tail) munmap(tail, (size_t)(pend - tail));
    return al;
}

/* Small chunks come from a pool (pagepool.c). A chunk's item is its address |
 * how many 4 KiB units from its start may be nonzero (chunk->dirty rounded
 * up): only those are zeroed when it is reused, and given back. */
#define UNIT ((uint64_t)4096)
#define CHUNK_BUDGET ((uint64_t)32 << 20)   /* dirty bytes kept in the pool */
#define SLAB_CHUNKS 32                      /* a 2 MiB mapping cut into chunks */

static uint8_t *slab_next, *slab_end;

/* Under the pool lock. */
static uintptr_t fresh_chunk(void)
{
    if (slab_next == slab_end) {
        slab_next = map_aligned(SLAB_CHUNKS * MESH_CHUNK_SIZE, MESH_CHUNK_SIZE);
        slab_end = slab_next + SLAB_CHUNKS * MESH_CHUNK_SIZE;
    }
    uintptr_t v = (uintptr_t)slab_next;
    slab_next += MESH_CHUNK_SIZE;
    return v;
}

static uint64_t chunk_charge(uintptr_t v) { return (v & 0x1F) * UNIT; }

static void chunk_span(uintptr_t v, uintptr_t *lo, uintptr_t *hi)
{
    *lo = v & ~MESH_PAGES_META;
    *hi = *lo + (v & 0x1F) * UNIT;
}

static uintptr_t chunk_cleaned(uintptr_t v) { return v & ~MESH_PAGES_META; }

MeshPagePool meshP_chunk_pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .budget = CHUNK_BUDGET,
    .block_size = MESH_CHUNK_SIZE,
    .fresh = fresh_chunk,
    .charge = chunk_charge,
    .span = chunk_span,
    .cleaned = chunk_cleaned,
};

/* Big heaps take their further small chunks from a second pool whose 2 MiB
 * mappings are advised MADV_HUGEPAGE (transparent huge pages are in `madvise`
 * mode on most systems): a heap of many megabytes walked at random (a big map's
 * trie) then costs one TLB entry per 2 MiB instead of per 4 KiB. Small heaps
 * never get these chunks, so a huge page is never resident for a process that
 * uses a few KB of it. A freed huge chunk is charged its whole size (its huge
 * page stays resident however little of it was written). */
#define HUGE_SPAN ((uint64_t)2 << 20)
#define HUGE_FROM ((uint64_t)8 << 20)      /* chunk bytes from which a heap is big */
#define HUGE_BUDGET ((uint64_t)64 << 20)    /* dirty bytes kept in the huge pool */

static uint8_t *huge_next, *huge_end;

/* Under the huge pool's lock. */
static uintptr_t fresh_huge_chunk(void)
{
    if (huge_next == huge_end) {
        huge_next = map_aligned(HUGE_SPAN, HUGE_SPAN);
        madvise(huge_next, HUGE_SPAN, MADV_HUGEPAGE);   /* a hint: without THP these are ordinary pages */
        huge_end = huge_next + HUGE_SPAN;
    }
    uintptr_t v = (uintptr_t)huge_next;
    huge_next += MESH_CHUNK_SIZE;
    return v;
}

static uint64_t huge_charge(uintptr_t v)
{
    (void)v;
    return MESH_CHUNK_SIZE;
}

static void huge_span(uintptr_t v, uintptr_t *lo, uintptr_t *hi)
{
    *lo = v & ~MESH_PAGES_META;
    *hi = *lo + MESH_CHUNK_SIZE;
}

/* Big heaps are few and take a chunk per 64 KiB allocated: no per-worker cache. */
static MeshPagePool huge_pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .budget = HUGE_BUDGET,
    .block_size = MESH_CHUNK_SIZE,
    .fresh = fresh_huge_chunk,
    .charge = huge_charge,
    .span = huge_span,
    .cleaned = chunk_cleaned,
};

static MeshPageCache *chunk_cache(void)
{
    MeshWorker *w = meshP_worker_self();
    return w ? &w->chunk_cache : NULL;
}

/* A small chunk from the pool (the huge-page one for a big heap); c->dirty
 * says how much of it may be nonzero. */
static MeshChunk *chunk_get(int huge)
{
    uintptr_t v = huge ? meshP_pages_get(&huge_pool, NULL) : meshP_pages_get(&meshP_chunk_pool, chunk_cache());
    MeshChunk *c = (MeshChunk *)(v & ~MESH_PAGES_META);
    if (v & MESH_PAGES_CLEAN) c->dirty = 0;   /* else the header (resident) still says how much was written */
    c->where = huge ? MESH_CHUNK_HUGE : MESH_CHUNK_POOL;
    return c;
}

static void chunk_put(MeshChunk *c)
{
    if (c->where == MESH_CHUNK_FIRST) return;   /* part of its heap */
    if (c->large) {
        munmap(c, c->size);
        return;
    }
    uint64_t units = (c->dirty + UNIT - 1) / UNIT;
    if (units == 0) units = 1;       /* the header was written */
    if (c->where == MESH_CHUNK_HUGE) meshP_pages_put(&huge_pool, NULL, (uintptr_t)c | (uintptr_t)units);
    else meshP_pages_put(&meshP_chunk_pool, chunk_cache(), (uintptr_t)c | (uintptr_t)units);
}

static inline MeshChunk *first_chunk(MeshHeap *h) { return (MeshChunk *)h->first; }

/* The small chunk (or first region) holding address p of heap h. */
static inline MeshChunk *chunk_at(MeshHeap *h, const uint8_t *p)
{
    if ((uintptr_t)p - (uintptr_t)h->first < sizeof h->first) return first_chunk(h);
    return (MeshChunk *)((uintptr_t)p & ~(uintptr_t)(MESH_CHUNK_SIZE - 1));
}

/* Bytes up to `upto` (exclusive) of the small chunk containing upto - 1 were written. */
static inline void note_written(MeshHeap *h, uint8_t *upto)
{
    MeshChunk *c = chunk_at(h, upto - 1);
    uint32_t e = (uint32_t)(upto - (uint8_t *)c);
    if (e > c->dirty) c->dirty = e;
}

/* Bitmap words a small chunk's object-start bitmap needs to cover everything up to its top. */
static inline uint64_t starts_words(MeshChunk *c)
{
    return ((uint64_t)(c->top - (uint8_t *)c) / 8 + 63) / 64;
}

/* ------------------------------------------------------------ granule map */

static uint64_t granule_hash(uintptr_t g)
{
    uint64_t x = (uint64_t)g >> MESH_CHUNK_SHIFT;
    x *= 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
}

static void map_insert_raw(uintptr_t *map, uint64_t cap, uintptr_t g, MeshChunk *c)
{
    uint64_t i = granule_hash(g) & (cap - 1);
    while (map[2 * i] != 0) i = (i + 1) & (cap - 1);
    map[2 * i] = g;
    map[2 * i + 1] = (uintptr_t)c;
}

/* Insert g, reusing the first tombstone on its probe path (g is known to be absent). */
static void map_insert(MeshHeap *h, uintptr_t g, MeshChunk *c)
{
    uint64_t i = granule_hash(g) & (h->map_cap - 1);
    while (h->map[2 * i] > 1) i = (i + 1) & (h->map_cap - 1);
    if (h->map[2 * i] == 1) h->map_tombs--;
    h->map[2 * i] = g;
    h->map[2 * i + 1] = (uintptr_t)c;
    h->map_len++;
}

/* Rebuild the table without tombstones: doubled when live pairs fill half of it, else at the same
 * size. Lookups of absent granules stop only at an empty slot, so tombstones must never fill it. */
static void map_rehash(MeshHeap *h)
{
    uint64_t ncap = h->map_cap ? h->map_cap : MESH_MAP_INLINE;
    if ((h->map_len + 1) * 2 > ncap) ncap *= 2;
    /* the smallest table lives in the heap itself: no malloc/free per process */
    uintptr_t tmp[2 * MESH_MAP_INLINE];
    uintptr_t *nm = tmp;
    if (ncap == MESH_MAP_INLINE) memset(tmp, 0, sizeof tmp);
    else nm = calloc(ncap * 2, sizeof(uintptr_t));
    if (!nm) meshP_fatal("out of memory");
    uint64_t n = 0;
    for (uint64_t i = 0; i < h->map_cap; i++) {
        uintptr_t g = h->map[2 * i];
        if (g > 1) {
            map_insert_raw(nm, ncap, g, (MeshChunk *)h->map[2 * i + 1]);
            n++;
        }
    }
    if (h->map != h->map_inline) free(h->map);
    if (nm == tmp) {
        memcpy(h->map_inline, tmp, sizeof tmp);
        nm = h->map_inline;
    }
    h->map = nm;
    h->map_cap = ncap;
    h->map_len = n;
    h->map_tombs = 0;
}

/* Every granule the chunk touches (the first region, not aligned, may straddle two). */
void meshP_granule_add(MeshHeap *h, MeshChunk *c)
{
    for (uintptr_t g = (uintptr_t)c & ~(uintptr_t)(MESH_CHUNK_SIZE - 1); g < (uintptr_t)c + c->size;
         g += MESH_CHUNK_SIZE) {
        if ((h->map_len + h->map_tombs + 1) * 2 > h->map_cap) map_rehash(h);
        map_insert(h, g, c);
    }
}

MeshChunk *meshP_granule_find(MeshHeap *h, uintptr_t w)
{
    if (!h->map_cap) return NULL;
    uintptr_t g = w & ~(uintptr_t)(MESH_CHUNK_SIZE - 1);
    uint64_t i = granule_hash(g) & (h->map_cap - 1);
    for (;;) {
        uintptr_t k = h->map[2 * i];
        if (k == g) return (MeshChunk *)h->map[2 * i + 1];
        if (k == 0) return NULL;
        i = (i + 1) & (h->map_cap - 1);
    }
}

void meshP_granule_remove(MeshHeap *h, MeshChunk *c)
{
    for (uintptr_t g = (uintptr_t)c & ~(uintptr_t)(MESH_CHUNK_SIZE - 1); g < (uintptr_t)c + c->size;
         g += MESH_CHUNK_SIZE) {
        uint64_t i = granule_hash(g) & (h->map_cap - 1);
        while (h->map[2 * i] != g) i = (i + 1) & (h->map_cap - 1);
        h->map[2 * i] = 1;      /* tombstone */
        h->map[2 * i + 1] = 0;
        h->map_len--;
        h->map_tombs++;         /* dropped at the next rehash (meshP_granule_add) */
    }
}

/* ------------------------------------------------------------ heaps */

void meshP_heap_init(MeshHeap *h)
{
    memset(h, 0, offsetof(MeshHeap, first));   /* the first region is set up when taken */
    h->threshold = MIN_THRESHOLD;
    h->stress = meshP_gc_stress;
}

static void close_region(MeshCtx *ctx, MeshHeap *h);

void meshP_heap_free(MeshCtx *ctx)
{
    MeshHeap *h = &ctx->proc->heap;
    close_region(ctx, h);             /* records how much of the current chunk was written */
    MeshChunk *c, *n;
    for (c = h->chunks; c; c = n) { n = c->next; chunk_put(c); }
    for (c = h->large; c; c = n) { n = c->next; chunk_put(c); }
    if (h->map != h->map_inline) free(h->map);
    memset(h, 0, offsetof(MeshHeap, first));
}

static void write_free(uint8_t *p, uint64_t n)
{
    /* a free cell: kind 0, size in type_id (n <= chunk size) */
    MeshObj *o = (MeshObj *)p;
    o->type_id = (uint32_t)n;
    o->kind = MESH_KIND_NONE;
    o->gc = 0;
    o->aux = 0;
}

uint64_t meshP_obj_size(const MeshObj *o)
{
    switch (o->kind) {
    case MESH_KIND_NONE:
        return o->type_id ? o->type_id : 8;
    case MESH_KIND_STRING:
        /* aux != 0: an append buffer of 2^aux bytes (str.c, mesh_string_append_owned) */
        if (o->aux) return (uint64_t)1 << o->aux;
        return meshP_round8(16 + ((const MeshString *)o)->len + 1);
    case MESH_KIND_TUPLE:
    case MESH_KIND_STRUCT:
        return 8 + 8 * (uint64_t)o->aux;
    case MESH_KIND_CLOSURE:
        return 16 + 8 * (uint64_t)o->aux;
    case MESH_KIND_VARIANT: {
        const MeshType *t = meshP_type(o->type_id);
        uint64_t n = 0;
        if (t && t->variants && o->aux < t->nvariants) n = t->variants[o->aux].nfields;
        return 8 + 8 * n;
    }
    default:
        if (o->aux == MESH_AUX_BIG) return ((const uint64_t *)o)[1];
        return 8 * (uint64_t)o->aux;
    }
}

/* Close the current bump region: its unused tail becomes a free cell. */
static void close_region(MeshCtx *ctx, MeshHeap *h)
{
    if (ctx->hp && h->cur_end && h->cur_end > ctx->hp) {
        write_free(ctx->hp, (uint64_t)(h->cur_end - ctx->hp));
        /* the free cell's header, and the hole link a sweep may write after it */
        note_written(h, h->cur_end - ctx->hp >= 16 ? ctx->hp + 16 : h->cur_end);
    } else if (ctx->hp && h->cur_end) {
        note_written(h, ctx->hp);
    }
    ctx->hp = ctx->hlimit = NULL;
    h->cur_end = NULL;
}

static void set_region(MeshCtx *ctx, MeshHeap *h, uint8_t *p, uint8_t *end, int zeroed)
{
    if (!zeroed) {
        /* a hole: what lies beyond the chunk's written part is still zero */
        MeshChunk *c = chunk_at(h, end - 1);
        uint8_t *written = (uint8_t *)c + c->dirty;
        if (written > end) written = end;
        if (written > p) memset(p, 0, (size_t)(written - p));
    }
    h->handed_out += (uint64_t)(end - p);
    ctx->hp = p;
    h->cur_end = end;
    ctx->hlimit = h->stress ? p : end;
}

static MeshChunk *new_small_chunk(MeshHeap *h)
{
    MeshChunk *c = chunk_get(h->chunk_bytes >= HUGE_FROM);
    /* the header is all that is written; a clean chunk's rest stays untouched (zero) */
    c->parsed = 0;
    c->large = 0;
    c->owner = h;
    c->size = MESH_CHUNK_SIZE;
    c->start = c->top = (uint8_t *)c + sizeof(MeshChunk) + 8 * MESH_CHUNK_STARTS;
    c->end = (uint8_t *)c + MESH_CHUNK_SIZE;
    c->next = h->chunks;
    h->chunks = c;
    h->chunk_bytes += MESH_CHUNK_SIZE;
    meshP_granule_add(h, c);
    return c;
}

static void *alloc_large(MeshHeap *h, uint64_t size)
{
    uint64_t hdr = sizeof(MeshChunk);   /* no start bitmap: the object starts the chunk's data */
    uint64_t total = (hdr + size + MESH_CHUNK_SIZE - 1) & ~(MESH_CHUNK_SIZE - 1);
    MeshChunk *c;
    if (h->chunk_bytes >= HUGE_FROM && total >= HUGE_SPAN) {
        /* a big heap's array of megabytes: on huge pages too */
        c = map_aligned(total, HUGE_SPAN);
        madvise(c, total, MADV_HUGEPAGE);
    } else {
        c = map_aligned(total, MESH_CHUNK_SIZE);
    }
    c->owner = h;
    c->size = total;
    c->large = 1;
    c->where = MESH_CHUNK_POOL;
    c->start = (uint8_t *)c + hdr;
    c->top = c->start + size;
    c->end = (uint8_t *)c + total;
    c->next = h->large;
    h->large = c;
    h->chunk_bytes += total;
    h->handed_out += size;
    meshP_granule_add(h, c);
    return c->start;   /* mmap memory is zero */
}

#define NCLASS 18
static int hole_class(uint64_t n)
{
    int k = 63 - __builtin_clzll(n);
    return k < NCLASS ? k : NCLASS - 1;
}

static void add_hole(MeshHeap *h, uint8_t *p, uint64_t n, uint32_t *pushed)
{
    write_free(p, n);
    if (n < 16) return;
    int k = hole_class(n);
    *(uint8_t **)(p + 8) = h->holes[k];
    h->holes[k] = p;
    pushed[k]++;
}

/* The heap's first region becomes one of its chunks (meshP_heap_init leaves
 * it alone: it is zeroed here, when taken). It stays in the heap until the
 * heap is freed, even when a sweep finds nothing live in it. */
static void take_first(MeshCtx *ctx, MeshHeap *h)
{
    _Static_assert(MESH_FIRST_STARTS * 64 * 8 >= sizeof(((MeshHeap *)0)->first),
                   "the first region's bitmap must cover it");
    MeshChunk *c = first_chunk(h);
    memset(c, 0, sizeof h->first);
    c->owner = h;
    c->where = MESH_CHUNK_FIRST;
    c->size = sizeof h->first;
    c->start = (uint8_t *)c + sizeof(MeshChunk) + 8 * MESH_FIRST_STARTS;
    c->end = c->top = (uint8_t *)c + sizeof h->first;
    c->dirty = (uint32_t)sizeof h->first;   /* a hole in it is always cleared: it is small */
    c->next = h->chunks;
    h->chunks = c;
    h->chunk_bytes += c->size;
    h->first_taken = 1;
    meshP_granule_add(h, c);
    set_region(ctx, h, c->start, c->end, 1);
}

/* Find a region of at least `size` bytes: a hole from the last sweep, the
 * unbumped tail of a chunk, the heap's first region or a new chunk. */
static void refill(MeshCtx *ctx, MeshHeap *h, uint64_t size)
{
    close_region(ctx, h);
    /* Holes are kept in size classes. Walk a few holes of the request's own
     * class, then take the first hole of any larger class (it always fits). */
    int k = hole_class(size);
    uint8_t **pp = &h->holes[k];
    for (int walked = 0; *pp && walked < 8; walked++) {
        uint8_t *hole = *pp;
        uint64_t n = ((MeshObj *)hole)->type_id;
        if (n >= size) {
            *pp = *(uint8_t **)(hole + 8);
            set_region(ctx, h, hole, hole + n, 0);
            return;
        }
        pp = (uint8_t **)(hole + 8);
    }
    for (int j = k + 1; j < NCLASS; j++) {
        uint8_t *hole = h->holes[j];
        if (hole) {
            h->holes[j] = *(uint8_t **)(hole + 8);
            set_region(ctx, h, hole, hole + ((MeshObj *)hole)->type_id, 0);
            return;
        }
    }
    if (!h->first_taken && size <= MESH_FIRST_BYTES && ctx->proc->pid != 0) {
        take_first(ctx, h);
        return;
    }
    MeshChunk *c = new_small_chunk(h);
    /* only the part a previous owner wrote needs zeroing: the rest never left zero */
    uint8_t *written = (uint8_t *)c + c->dirty;
    if (written > c->start) memset(c->start, 0, (size_t)(written - c->start));
    uint32_t hdr = (uint32_t)(c->start - (uint8_t *)c);
    if (c->dirty < hdr) c->dirty = hdr;
    set_region(ctx, h, c->start, c->end, 1);
    c->top = c->end;
}

void *mesh_alloc_slow(MeshCtx *ctx, uint64_t size)
{
    MeshProc *p = ctx->proc;
    MeshHeap *h = &p->heap;
    size = meshP_round8(size ? size : 8);
    if (!h->gc_disabled && (h->stress || h->handed_out > h->threshold)) meshP_gc_collect(p);
    if (size >= MESH_LARGE_OBJECT) return alloc_large(h, size);
    /* the region may still fit (stress mode keeps hlimit == hp) */
    if (!(ctx->hp && h->cur_end && ctx->hp + size <= h->cur_end)) refill(ctx, h, size);
    uint8_t *r = ctx->hp;
    ctx->hp = r + size;
    ctx->hlimit = h->stress ? ctx->hp : h->cur_end;
    return r;
}

MeshObj *mesh_gc_alloc(MeshCtx *ctx, uint64_t size, MeshTypeId type_id, uint32_t kind, uint32_t aux)
{
    size = meshP_round8(size);
    uint8_t *p = ctx->hp;
    if (MESH_UNLIKELY(!p || p + size > ctx->hlimit)) p = mesh_alloc_slow(ctx, size);
    else ctx->hp = p + size;
    MeshObj *o = (MeshObj *)p;
    memset(o, 0, size);
    o->type_id = type_id;
    o->kind = (uint8_t)kind;
    o->gc = 0;
    o->aux = (uint16_t)aux;
    if (MESH_UNLIKELY(kind == MESH_KIND_VARIANT && meshP_obj_size(o) != size))
        meshP_fatal("variant object of type %u, tag %u: %llu bytes allocated but its descriptor says %llu "
                    "(the type id must describe this variant's fields)",
                    type_id, aux, (unsigned long long)size, (unsigned long long)meshP_obj_size(o));
    return o;
}

MeshObj *meshP_alloc_priv(MeshCtx *ctx, uint64_t size, MeshTypeId type_id, uint32_t kind)
{
    size = meshP_round8(size);
    if (size / 8 < MESH_AUX_BIG) return mesh_gc_alloc(ctx, size, type_id, kind, (uint32_t)(size / 8));
    MeshObj *o = mesh_gc_alloc(ctx, size, type_id, kind, MESH_AUX_BIG);
    ((uint64_t *)o)[1] = size;
    return o;
}

/* ------------------------------------------------------------ fragments */

/* Hand over every chunk of a (fragment) heap; the heap is left empty. */
void meshP_heap_detach(MeshCtx *ctx, MeshChunk **chunks, MeshChunk **large)
{
    MeshHeap *h = &ctx->proc->heap;
    if (h->first_taken) meshP_fatal("a process heap cannot be detached (its first region is part of it)");
    close_region(ctx, h);
    *chunks = h->chunks;
    *large = h->large;
    h->chunks = h->large = NULL;
    if (h->map != h->map_inline) free(h->map);
    h->map = NULL;
    h->map_cap = h->map_len = h->map_tombs = 0;
    memset(h->holes, 0, sizeof h->holes);
}

/* Make the chunks of a fragment part of heap h (no copying). */
void meshP_heap_adopt(MeshHeap *h, MeshChunk *chunks, MeshChunk *large)
{
    MeshChunk *n;
    for (MeshChunk *c = chunks; c; c = n) {
        n = c->next;
        c->owner = h;
        c->parsed = 0;
        c->next = h->chunks;
        h->chunks = c;
        h->chunk_bytes += c->size;
        h->handed_out += (uint64_t)(c->top - c->start);
        meshP_granule_add(h, c);
    }
    for (MeshChunk *c = large; c; c = n) {
        n = c->next;
        c->owner = h;
        c->next = h->large;
        h->large = c;
        h->chunk_bytes += c->size;
        h->handed_out += (uint64_t)(c->top - c->start);
        meshP_granule_add(h, c);
    }
}

void meshP_chunks_free(MeshChunk *chunks, MeshChunk *large)
{
    MeshChunk *n;
    for (MeshChunk *c = chunks; c; c = n) { n = c->next; chunk_put(c); }
    for (MeshChunk *c = large; c; c = n) { n = c->next; chunk_put(c); }
}

void mesh_gc_collect(MeshCtx *ctx)
{
    if (!ctx->proc->heap.gc_disabled) meshP_gc_collect(ctx->proc);
}

void meshP_gc_maybe_collect(MeshCtx *ctx)
{
    MeshHeap *h = &ctx->proc->heap;
    if (!h->gc_disabled && h->handed_out > h->threshold) meshP_gc_collect(ctx->proc);
}

/* ------------------------------------------------------------ marking */

typedef struct Gc {
    MeshHeap  *heap;
    uintptr_t  last_gran;     /* one-entry cache of the granule map */
    MeshChunk *last_chunk;
    uintptr_t *stack;
    uint64_t   len, cap;
} Gc;

static inline void set_start(MeshChunk *c, uint8_t *p)
{
    uint64_t i = (uint64_t)(p - (uint8_t *)c) >> 3;
    c->starts[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Find the object containing address w in small chunk c, or NULL. */
static MeshObj *find_start(MeshChunk *c, uintptr_t w)
{
    uint64_t i = (uint64_t)(w - (uintptr_t)c) >> 3;
    int64_t word = (int64_t)(i >> 6);
    uint64_t bits = c->starts[word] & (~(uint64_t)0 >> (63 - (i & 63)));
    while (!bits) {
        if (--word < 0) return NULL;
        bits = c->starts[word];
    }
    uint64_t idx = (uint64_t)word * 64 + (63 - (uint64_t)__builtin_clzll(bits));
    MeshObj *o = (MeshObj *)((uint8_t *)c + idx * 8);
    if (w >= (uintptr_t)o + meshP_obj_size(o)) return NULL;
    return o;
}

static void parse_chunk(MeshChunk *c, uint32_t epoch);

static MeshObj *find_start(MeshChunk *c, uintptr_t w);

int meshP_heap_find_object(MeshHeap *h, uintptr_t w, uintptr_t *obj_out)
{
    MeshChunk *c = meshP_granule_find(h, w);
    if (!c || w < (uintptr_t)c->start || w >= (uintptr_t)c->top) return 0;
    if (c->large) {
        *obj_out = (uintptr_t)c->start;
        return 1;
    }
    parse_chunk(c, h->epoch);       /* objects allocated since the last collection included */
    MeshObj *o = find_start(c, w);
    if (!o) return 0;
    *obj_out = (uintptr_t)o;
    return 1;
}

/* Conservative lookup: any word (interior pointers included). The chunk's
 * object-start bitmap is rebuilt on first use in a collection. */
int meshP_is_heap_ptr(MeshHeap *h, uintptr_t w, uintptr_t *obj_out)
{
    MeshChunk *c = meshP_granule_find(h, w);
    if (!c) return 0;
    if (w < (uintptr_t)c->start || w >= (uintptr_t)c->top) return 0;
    if (c->large) {
        *obj_out = (uintptr_t)c->start;
        return 1;
    }
    if (c->parsed != h->epoch) parse_chunk(c, h->epoch);
    MeshObj *o = find_start(c, w);
    if (!o) return 0;
    *obj_out = (uintptr_t)o;
    return 1;
}

static void gc_push(Gc *g, uintptr_t o)
{
    if (g->len == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 1024;
        g->stack = realloc(g->stack, g->cap * sizeof(uintptr_t));
        if (!g->stack) meshP_fatal("out of memory (mark stack)");
    }
    g->stack[g->len++] = o;
}

static inline void mark_word(Gc *g, uintptr_t w)
{
    uintptr_t o;
    if (w < 4096 || !meshP_is_heap_ptr(g->heap, w, &o)) return;
    MeshObj *obj = (MeshObj *)o;
    if (obj->gc & MESH_GC_MARK) return;
    obj->gc |= MESH_GC_MARK;
    gc_push(g, o);
}

/* Precise pointer (a field of a known pointer type, or a runtime-internal
 * link): it points at an object header, so no start-bitmap lookup. */
static inline void mark_ptr(Gc *g, uintptr_t w)
{
    if (w < 4096 || (w & 7)) return;
    uintptr_t gran = w & ~(uintptr_t)(MESH_CHUNK_SIZE - 1);
    MeshChunk *c;
    if (gran == g->last_gran) {
        c = g->last_chunk;
    } else {
        c = meshP_granule_find(g->heap, w);
        g->last_gran = gran;
        g->last_chunk = c;
    }
    if (!c || w < (uintptr_t)c->start || w >= (uintptr_t)c->top) return;
    MeshObj *obj = (MeshObj *)w;
    if (obj->gc & MESH_GC_MARK) return;
    obj->gc |= MESH_GC_MARK;
    gc_push(g, w);
}

static inline void mark_slot(Gc *g, MeshTypeId t, MeshSlot s)
{
    if (t == MESH_TYPE_ANY) {
        mark_word(g, (uintptr_t)s);
        return;
    }
    const MeshType *d = meshP_type(t);
    if (d && !d->boxed) return;          /* Int, Float, Bool, Unit, Pid */
    if (d) mark_ptr(g, (uintptr_t)s);
    else mark_word(g, (uintptr_t)s);
}

static MeshTypeId field_type(const MeshType *d, uint32_t i)
{
    if (d && d->fields && i < d->nfields) return d->fields[i].type_id;
    return MESH_TYPE_ANY;
}

static void trace(Gc *g, MeshObj *o)
{
    const MeshType *d;
    switch (o->kind) {
    case MESH_KIND_STRING:
    case MESH_KIND_RANGE:
    case MESH_KIND_NONE:
        return;
    case MESH_KIND_TUPLE:
    case MESH_KIND_STRUCT: {
        MeshFields *f = (MeshFields *)o;
        d = meshP_type(o->type_id);
        for (uint32_t i = 0; i < o->aux; i++) mark_slot(g, field_type(d, i), f->slots[i]);
        return;
    }
    case MESH_KIND_CLOSURE: {
        MeshClosure *f = (MeshClosure *)o;
        d = meshP_type(o->type_id);
        for (uint32_t i = 0; i < o->aux; i++) mark_slot(g, field_type(d, i), f->env[i]);
        return;
    }
    case MESH_KIND_VARIANT: {
        MeshFields *f = (MeshFields *)o;
        d = meshP_type(o->type_id);
        if (!d || !d->variants || o->aux >= d->nvariants) return;
        const MeshVariant *v = &d->variants[o->aux];
        for (uint32_t i = 0; i < v->nfields; i++)
            mark_slot(g, v->fields ? v->fields[i].type_id : MESH_TYPE_ANY, f->slots[i]);
        return;
    }
    case MESH_KIND_LIST:
        mark_ptr(g, (uintptr_t)((MeshList *)o)->buf);
        return;
    case MESH_KIND_QUEUE:
        mark_ptr(g, (uintptr_t)((MeshQueue *)o)->items);
        return;
    case MESH_KIND_MAP:
    case MESH_KIND_SET: {
        MeshTable *t = (MeshTable *)o;
        mark_ptr(g, (uintptr_t)t->root);
        mark_ptr(g, (uintptr_t)t->order);
        return;
    }
    case MESH_KIND_INTERNAL:
        switch (o->type_id) {
        case MESH_SUB_LISTBUF: {
            MeshListBuf *b = (MeshListBuf *)o;
            for (int64_t i = b->front; i < b->used; i++) mark_slot(g, b->elem, b->slots[i]);
            return;
        }
        case MESH_SUB_HAMT: {
            MeshTrieNode *n = (MeshTrieNode *)o;
            uint32_t nd = (uint32_t)__builtin_popcountll(n->datamap), nn = (uint32_t)__builtin_popcountll(n->nodemap);
            for (uint32_t i = 0; i < nd; i++) {   /* entries: key, index[, value] */
                mark_slot(g, n->kt, n->s[n->ew * i]);
                if (n->ew > 2) mark_slot(g, n->vt, n->s[n->ew * i + 2]);
            }
            for (uint32_t i = 0; i < nn; i++) mark_ptr(g, (uintptr_t)n->s[n->ew * nd + i]);
            return;
        }
        case MESH_SUB_COLL: {
            MeshTrieColl *c = (MeshTrieColl *)o;
            for (uint32_t i = 0; i < c->n; i++) {
                mark_slot(g, c->kt, c->s[c->ew * i]);
                if (c->ew > 2) mark_slot(g, c->vt, c->s[c->ew * i + 2]);
            }
            return;
        }
        case MESH_SUB_VEC: {
            uint32_t *w = (uint32_t *)(o + 1);   /* live mask, leaf, key type, value type, fill, pad */
            MeshSlot *s = (MeshSlot *)(w + 6);
            for (uint32_t i = 0; i < 32; i++) {
                if (w[1]) {
                    if (w[0] & (1u << i)) {
                        mark_slot(g, w[2], s[2 * i]);
                        mark_slot(g, w[3], s[2 * i + 1]);
                    }
                } else {
                    mark_ptr(g, (uintptr_t)s[i]);
                }
            }
            return;
        }
        case MESH_SUB_BYTES:
            return;
        default:
            break;
        }
        /* fall through: unknown internal object, scan conservatively */
        /* FALLTHROUGH */
    default: {
        uint64_t n = meshP_obj_size(o) / 8;
        uint64_t *w = (uint64_t *)o;
        for (uint64_t i = (o->aux == MESH_AUX_BIG ? 2 : 1); i < n; i++) mark_word(g, (uintptr_t)w[i]);
        return;
    }
    }
}

MESH_NO_ASAN __attribute__((noinline)) static void scan_range(Gc *g, const uint8_t *lo, const uint8_t *hi)
{
    lo = (const uint8_t *)(((uintptr_t)lo + 7) & ~(uintptr_t)7);
    for (const uint8_t *p = lo; p + 8 <= hi; p += 8) {
        uintptr_t w;
        __builtin_memcpy(&w, p, 8);
        mark_word(g, w);
    }
}

/* Scan the process stack from `lo` (an address in the frame of
 * meshP_gc_collect, below everything the mutator can hold) to its base. The
 * collector's own deeper frames are not scanned, so stale pointers left in
 * them by dead frames retain nothing. */
static void scan_stack(Gc *g, MeshProc *p, const uint8_t *lo)
{
    if (p->stack_hi && lo > p->stack_lo && lo < p->stack_hi) scan_range(g, lo, p->stack_hi);
}

/* ------------------------------------------------------------ collect */

static void parse_chunk(MeshChunk *c, uint32_t epoch)
{
    c->parsed = epoch;
    memset(c->starts, 0, 8 * starts_words(c));
    uint8_t *p = c->start;
    while (p < c->top) {
        MeshObj *o = (MeshObj *)p;
        uint64_t n = meshP_obj_size(o);
        if (o->kind != MESH_KIND_NONE) set_start(c, p);
        if (MESH_UNLIKELY(n == 0 || p + n > c->top || o->kind > MESH_KIND_OPAQUE || (o->gc & ~MESH_GC_MARK)))
            meshP_fatal("heap corrupted at %p: kind %u, type %u, aux %u, gc %u (an object whose size does not "
                        "follow from its header? see docs/internals/abi.md)",
                        (void *)p, o->kind, o->type_id, o->aux, o->gc);
        p += n;
    }
}

static void sweep(MeshHeap *h)
{
    uint64_t live = 0;
    memset(h->holes, 0, sizeof h->holes);
    MeshChunk **cp = &h->chunks;
    while (*cp) {
        MeshChunk *c = *cp;
        uint8_t *p = c->start, *free_start = NULL;
        uint64_t chunk_live = 0;
        uint32_t pushed[NCLASS] = {0};
        while (p < c->top) {
            MeshObj *o = (MeshObj *)p;
            uint64_t n = meshP_obj_size(o);
            if (o->kind != MESH_KIND_NONE && (o->gc & MESH_GC_MARK)) {
                o->gc &= (uint8_t)~MESH_GC_MARK;
                chunk_live += n;
                if (free_start) {
                    add_hole(h, free_start, (uint64_t)(p - free_start), pushed);
                    free_start = NULL;
                }
            } else if (!free_start) {
                free_start = p;
            }
            p += n;
        }
        if (chunk_live == 0 && c->where != MESH_CHUNK_FIRST) {
            /* wholly free: drop its holes (at the heads of the lists) and return it */
            for (int k = 0; k < NCLASS; k++)
                while (pushed[k]--) h->holes[k] = *(uint8_t **)(h->holes[k] + 8);
            *cp = c->next;
            meshP_granule_remove(h, c);
            h->chunk_bytes -= c->size;
            chunk_put(c);
            continue;
        }
        if (!free_start && c->top < c->end) free_start = c->top;
        if (free_start) {
            add_hole(h, free_start, (uint64_t)(c->end - free_start), pushed);
            c->top = c->end;
        }
        live += chunk_live;
        cp = &c->next;
    }
    cp = &h->large;
    while (*cp) {
        MeshChunk *c = *cp;
        MeshObj *o = (MeshObj *)c->start;
        if (o->gc & MESH_GC_MARK) {
            o->gc &= (uint8_t)~MESH_GC_MARK;
            live += meshP_obj_size(o);
            cp = &c->next;
        } else {
            *cp = c->next;
            meshP_granule_remove(h, c);
            h->chunk_bytes -= c->size;
            chunk_put(c);
        }
    }
    h->live = live;
}

static void collect(MeshProc *p, const uint8_t *stack_lo);

/* Spill the callee-saved registers into a buffer in this frame (explicitly:
 * setjmp mangles rbp/sp, so a pointer living in rbp would be missed), then
 * collect with the stack scanned from that buffer up. */
__attribute__((noinline)) void meshP_gc_collect(MeshProc *p)
{
    uintptr_t regs[12] = {0};
    __builtin_unwind_init();
#if defined(__x86_64__)
    __asm__ volatile("movq %%rbx, 0(%0)\n\tmovq %%rbp, 8(%0)\n\tmovq %%r12, 16(%0)\n\t"
                     "movq %%r13, 24(%0)\n\tmovq %%r14, 32(%0)\n\tmovq %%r15, 40(%0)"
                     : : "r"(regs) : "memory");
#elif defined(__aarch64__)
    __asm__ volatile("stp x19, x20, [%0, #0]\n\tstp x21, x22, [%0, #16]\n\tstp x23, x24, [%0, #32]\n\t"
                     "stp x25, x26, [%0, #48]\n\tstp x27, x28, [%0, #64]\n\tstr x29, [%0, #80]"
                     : : "r"(regs) : "memory");
#endif
    collect(p, (const uint8_t *)regs);
    __asm__ volatile("" : : "r"(regs) : "memory");   /* keep regs alive and in memory */
}

__attribute__((noinline)) static void collect(MeshProc *p, const uint8_t *stack_lo)
{
    MeshHeap *h = &p->heap;
    MeshCtx *ctx = &p->ctx;
    /* messages senders copied straight into this heap are roots: take them
     * from the incoming queue (senders only append there under its lock) */
    meshP_mailbox_collect(p);
    close_region(ctx, h);
    h->epoch++;
    Gc g = {h, 1, NULL, NULL, 0, 0};
    if (!h->gc_disabled) scan_stack(&g, p, stack_lo);
    for (uint64_t i = 0; i < p->nroots; i++) mark_word(&g, (uintptr_t)p->roots[i]);
    mark_word(&g, (uintptr_t)p->received);
    mark_word(&g, (uintptr_t)p->start);
    mark_word(&g, (uintptr_t)p->terminate);
    for (MeshEnvelope *e = p->mb_head; e; e = e->next)
        if (!e->chunks && !e->large) mark_word(&g, (uintptr_t)e->msg);   /* adopted payloads */
    while (g.len) trace(&g, (MeshObj *)g.stack[--g.len]);
    free(g.stack);
    sweep(h);
    h->collections++;
    if (MESH_UNLIKELY(meshP_gc_trace)) {
        uint64_t free_bytes = 0, nholes = 0;
        for (int k = 0; k < NCLASS; k++)
            for (uint8_t *x = h->holes[k]; x; x = *(uint8_t **)(x + 8)) free_bytes += ((MeshObj *)x)->type_id, nholes++;
        fprintf(stderr, "[gc] pid %lld #%llu: live %llu, heap %llu, free in %llu holes %llu, handed out %llu\n",
                (long long)p->pid, (unsigned long long)h->collections, (unsigned long long)h->live,
                (unsigned long long)h->chunk_bytes, (unsigned long long)nholes, (unsigned long long)free_bytes,
                (unsigned long long)h->handed_out);
    }
    h->handed_out = 0;
    /* the next collection after handing out about the live size again (the
     * heap may grow to ~2x live data plus fragmentation): O(1) amortised
     * collection work per allocated byte */
    h->threshold = h->live > MIN_THRESHOLD ? h->live : MIN_THRESHOLD;
}
