/*
 * stack.c -- process stacks carved from slabs (prefix meshP_stack_).
 *
 * One mmap per stack would make the kernel's map limit (vm.max_map_count,
 * 65,530 by default) cap the number of live processes. Stacks are instead
 * fixed-size slots of large MAP_NORESERVE reservations (a slab is one
 * mapping): only the pages a process touches cost memory. The lowest
 * MESH_STACK_GUARD bytes of a slot are its guard area. While the guard
 * budget lasts, a slot's guard is made PROT_NONE (each costs the kernel two
 * map entries), so an overflow faults and the fault handler (proc.c) ends
 * only that process; slots beyond the budget keep an unprotected red zone
 * (documented limit).
 *
 * Free slots live in a pool (pagepool.c): a freed slot keeps its pages and is
 * reused without a system call or page fault; beyond a budget of dirty slots
 * the oldest are given back (madvise) in batches, adjacent slots by one call.
 * A slot's item is its base address | 1 when its guard is PROT_NONE.
 *
 * Stacks of any other size (the main process's) are their own mapping.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define SLAB_SLOTS 256
#define GUARD_BUDGET 12000
/* A dirty slot is charged one page (what a process that did not recurse
 * touches); 8192 dirty slots (32 MiB at that charge) are kept: more than a
 * worker spawns in one time slice, so spawn-heavy programs reuse dirty slots
 * only. A spike of deeply recursing processes can leave more pages behind
 * until the slots are reused or trimmed (docs/internals/scheduler.md). */
#define SLOT_CHARGE ((uint64_t)4 << 10)
#define DIRTY_SLOTS 8192

static uint64_t guards_used;
static uint8_t *slab_next, *slab_end;

/* Under the pool lock. */
static uintptr_t new_slot(void)
{
    if (slab_next == slab_end) {
        size_t size = (size_t)SLAB_SLOTS * MESH_STACK_SLOT;
        uint8_t *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) meshP_fatal("cannot reserve process stacks (%llu bytes)", (unsigned long long)size);
        slab_next = m;
        slab_end = m + size;
    }
    uint8_t *s = slab_next;
    slab_next += MESH_STACK_SLOT;
    uintptr_t v = (uintptr_t)s;
    if (guards_used < GUARD_BUDGET && mprotect(s, MESH_STACK_GUARD, PROT_NONE) == 0) {
        guards_used++;
        v |= 1;
    }
    return v;
}

static uint64_t slot_charge(uintptr_t v)
{
    (void)v;
    return SLOT_CHARGE;
}

static void slot_span(uintptr_t v, uintptr_t *lo, uintptr_t *hi)
{
    uintptr_t base = v & ~MESH_PAGES_META;
    *lo = base + MESH_STACK_GUARD;
    *hi = base + MESH_STACK_SLOT;
}

static uintptr_t slot_cleaned(uintptr_t v) { return v & ~MESH_PAGES_CLEAN; }

MeshPagePool meshP_stack_pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .budget = DIRTY_SLOTS * SLOT_CHARGE,
    .block_size = MESH_STACK_SLOT,
    .fresh = new_slot,
    .charge = slot_charge,
    .span = slot_span,
    .cleaned = slot_cleaned,
};

void meshP_stack_alloc(MeshWorker *w, MeshProc *p, uint64_t size)
{
    if (size == MESH_STACK_SLOT) {
        uintptr_t v = meshP_pages_get(&meshP_stack_pool, w ? &w->stack_cache : NULL);
        uint8_t *s = (uint8_t *)(v & ~MESH_PAGES_META);
        p->stack_map = s;
        p->stack_map_size = MESH_STACK_SLOT;
        p->stack_lo = s + MESH_STACK_GUARD;
        p->stack_hi = s + MESH_STACK_SLOT;
        p->stack_guarded = (int)(v & 1);
        return;
    }
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t guard = page < MESH_STACK_GUARD ? MESH_STACK_GUARD : page;
    uint64_t total = size + guard;
    uint8_t *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) meshP_fatal("cannot map a process stack of %llu bytes", (unsigned long long)total);
    if (mprotect(m, guard, PROT_NONE) != 0) meshP_fatal("cannot protect a stack guard page");
    p->stack_map = m;
    p->stack_map_size = total;
    p->stack_lo = m + guard;
    p->stack_hi = m + total;
    p->stack_guarded = 1;
}

void meshP_stack_release(MeshWorker *w, MeshProc *p)
{
    if (!p->stack_map) return;
    if (p->stack_map_size == MESH_STACK_SLOT)
        meshP_pages_put(&meshP_stack_pool, w ? &w->stack_cache : NULL,
                       (uintptr_t)p->stack_map | (p->stack_guarded ? 1u : 0u));
    else
        munmap(p->stack_map, p->stack_map_size);
    p->stack_map = NULL;
}
