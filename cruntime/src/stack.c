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
 * Freed slots go on a LIFO free list; the most recently freed ones keep
 * their pages (hot, reused without a system call), older ones are given
 * back with madvise(MADV_DONTNEED).
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
#define HOT_MAX 256

static pthread_mutex_t stack_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t *free_slots;     /* slot base | 1 when guarded | 2 when hot */
static size_t nfree, free_cap;
static size_t nhot;
static uint64_t guards_used;
static uint8_t *slab_next, *slab_end;
static uint64_t live_slots;

static void push_free(uintptr_t v)
{
    if (nfree == free_cap) {
        size_t ncap = free_cap ? free_cap * 2 : 1024;
        uintptr_t *n = realloc(free_slots, ncap * sizeof *n);
        if (!n) meshP_fatal("out of memory");
        free_slots = n;
        free_cap = ncap;
    }
    free_slots[nfree++] = v;
}

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

void meshP_stack_alloc(MeshProc *p, uint64_t size)
{
    if (size == MESH_STACK_SLOT) {
        pthread_mutex_lock(&stack_lock);
        uintptr_t v = nfree ? free_slots[--nfree] : new_slot();
        if (v & 2) nhot--;
        live_slots++;
        pthread_mutex_unlock(&stack_lock);
        uint8_t *s = (uint8_t *)(v & ~(uintptr_t)3);
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

void meshP_stack_release(MeshProc *p)
{
    if (!p->stack_map) return;
    if (p->stack_map_size == MESH_STACK_SLOT) {
        uintptr_t v = (uintptr_t)p->stack_map | (p->stack_guarded ? 1u : 0u);
        pthread_mutex_lock(&stack_lock);
        int hot = nhot < HOT_MAX;
        if (hot) nhot++;
        live_slots--;
        pthread_mutex_unlock(&stack_lock);
        if (hot) v |= 2;
        else madvise(p->stack_lo, (size_t)(p->stack_hi - p->stack_lo), MADV_DONTNEED);
        pthread_mutex_lock(&stack_lock);
        push_free(v);
        pthread_mutex_unlock(&stack_lock);
    } else {
        munmap(p->stack_map, p->stack_map_size);
    }
    p->stack_map = NULL;
}
