/*
 * deque.c -- the scheduler's run queues (prefixes meshP_deque_, meshP_injector_).
 *
 * MeshDeque is a Chase-Lev work-stealing deque (Chase & Lev 2005, with the
 * C11 memory orders of Le, Pop, Cohen & Zappa Nardelli 2013) of fixed
 * capacity: its owner pushes and pops at the bottom, any thread steals from
 * the top. Fixed capacity keeps the code free of buffer reclamation; a full
 * deque makes the scheduler spill to the injector instead.
 *
 * MeshInjector is the global queue: a mutex-guarded ring, FIFO, unbounded.
 * Its length is readable without the lock, so an empty injector costs one
 * load to check.
 */
#include <stdlib.h>

#include "internal.h"

void meshP_deque_init(MeshDeque *d, int64_t cap)
{
    int64_t c = 1;
    while (c < cap) c <<= 1;
    d->buf = calloc((size_t)c, sizeof *d->buf);
    if (!d->buf) meshP_fatal("out of memory");
    d->mask = c - 1;
    atomic_init(&d->top, 0);
    atomic_init(&d->bottom, 0);
}

void meshP_deque_destroy(MeshDeque *d)
{
    free((void *)d->buf);
    d->buf = NULL;
}

int meshP_deque_push(MeshDeque *d, void *x)
{
    int64_t b = atomic_load_explicit(&d->bottom, memory_order_relaxed);
    int64_t t = atomic_load_explicit(&d->top, memory_order_acquire);
    if (b - t > d->mask) return 0;                 /* full */
    atomic_store_explicit(&d->buf[b & d->mask], x, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
    return 1;
}

void *meshP_deque_pop(MeshDeque *d)
{
    int64_t b = atomic_load_explicit(&d->bottom, memory_order_relaxed) - 1;
    atomic_store_explicit(&d->bottom, b, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst);
    int64_t t = atomic_load_explicit(&d->top, memory_order_relaxed);
    void *x = NULL;
    if (t <= b) {
        x = atomic_load_explicit(&d->buf[b & d->mask], memory_order_relaxed);
        if (t == b) {
            /* the last item: race the thieves for it */
            if (!atomic_compare_exchange_strong_explicit(&d->top, &t, t + 1, memory_order_seq_cst,
                                                         memory_order_relaxed))
                x = NULL;
            atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
        }
    } else {
        atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
    }
    return x;
}

void *meshP_deque_steal(MeshDeque *d)
{
    for (;;) {
        int64_t t = atomic_load_explicit(&d->top, memory_order_acquire);
        atomic_thread_fence(memory_order_seq_cst);
        int64_t b = atomic_load_explicit(&d->bottom, memory_order_acquire);
        if (t >= b) return NULL;
        void *x = atomic_load_explicit(&d->buf[t & d->mask], memory_order_relaxed);
        if (atomic_compare_exchange_strong_explicit(&d->top, &t, t + 1, memory_order_seq_cst, memory_order_relaxed))
            return x;
        /* lost the race to another thief or the owner: try again */
    }
}

int64_t meshP_deque_size(MeshDeque *d)
{
    int64_t b = atomic_load_explicit(&d->bottom, memory_order_relaxed);
    int64_t t = atomic_load_explicit(&d->top, memory_order_relaxed);
    return b > t ? b - t : 0;
}

/* ------------------------------------------------------------ injector */

void meshP_injector_init(MeshInjector *q)
{
    pthread_mutex_init(&q->lock, NULL);
    q->ring = NULL;
    q->cap = q->head = 0;
    atomic_init(&q->len, 0);
}

void meshP_injector_destroy(MeshInjector *q)
{
    free(q->ring);
    q->ring = NULL;
    q->cap = q->head = 0;
    atomic_store(&q->len, 0);
    pthread_mutex_destroy(&q->lock);
}

void meshP_injector_push(MeshInjector *q, void *x)
{
    pthread_mutex_lock(&q->lock);
    int64_t n = atomic_load_explicit(&q->len, memory_order_relaxed);
    if (n == q->cap) {
        int64_t ncap = q->cap ? q->cap * 2 : 256;
        void **r = malloc((size_t)ncap * sizeof *r);
        if (!r) meshP_fatal("out of memory");
        for (int64_t i = 0; i < n; i++) r[i] = q->ring[(q->head + i) & (q->cap - 1)];
        free(q->ring);
        q->ring = r;
        q->cap = ncap;
        q->head = 0;
    }
    q->ring[(q->head + n) & (q->cap - 1)] = x;
    atomic_store_explicit(&q->len, n + 1, memory_order_release);
    pthread_mutex_unlock(&q->lock);
}

void *meshP_injector_pop(MeshInjector *q)
{
    if (atomic_load_explicit(&q->len, memory_order_acquire) == 0) return NULL;
    void *x = NULL;
    pthread_mutex_lock(&q->lock);
    int64_t n = atomic_load_explicit(&q->len, memory_order_relaxed);
    if (n) {
        x = q->ring[q->head];
        q->head = (q->head + 1) & (q->cap - 1);
        atomic_store_explicit(&q->len, n - 1, memory_order_release);
    }
    pthread_mutex_unlock(&q->lock);
    return x;
}

/* ------------------------------------------------------------ spin lock */

void meshP_spin_lock_slow(MeshSpin *l)
{
    for (unsigned n = 0;; n++) {
        while (atomic_load_explicit(&l->v, memory_order_relaxed)) {
            if (n < 64) {
#if defined(__x86_64__)
                __builtin_ia32_pause();
#elif defined(__aarch64__)
                __asm__ volatile("yield");
#endif
                n++;
            } else {
                sched_yield();   /* the holder may be descheduled (more workers than cores) */
            }
        }
        if (!atomic_exchange_explicit(&l->v, 1, memory_order_acquire)) return;
    }
}
