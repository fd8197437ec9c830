/*
 * timer.c -- the timer heap (prefix meshP_timers_).
 *
 * A binary min-heap of (deadline, sequence) under a mutex: equal deadlines
 * fire in the order they were added. Each entry records where its owner
 * keeps the entry's heap index (`slot`), so an entry can be cancelled in
 * O(log n) when its owner stops waiting early (a receive that got a
 * message); the slot reads -1 once the entry is gone. `next` mirrors the
 * earliest deadline (INT64_MAX when empty) so the scheduler checks for due
 * timers with one load and no lock.
 */
#include <stdlib.h>

#include "internal.h"

void meshP_timers_init(MeshTimers *t)
{
    pthread_mutex_init(&t->lock, NULL);
    t->h = NULL;
    t->n = t->cap = 0;
    t->seq = 0;
    atomic_init(&t->next, INT64_MAX);
    atomic_init(&t->count, 0);
}

void meshP_timers_destroy(MeshTimers *t)
{
    free(t->h);
    t->h = NULL;
    t->n = t->cap = 0;
    atomic_store(&t->next, INT64_MAX);
    atomic_store(&t->count, 0);
    pthread_mutex_destroy(&t->lock);
}

static int before(const MeshTimerEnt *a, const MeshTimerEnt *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(MeshTimers *t, int64_t i, MeshTimerEnt e)
{
    t->h[i] = e;
    *e.slot = i;
}

static void sift_up(MeshTimers *t, int64_t i)
{
    MeshTimerEnt e = t->h[i];
    while (i > 0) {
        int64_t parent = (i - 1) / 2;
        if (!before(&e, &t->h[parent])) break;
        place(t, i, t->h[parent]);
        i = parent;
    }
    place(t, i, e);
}

static void sift_down(MeshTimers *t, int64_t i)
{
    MeshTimerEnt e = t->h[i];
    for (;;) {
        int64_t c = 2 * i + 1;
        if (c >= t->n) break;
        if (c + 1 < t->n && before(&t->h[c + 1], &t->h[c])) c++;
        if (!before(&t->h[c], &e)) break;
        place(t, i, t->h[c]);
        i = c;
    }
    place(t, i, e);
}

static void publish(MeshTimers *t)
{
    atomic_store_explicit(&t->next, t->n ? t->h[0].deadline : INT64_MAX, memory_order_release);
    atomic_store_explicit(&t->count, t->n, memory_order_release);
}

static void remove_at(MeshTimers *t, int64_t i)
{
    *t->h[i].slot = -1;
    t->n--;
    if (i == t->n) return;
    place(t, i, t->h[t->n]);
    sift_down(t, i);
    sift_up(t, i);   /* a no-op when sift_down moved it */
}

int meshP_timers_add(MeshTimers *t, int64_t deadline, void *item, uint64_t gen, int64_t *slot)
{
    pthread_mutex_lock(&t->lock);
    if (t->n == t->cap) {
        int64_t ncap = t->cap ? t->cap * 2 : 64;
        MeshTimerEnt *nh = realloc(t->h, (size_t)ncap * sizeof *nh);
        if (!nh) meshP_fatal("out of memory");
        t->h = nh;
        t->cap = ncap;
    }
    MeshTimerEnt e = {deadline, t->seq++, item, gen, slot};
    place(t, t->n++, e);
    sift_up(t, t->n - 1);
    int first = *slot == 0;
    publish(t);
    pthread_mutex_unlock(&t->lock);
    return first;
}

void meshP_timers_cancel(MeshTimers *t, int64_t *slot)
{
    pthread_mutex_lock(&t->lock);
    if (*slot >= 0) {
        remove_at(t, *slot);
        publish(t);
    }
    pthread_mutex_unlock(&t->lock);
}

int meshP_timers_expire(MeshTimers *t, int64_t now, MeshTimerEnt *out, int max)
{
    if (atomic_load_explicit(&t->next, memory_order_acquire) > now) return 0;
    int k = 0;
    pthread_mutex_lock(&t->lock);
    while (k < max && t->n && t->h[0].deadline <= now) {
        out[k++] = t->h[0];
        remove_at(t, 0);
    }
    publish(t);
    pthread_mutex_unlock(&t->lock);
    return k;
}
