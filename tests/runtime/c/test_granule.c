/* The heap's granule map (gc.c) under churn: chunks entering and leaving a
 * heap at many distinct addresses, as in a long-running process whose heap
 * grows and shrinks while other processes recycle the pool's chunks. Removed
 * pairs leave tombstones; a lookup of an absent granule stops only at an
 * empty slot, so if tombstones were allowed to fill the table such a lookup
 * (made for every conservatively scanned stack word) would never return. */
#include <sys/mman.h>

#include "../../../cruntime/src/internal.h"
#include "check.h"

#define NCHUNKS 1024    /* distinct chunk addresses */
#define LIVE 12         /* chunks in the heap at once */
#define ROUNDS 200000

static void test_main(MeshCtx *ctx)
{
    (void)ctx;
    size_t span = (size_t)(NCHUNKS + 1) * MESH_CHUNK_SIZE;
    uint8_t *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(m != MAP_FAILED);
    uintptr_t base = ((uintptr_t)m + MESH_CHUNK_SIZE - 1) & ~(uintptr_t)(MESH_CHUNK_SIZE - 1);
    MeshChunk *chunks[NCHUNKS];
    for (int i = 0; i < NCHUNKS; i++) {
        chunks[i] = (MeshChunk *)(base + (uintptr_t)i * MESH_CHUNK_SIZE);
        chunks[i]->size = MESH_CHUNK_SIZE;
    }
    MeshHeap h;
    memset(&h, 0, sizeof h);
    uint64_t seed = 12345;
    int in_heap[NCHUNKS] = {0};
    int ring[LIVE], nlive = 0, head = 0;
    for (int r = 0; r < ROUNDS; r++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int k = (int)((seed >> 33) % NCHUNKS);
        if (in_heap[k]) continue;
        if (nlive == LIVE) {
            int old = ring[head];
            meshP_granule_remove(&h, chunks[old]);
            in_heap[old] = 0;
            ring[head] = k;
            head = (head + 1) % LIVE;
        } else {
            ring[nlive++] = k;
        }
        meshP_granule_add(&h, chunks[k]);
        in_heap[k] = 1;
        /* absent granules (a stack word, another chunk) must be rejected, present ones found */
        CHECK(meshP_granule_find(&h, base - MESH_CHUNK_SIZE + 8) == NULL);
        CHECK(meshP_granule_find(&h, (uintptr_t)chunks[k] + 100) == chunks[k]);
    }
    int found = 0;
    for (int i = 0; i < NCHUNKS; i++) {
        MeshChunk *c = meshP_granule_find(&h, (uintptr_t)chunks[i] + 4096);
        CHECK(c == (in_heap[i] ? chunks[i] : NULL));
        found += c != NULL;
    }
    CHECK_EQ_INT(found, LIVE);
    CHECK(h.map_cap <= 64);     /* rehashed in place, not grown: only LIVE pairs are live */
    free(h.map);
    munmap(m, span);
}
