/* The scheduler's pieces under concurrency: the Chase-Lev deque (push, pop
 * and steal racing: every item taken exactly once), the injector, the timer
 * heap (order, cancellation), and whole-runtime rounds of wake-ups across
 * workers (a lost wake-up would hang, a doubled one would crash or
 * miscount). Run with MESH_WORKERS=1, 2 and 4 (oversubscribed). */
#include <pthread.h>

#include "../../../cruntime/src/internal.h"
#include "check.h"

/* ------------------------------------------------------------ deque */

#define NITEMS 200000
#define NTHIEVES 3

static MeshDeque dq;
static _Atomic int taken[NITEMS + 1];
static _Atomic int owner_done;

static void take(void *x)
{
    intptr_t i = (intptr_t)x;
    if (i >= 1 && i <= NITEMS) atomic_fetch_add(&taken[i], 1);
}

static void *thief(void *arg)
{
    (void)arg;
    for (;;) {
        void *x = meshP_deque_steal(&dq);
        if (x) take(x);
        else if (atomic_load(&owner_done)) break;
    }
    return NULL;
}

static void test_deque(void)
{
    meshP_deque_init(&dq, 256);          /* small: pushes find it full */
    pthread_t t[NTHIEVES];
    for (int i = 0; i < NTHIEVES; i++) pthread_create(&t[i], NULL, thief, NULL);
    for (intptr_t i = 1; i <= NITEMS; i++) {
        while (!meshP_deque_push(&dq, (void *)i)) {
            void *x = meshP_deque_pop(&dq);  /* full: the owner works too */
            if (x) take(x);
        }
        if (i % 3 == 0) {
            void *x = meshP_deque_pop(&dq);
            if (x) take(x);
        }
    }
    void *x;
    while ((x = meshP_deque_pop(&dq))) take(x);
    atomic_store(&owner_done, 1);
    for (int i = 0; i < NTHIEVES; i++) pthread_join(t[i], NULL);
    int bad = 0;
    for (int i = 1; i <= NITEMS; i++) bad += atomic_load(&taken[i]) != 1;
    CHECK_EQ_INT(bad, 0);
    CHECK(meshP_deque_pop(&dq) == NULL);
    CHECK(meshP_deque_steal(&dq) == NULL);
    meshP_deque_destroy(&dq);
}

/* ------------------------------------------------------------ injector */

#define INJ_PER 50000
#define INJ_THREADS 3

static MeshInjector inj;
static _Atomic int inj_taken[INJ_PER * INJ_THREADS + 1];
static _Atomic int producers_left = INJ_THREADS;

static void *inj_producer(void *arg)
{
    intptr_t base = (intptr_t)arg * INJ_PER;
    for (intptr_t i = 1; i <= INJ_PER; i++) meshP_injector_push(&inj, (void *)(base + i));
    atomic_fetch_sub(&producers_left, 1);
    return NULL;
}

static void *inj_consumer(void *arg)
{
    (void)arg;
    for (;;) {
        void *x = meshP_injector_pop(&inj);
        if (x) atomic_fetch_add(&inj_taken[(intptr_t)x], 1);
        else if (atomic_load(&producers_left) == 0 && atomic_load(&inj.len) == 0) break;
    }
    return NULL;
}

static void test_injector(void)
{
    meshP_injector_init(&inj);
    pthread_t p[INJ_THREADS], c[INJ_THREADS];
    for (intptr_t i = 0; i < INJ_THREADS; i++) pthread_create(&p[i], NULL, inj_producer, (void *)i);
    for (int i = 0; i < INJ_THREADS; i++) pthread_create(&c[i], NULL, inj_consumer, NULL);
    for (int i = 0; i < INJ_THREADS; i++) pthread_join(p[i], NULL);
    for (int i = 0; i < INJ_THREADS; i++) pthread_join(c[i], NULL);
    int bad = 0;
    for (int i = 1; i <= INJ_PER * INJ_THREADS; i++) bad += atomic_load(&inj_taken[i]) != 1;
    CHECK_EQ_INT(bad, 0);
    CHECK(meshP_injector_pop(&inj) == NULL);
    meshP_injector_destroy(&inj);
}

/* ------------------------------------------------------------ timer heap */

