/* ThreadSanitizer run of the poller and the blocking pool (poll.c, pool.c)
 * outside the runtime: each "process" is a plain thread whose waits and
 * wake-ups are a condition variable (this file's meshP_proc_wait and
 * meshP_proc_wake), and a poller thread plays the worker that holds
 * meshP_poll_owner. Readers wait on their own socketpair while a writer
 * writes in random order, other threads run pool jobs, some waits time out.
 * Compiled with poll.c, pool.c and deque.c (its spin lock) only. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../../cruntime/src/internal.h"
#include "tsan_stubs.h"

typedef struct Fake {
    MeshProc p;                      /* first: a MeshProc * is a Fake * */
    pthread_mutex_t m;
    pthread_cond_t c;
    int woken;
} Fake;

int64_t meshP_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void meshP_proc_wait(MeshProc *p, int64_t deadline_ns)
{
    Fake *f = (Fake *)p;
    pthread_mutex_lock(&f->m);
    while (!f->woken && (!deadline_ns || meshP_now_ns() < deadline_ns)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&f->c, &f->m, &ts);
    }
    f->woken = 0;
    pthread_mutex_unlock(&f->m);
}

void meshP_proc_wake(MeshProc *p)
{
    Fake *f = (Fake *)p;
    pthread_mutex_lock(&f->m);
    f->woken = 1;
    pthread_cond_signal(&f->c);
    pthread_mutex_unlock(&f->m);
}

void meshP_sched_want_poller(void) {}

static Fake *fake_new(void)
{
    Fake *f = calloc(1, sizeof *f);
    f->p.ctx.proc = &f->p;
    f->p.ctx.worker = (void *)f;     /* "scheduled": poll.c and pool.c switch it out */
    f->p.stack_map = (uint8_t *)f;
    pthread_mutex_init(&f->m, NULL);
    pthread_cond_init(&f->c, NULL);
    return f;
}

#define NREAD 64
#define NJOB 16
#define NTIMEOUT 8

static int pairs[NREAD][2];
static _Atomic int good_reads, good_jobs, good_timeouts, stop;

static void *reader(void *arg)
{
    intptr_t i = (intptr_t)arg;
    Fake *f = fake_new();
    int64_t got = -1;
    for (;;) {
        ssize_t k = read(pairs[i][0], &got, sizeof got);
        if (k == (ssize_t)sizeof got) break;
        if (k >= 0 || errno != EAGAIN || meshP_poll_wait(&f->p.ctx, pairs[i][0], EPOLLIN, -1) <= 0) {
            got = -1;
            break;
        }
    }
    if (got == i) atomic_fetch_add(&good_reads, 1);
    free(f);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    uint64_t rng = 0x2545F4914F6CDD1Dull;
    int order[NREAD];
    for (int i = 0; i < NREAD; i++) order[i] = i;
    for (int i = NREAD - 1; i > 0; i--) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        int j = (int)(rng % (uint64_t)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int i = 0; i < NREAD; i++) {
        int64_t v = order[i];
        if (write(pairs[v][1], &v, sizeof v) != (ssize_t)sizeof v) abort();
        sched_yield();
    }
    return NULL;
}

static void triple(void *arg)
{
    int64_t *v = arg;
    struct timespec ts = {0, 500000};
    nanosleep(&ts, NULL);
    *v *= 3;
}

static void *job_thread(void *arg)
{
    Fake *f = fake_new();
    int64_t *v = malloc(sizeof *v);
    *v = (intptr_t)arg;
    meshP_pool_run(&f->p.ctx, triple, v, free);
    if (*v == 3 * (intptr_t)arg) atomic_fetch_add(&good_jobs, 1);
    free(v);
    free(f);
    return NULL;
}

static void *timeout_thread(void *arg)
{
    (void)arg;
    Fake *f = fake_new();
    int s[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s) != 0) abort();
    if (meshP_poll_wait(&f->p.ctx, s[0], EPOLLIN, 2) == 0) atomic_fetch_add(&good_timeouts, 1);
    close(s[0]);
    close(s[1]);
    free(f);
    return NULL;
}

/* the worker's side: take the poller role, wait a little, dispatch */
static void *poller(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        int none = -1;
        if (!atomic_compare_exchange_strong(&meshP_poll_owner, &none, 0)) continue;
        meshP_poll_fetch(meshP_now_ns() + 2000000);
        meshP_poll_dispatch();
        atomic_store(&meshP_poll_owner, -1);
    }
    return NULL;
}

int main(void)
{
    if (!meshP_poll_init()) return 3;
    for (int i = 0; i < NREAD; i++)
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pairs[i]) != 0) return 3;
    pthread_t pt, wt, rt[NREAD], jt[NJOB], tt[NTIMEOUT];
    pthread_create(&pt, NULL, poller, NULL);
    for (intptr_t i = 0; i < NREAD; i++) pthread_create(&rt[i], NULL, reader, (void *)i);
    for (intptr_t i = 0; i < NJOB; i++) pthread_create(&jt[i], NULL, job_thread, (void *)(i + 1));
    for (int i = 0; i < NTIMEOUT; i++) pthread_create(&tt[i], NULL, timeout_thread, NULL);
    pthread_create(&wt, NULL, writer, NULL);
    pthread_join(wt, NULL);
    for (int i = 0; i < NREAD; i++) pthread_join(rt[i], NULL);
    for (int i = 0; i < NJOB; i++) pthread_join(jt[i], NULL);
    for (int i = 0; i < NTIMEOUT; i++) pthread_join(tt[i], NULL);
    atomic_store(&stop, 1);
    pthread_join(pt, NULL);
    for (int i = 0; i < NREAD; i++) {
        close(pairs[i][0]);
        close(pairs[i][1]);
    }
    printf("reads %d jobs %d timeouts %d pending %lld\n", atomic_load(&good_reads), atomic_load(&good_jobs),
           atomic_load(&good_timeouts), (long long)atomic_load(&meshP_io_pending));
    return 0;
}
