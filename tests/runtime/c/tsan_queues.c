/* ThreadSanitizer run of the scheduler's lock-free and locked queues
 * (deque.c, timer.c) outside the runtime: the owner pushes and pops while
 * thieves steal, producers and consumers share the injector, and threads add,
 * cancel and expire timers. Compiled with deque.c and timer.c only
 * (-fsanitize=thread); process switching is not involved. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../../cruntime/src/internal.h"
#include "tsan_stubs.h"

#define N 100000
#define THIEVES 3

static MeshDeque dq;
static _Atomic int taken[N + 1];
static _Atomic int done;
static MeshInjector inj;
static _Atomic int inj_taken[N + 1];
static MeshTimers timers;
static _Atomic int fired;
static pthread_barrier_t cancelled;   /* every user cancels its even timers before anyone expires */

static void *thief(void *arg)
{
    (void)arg;
    for (;;) {
        void *x = meshP_deque_steal(&dq);
        if (x) atomic_fetch_add(&taken[(intptr_t)x], 1);
        else if (atomic_load(&done)) return NULL;
    }
}

static void *consumer(void *arg)
{
    (void)arg;
    for (;;) {
        void *x = meshP_injector_pop(&inj);
        if (x) atomic_fetch_add(&inj_taken[(intptr_t)x], 1);
        else if (atomic_load(&done) == 2 && atomic_load(&inj.len) == 0) return NULL;
    }
}

static void *timer_user(void *arg)
{
    intptr_t base = (intptr_t)arg;
    int64_t *slots = calloc(1000, sizeof *slots);
    for (int64_t i = 0; i < 1000; i++) meshP_timers_add(&timers, base + i % 97, NULL, 0, &slots[i]);
    for (int64_t i = 0; i < 1000; i += 2) meshP_timers_cancel(&timers, &slots[i]);
    pthread_barrier_wait(&cancelled);
    MeshTimerEnt out[16];
    int k;
    while ((k = meshP_timers_expire(&timers, INT64_MAX - 1, out, 16)) > 0) atomic_fetch_add(&fired, k);
    for (int64_t i = 1; i < 1000; i += 2) meshP_timers_cancel(&timers, &slots[i]);   /* already gone: no-ops */
    free(slots);
    return NULL;
}

int main(void)
{
    meshP_deque_init(&dq, 128);
    meshP_injector_init(&inj);
    meshP_timers_init(&timers);
    pthread_barrier_init(&cancelled, NULL, 3);
    pthread_t t[THIEVES], c[2], tu[3];
    for (int i = 0; i < THIEVES; i++) pthread_create(&t[i], NULL, thief, NULL);
    for (int i = 0; i < 2; i++) pthread_create(&c[i], NULL, consumer, NULL);
    for (intptr_t i = 0; i < 3; i++) pthread_create(&tu[i], NULL, timer_user, (void *)(i * 1000));
    for (intptr_t i = 1; i <= N; i++) {
        while (!meshP_deque_push(&dq, (void *)i)) {
            void *x = meshP_deque_pop(&dq);
            if (x) atomic_fetch_add(&taken[(intptr_t)x], 1);
        }
        if (i % 5 == 0) {
            void *x = meshP_deque_pop(&dq);
            if (x) atomic_fetch_add(&taken[(intptr_t)x], 1);
        }
        meshP_injector_push(&inj, (void *)i);
    }
    void *x;
    while ((x = meshP_deque_pop(&dq))) atomic_fetch_add(&taken[(intptr_t)x], 1);
    atomic_store(&done, 1);
    for (int i = 0; i < THIEVES; i++) pthread_join(t[i], NULL);
    atomic_store(&done, 2);
    for (int i = 0; i < 2; i++) pthread_join(c[i], NULL);
    for (int i = 0; i < 3; i++) pthread_join(tu[i], NULL);
    int bad = 0;
    for (int i = 1; i <= N; i++) bad += atomic_load(&taken[i]) != 1 || atomic_load(&inj_taken[i]) != 1;
    int64_t left = atomic_load(&timers.count);
    printf("bad %d fired %d left %lld\n", bad, atomic_load(&fired), (long long)left);
    meshP_deque_destroy(&dq);
    meshP_injector_destroy(&inj);
    meshP_timers_destroy(&timers);
    return bad != 0 || atomic_load(&fired) != 1500 || left != 0;
}