static void test_timer_heap(void)
{
    MeshTimers t;
    meshP_timers_init(&t);
    enum { N = 1000 };
    static int64_t slots[N];
    /* deadlines in a scrambled order, each value twice (ties fire in insertion order) */
    for (int64_t i = 0; i < N; i++) {
        int64_t d = 1000 + (i * 7919) % (N / 2);
        meshP_timers_add(&t, d, (void *)(intptr_t)(i + 1), (uint64_t)i, &slots[i]);
    }
    CHECK_EQ_INT(atomic_load(&t.count), N);
    /* cancel every fifth */
    for (int i = 0; i < N; i += 5) meshP_timers_cancel(&t, &slots[i]);
    for (int i = 0; i < N; i += 5) CHECK_EQ_INT(slots[i], -1);
    /* nothing is due before the earliest deadline */
    MeshTimerEnt out[64];
    CHECK_EQ_INT(meshP_timers_expire(&t, 999, out, 64), 0);
    int64_t last_d = -1, last_seq = -1, fired = 0, early = 0, misorder = 0, cancelled = 0;
    for (int64_t now = 1000; now < 1000 + N; now += 37) {
        int k;
        while ((k = meshP_timers_expire(&t, now, out, 64)) > 0) {
            for (int j = 0; j < k; j++) {
                early += out[j].deadline > now;
                if (out[j].deadline < last_d || (out[j].deadline == last_d && (int64_t)out[j].seq < last_seq))
                    misorder++;
                last_d = out[j].deadline;
                last_seq = (int64_t)out[j].seq;
                cancelled += out[j].gen % 5 == 0;
                CHECK_EQ_INT(*out[j].slot, -1);
                fired++;
            }
        }
    }
    CHECK_EQ_INT(fired, N - N / 5);
    CHECK_EQ_INT(early, 0);
    CHECK_EQ_INT(misorder, 0);
    CHECK_EQ_INT(cancelled, 0);
    CHECK_EQ_INT(atomic_load(&t.next), INT64_MAX);
    meshP_timers_destroy(&t);
}

/* ------------------------------------------------------------ whole runtime */

/* echo: answers n with n + 1 to env[0] until it gets 0 */
static void echo(MeshCtx *ctx, MeshClosure *self)
{
    for (;;) {
        int64_t n = recv_any(ctx);
        if (n <= 0) break;
        mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)(n + 1));
    }
}

/* a short-lived child: sends env[1] * 2 to env[0] */
static void doubler(MeshCtx *ctx, MeshClosure *self)
{
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, self->env[1] * 2);
}

/* sends env[1] strings to env[0], burning some reductions in between */
static void chatter(MeshCtx *ctx, MeshClosure *self)
{
    for (int64_t i = 0; i < (int64_t)self->env[1]; i++) {
        mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_STRING, P(S("hello from a chatter")));
        if (i % 16 == 0) mesh_yield(ctx);
    }
}

/* sleeps env[1] ms, then reports whether it woke before its deadline */
static void sleeper(MeshCtx *ctx, MeshClosure *self)
{
    int64_t ms = (int64_t)self->env[1];
    int64_t deadline = meshP_now_ns() + ms * 1000000;
    mesh_timer_sleep(ctx, ms);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, meshP_now_ns() >= deadline ? 1 : 1000);
}

static void test_main(MeshCtx *ctx)
{
    test_deque();
    test_injector();
    test_timer_heap();
    MeshSlot me = (MeshSlot)mesh_actor_self(ctx);
    /* ping-pong rounds: every round parks and wakes a process */
    MeshInt e = mesh_actor_spawn(ctx, closure_n(ctx, (void *)echo, 1, &me));
    int64_t n = 1;
    for (int i = 0; i < 20000; i++) {
        mesh_actor_send(ctx, e, MESH_TYPE_INT, (MeshSlot)n);
        n = recv_any(ctx) + 1;
    }
    mesh_actor_send(ctx, e, MESH_TYPE_INT, 0);
    CHECK_EQ_INT(n, 40001);
    /* spawn-and-reply rounds, in batches so several run at once */
    int64_t sum = 0;
    for (int r = 0; r < 100; r++) {
        for (int64_t k = 1; k <= 20; k++)
            mesh_actor_spawn(ctx, closure_n(ctx, (void *)doubler, 2, (MeshSlot[]){me, (MeshSlot)k}));
        for (int k = 0; k < 20; k++) sum += recv_any(ctx);
    }
    CHECK_EQ_INT(sum, 100 * 20 * 21);
    /* many senders with boxed payloads into one mailbox while it runs */
    for (int k = 0; k < 8; k++)
        mesh_actor_spawn(ctx, closure_n(ctx, (void *)chatter, 2, (MeshSlot[]){me, 500}));
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    int got = 0;
    for (int k = 0; k < 8 * 500; k++) {
        if (!mesh_actor_receive(ctx, any, -1)) break;
        got += str_is((MeshString *)OBJ(mesh_actor_received(ctx)), "hello from a chatter");
    }
    CHECK_EQ_INT(got, 8 * 500);
    /* timers: none fires early */
    for (int64_t k = 0; k < 40; k++)
        mesh_actor_spawn(ctx, closure_n(ctx, (void *)sleeper, 2, (MeshSlot[]){me, (MeshSlot)(1 + k % 7)}));
    int64_t ok = 0;
    for (int k = 0; k < 40; k++) ok += recv_any(ctx);
    CHECK_EQ_INT(ok, 40);
    mesh_io_println(ctx, S("sched done"));
}

