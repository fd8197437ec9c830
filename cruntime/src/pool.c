/*
 * pool.c -- the blocking thread pool (prefix meshP_pool_).
 *
 * Work that blocks its thread (reading stdin, files, DNS, SQLite) runs on a
 * pool thread while the calling process waits like a receive, so its worker
 * keeps running other processes. Threads start on demand, up to
 * MESH_BLOCKING_THREADS (default 16); a thread idle for 10 seconds exits, an
 * idle thread sleeps on a condition variable (no polling).
 *
 * A finished job goes to the `done` list and the thread kicks the poller
 * (poll.c's eventfd); the worker that dispatches the poller's events hands
 * the job back: it marks the job done and wakes its process under the job's
 * lock. Pool threads never touch a process or the run queues.
 *
 * A job's process may be killed while fn runs: proc_free then marks the job
 * abandoned (meshP_pool_proc_ended) and it stops counting for quiescence;
 * when fn returns, the job is dropped (drop(arg), on the pool thread or at
 * the hand-back) and nothing is resumed. Whoever of the job's end and the
 * process's end comes second frees the job.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"

#define DEFAULT_THREADS 16
#define IDLE_EXIT_NS ((int64_t)10 * 1000000000)

typedef struct MeshPoolJob {
    struct MeshPoolJob *next;
    void (*fn)(void *);
    void *arg;
    void (*drop)(void *);
    MeshProc *proc;
    MeshSpin  lock;                  /* done, abandoned */
    int       done;                  /* handed back: the process may go on */
    int       abandoned;             /* the process ended first */
} MeshPoolJob;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond;
static pthread_once_t cond_once = PTHREAD_ONCE_INIT;
static MeshPoolJob *queue_head, *queue_tail, *done_head;
static int nthreads, nwaiting, nqueued, max_threads;
static _Atomic int64_t ndone;

static void cond_init(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&work_cond, &a);
    pthread_condattr_destroy(&a);
    const char *s = getenv("MESH_BLOCKING_THREADS");
    long n = s && *s ? strtol(s, NULL, 10) : DEFAULT_THREADS;
    max_threads = n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

static void *pool_thread(void *unused)
{
    MESH_UNUSED(unused);
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!queue_head) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += IDLE_EXIT_NS / 1000000000;
            nwaiting++;
            int rc = pthread_cond_timedwait(&work_cond, &lock, &ts);
            nwaiting--;
            if (rc == ETIMEDOUT && !queue_head) {
                nthreads--;
                pthread_mutex_unlock(&lock);
                return NULL;
            }
        }
        MeshPoolJob *j = queue_head;
        queue_head = j->next;
        if (!queue_head) queue_tail = NULL;
        nqueued--;
        pthread_mutex_unlock(&lock);
        j->fn(j->arg);
        meshP_spin_lock(&j->lock);
        if (j->abandoned) {              /* its process is gone: nobody to hand it to */
            meshP_spin_unlock(&j->lock);
            if (j->drop) j->drop(j->arg);
            free(j);
            pthread_mutex_lock(&lock);
            continue;
        }
        meshP_spin_unlock(&j->lock);
        pthread_mutex_lock(&lock);
        j->next = done_head;
        done_head = j;
        atomic_fetch_add(&ndone, 1);
        pthread_mutex_unlock(&lock);
        meshP_poll_kick();               /* after the push: the dispatcher drains the kick first */
        pthread_mutex_lock(&lock);
    }
}

static void submit(MeshPoolJob *j)
{
    pthread_once(&cond_once, cond_init);
    pthread_mutex_lock(&lock);
    j->next = NULL;
    if (queue_tail) queue_tail->next = j;
    else queue_head = j;
    queue_tail = j;
    nqueued++;
    if (nqueued > nwaiting && nthreads < max_threads) {
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        pthread_t t;
        if (pthread_create(&t, &a, pool_thread, NULL) == 0) nthreads++;
        pthread_attr_destroy(&a);
        if (nthreads == 0) meshP_fatal("cannot start a blocking-pool thread");
    }
    pthread_cond_signal(&work_cond);
    pthread_mutex_unlock(&lock);
}

void meshP_pool_run(MeshCtx *ctx, void (*fn)(void *), void *arg, void (*drop)(void *))
{
    MeshProc *p = ctx->proc;
    /* not a scheduled process (embedding), or no eventfd to hear back through: block here */
    if (!p->stack_map || !ctx->worker || !meshP_poll_init()) {
        fn(arg);
        return;
    }
    MeshPoolJob *j = calloc(1, sizeof *j);
    if (!j) meshP_fatal("out of memory");
    j->fn = fn;
    j->arg = arg;
    j->drop = drop;
    j->proc = p;
    p->pool_job = j;
    atomic_fetch_add(&meshP_io_pending, 1);
    submit(j);
    if (atomic_load(&meshP_poll_owner) < 0) meshP_sched_want_poller();
    for (;;) {
        meshP_spin_lock(&j->lock);
        int done = j->done;
        meshP_spin_unlock(&j->lock);
        if (done) break;
        meshP_proc_wait(p, 0);           /* messages wake us too: re-check */
    }
    p->pool_job = NULL;
    free(j);
}

/* A job whose process will never take its result: free what it made, then it. */
static void job_discard(MeshPoolJob *j)
{
    if (j->drop) j->drop(j->arg);
    free(j);
}

static void hand_back(MeshPoolJob *j)
{
    meshP_spin_lock(&j->lock);
    if (j->abandoned) {
        meshP_spin_unlock(&j->lock);
        job_discard(j);
        return;
    }
    j->done = 1;
    meshP_proc_wake(j->proc);            /* under the lock: the process cannot be gone yet */
    meshP_spin_unlock(&j->lock);
    atomic_fetch_sub(&meshP_io_pending, 1);   /* after the wake: quiescence sees a runnable process */
}

void meshP_pool_dispatch(void)
{
    if (!atomic_load(&ndone)) return;
    pthread_mutex_lock(&lock);
    MeshPoolJob *j = done_head;
    done_head = NULL;
    atomic_store(&ndone, 0);
    pthread_mutex_unlock(&lock);
    while (j) {
        MeshPoolJob *next = j->next;
        hand_back(j);
        j = next;
    }
}

void meshP_pool_proc_ended(MeshProc *p)
{
    MeshPoolJob *j = p->pool_job;
    if (!j) return;
    p->pool_job = NULL;
    meshP_spin_lock(&j->lock);
    if (j->done) {
        /* handed back, but the process was killed before it took the result */
        meshP_spin_unlock(&j->lock);
        job_discard(j);
        return;
    }
    j->abandoned = 1;
    meshP_spin_unlock(&j->lock);
    atomic_fetch_sub(&meshP_io_pending, 1);   /* nobody waits for it any more */
}
