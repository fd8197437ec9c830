/* The epoll poller and the blocking pool inside the runtime, on real sockets:
 * a thousand processes each blocked on its own socketpair while a plain
 * thread writes to them in random order (every process wakes exactly once,
 * with its own data); timeouts; one fd waited on in both directions; a
 * killed waiter leaves nothing behind; a TCP loopback server accepting and
 * reading connections a plain thread makes; pool jobs on fewer threads than jobs;
 * a job that only finishes once another process has run (with one worker it
 * would deadlock if the job blocked the worker); a process killed while its
 * job runs. Run with MESH_WORKERS=1, 2 and 4. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../../cruntime/src/internal.h"
#include "check.h"

/* Sleep in 1 ms steps until *v == want (the test's timeout catches a hang). */
static void await_value(MeshCtx *ctx, _Atomic int64_t *v, int64_t want)
{
    while (atomic_load(v) != want) mesh_timer_sleep(ctx, 1);
}

/* ------------------------------------------------------------ many waiters */

#define NWAIT 1000

static int pairs[NWAIT][2];
static _Atomic int wakes[NWAIT];

/* env: main, index; waits for its socket, reads its index back, reports index * 2 + ok */
static void reader(MeshCtx *ctx, MeshClosure *self)
{
    int64_t i = (int64_t)self->env[1];
    int fd = pairs[i][0];
    int64_t got = -1;
    for (;;) {
        ssize_t k = read(fd, &got, sizeof got);
        if (k == (ssize_t)sizeof got) break;
        if (k >= 0 || errno != EAGAIN) {
            got = -1;
            break;
        }
        int r = meshP_poll_wait(ctx, fd, EPOLLIN, -1);
        if (r <= 0) break;
        atomic_fetch_add(&wakes[i], 1);
    }
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)(i * 2 + (got == i)));
}

static void *writer(void *arg)
{
    (void)arg;
    int order[NWAIT];
    for (int i = 0; i < NWAIT; i++) order[i] = i;
    uint64_t rng = 88172645463325252ull;
    for (int i = NWAIT - 1; i > 0; i--) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        int j = (int)(rng % (uint64_t)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    /* most readers are blocked by now; the rest find their data when they arm */
    while (atomic_load(&meshP_io_pending) < NWAIT / 2) sched_yield();
    for (int i = 0; i < NWAIT; i++) {
        int64_t v = order[i];
        if (write(pairs[v][1], &v, sizeof v) != (ssize_t)sizeof v) abort();
        if (i % 64 == 0) sched_yield();
    }
    return NULL;
}

static void test_many_waiters(MeshCtx *ctx, MeshSlot me)
{
    for (int i = 0; i < NWAIT; i++)
        CHECK_EQ_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pairs[i]), 0);
    for (int64_t i = 0; i < NWAIT; i++) mesh_actor_spawn(ctx, closure_n(ctx, (void *)reader, 2, (MeshSlot[]){me, (MeshSlot)i}));
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    static int seen[NWAIT];
    int ok = 0;
    for (int k = 0; k < NWAIT; k++) {
        int64_t m = recv_any(ctx);
        ok += (int)(m & 1);
        seen[m >> 1]++;
    }
    pthread_join(t, NULL);
    CHECK_EQ_INT(ok, NWAIT);
    int bad = 0, woke = 0;
    for (int i = 0; i < NWAIT; i++) {
        bad += seen[i] != 1 || atomic_load(&wakes[i]) > 1;
        woke += atomic_load(&wakes[i]);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(woke > NWAIT / 2);                 /* most of them really blocked */
    CHECK_EQ_INT(atomic_load(&meshP_io_pending), 0);
    for (int i = 0; i < NWAIT; i++) {
        close(pairs[i][0]);
        close(pairs[i][1]);
    }
}

/* ------------------------------------------------------------ timeouts, both directions, EBUSY */

#define NTIMEOUT 40

/* env: main, ms, fd: waits on a socket nobody writes; reports 1 when it timed out, not early */
static void timeout_waiter(MeshCtx *ctx, MeshClosure *self)
{
    int64_t ms = (int64_t)self->env[1];
    int64_t deadline = meshP_now_ns() + ms * 1000000;
    int r = meshP_poll_wait(ctx, (int)self->env[2], EPOLLIN, ms);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, r == 0 && meshP_now_ns() >= deadline);
}

/* env: main, fd, events: reports what meshP_poll_wait returned */
static void plain_waiter(MeshCtx *ctx, MeshClosure *self)
{
    int r = meshP_poll_wait(ctx, (int)self->env[1], (uint32_t)self->env[2], -1);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)(int64_t)r);
}

static void test_timeouts_and_directions(MeshCtx *ctx, MeshSlot me)
{
    int s[2];
    CHECK_EQ_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s), 0);
    static int quiet[NTIMEOUT][2];           /* open but never written */
    for (int64_t k = 0; k < NTIMEOUT; k++) {
        CHECK_EQ_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, quiet[k]), 0);
        mesh_actor_spawn(ctx, closure_n(ctx, (void *)timeout_waiter, 3,
                                        (MeshSlot[]){me, (MeshSlot)(1 + k % 7), (MeshSlot)quiet[k][0]}));
    }
    int64_t ok = 0;
    for (int k = 0; k < NTIMEOUT; k++) ok += recv_any(ctx);
    CHECK_EQ_INT(ok, NTIMEOUT);
    CHECK_EQ_INT(atomic_load(&meshP_io_pending), 0);
    for (int k = 0; k < NTIMEOUT; k++) {
        close(quiet[k][0]);
        close(quiet[k][1]);
    }

    /* a reader and a writer on the same fd: the writer's event re-arms the fd for the reader */
    MeshInt rd = mesh_actor_spawn(ctx, closure_n(ctx, (void *)plain_waiter, 3, (MeshSlot[]){me, (MeshSlot)s[0], EPOLLIN}));
    await_value(ctx, &meshP_io_pending, 1);
    /* a second reader of the same fd is refused */
    CHECK_EQ_INT(meshP_poll_wait(ctx, s[0], EPOLLIN, 5), -EBUSY);
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)plain_waiter, 3, (MeshSlot[]){me, (MeshSlot)s[0], EPOLLOUT}));
    CHECK_EQ_INT(recv_any(ctx), EPOLLOUT);       /* the writer: writable at once */
    CHECK_EQ_INT(atomic_load(&meshP_io_pending), 1);   /* the reader still waits */
    char c = 'x';
    CHECK_EQ_INT(write(s[1], &c, 1), 1);
    CHECK_EQ_INT(recv_any(ctx), EPOLLIN);
    (void)rd;
    /* a look (timeout 0) reports readiness at once */
    CHECK(meshP_poll_wait(ctx, s[0], EPOLLIN, 0) & EPOLLIN);
    CHECK_EQ_INT(read(s[0], &c, 1), 1);
    CHECK_EQ_INT(meshP_poll_wait(ctx, s[0], EPOLLIN, 0), 0);
    /* hang-up wakes a reader */
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)plain_waiter, 3, (MeshSlot[]){me, (MeshSlot)s[0], EPOLLIN}));
    await_value(ctx, &meshP_io_pending, 1);
    close(s[1]);
    CHECK(recv_any(ctx) & (EPOLLHUP | EPOLLIN));
    close(s[0]);
    CHECK_EQ_INT(meshP_poll_wait(ctx, -1, EPOLLIN, 5), -EINVAL);
}

/* ------------------------------------------------------------ killed waiter */

static void test_killed_waiter(MeshCtx *ctx, MeshSlot me)
{
    int s[2];
    CHECK_EQ_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s), 0);
    MeshInt victim = mesh_actor_spawn(ctx, closure_n(ctx, (void *)plain_waiter, 3, (MeshSlot[]){me, (MeshSlot)s[0], EPOLLIN}));
    await_value(ctx, &meshP_io_pending, 1);
    meshP_proc_kill(meshP_proc_lookup(victim));
    await_value(ctx, &meshP_io_pending, 0);   /* its end dropped the wait */
    /* the fd's read slot is free again, and data now wakes the new waiter only */
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)plain_waiter, 3, (MeshSlot[]){me, (MeshSlot)s[0], EPOLLIN}));
    await_value(ctx, &meshP_io_pending, 1);
    char c = 'y';
    CHECK_EQ_INT(write(s[1], &c, 1), 1);
    CHECK_EQ_INT(recv_any(ctx), EPOLLIN);
    close(s[0]);
    close(s[1]);
}

/* ------------------------------------------------------------ TCP loopback */

#define NCONN 50

static int listener;
static _Atomic int64_t tcp_port;

/* env: main: accepts NCONN connections (waiting on the listener), reads one
 * value from each (waiting on the connection), reports their sum */
static void tcp_server(MeshCtx *ctx, MeshClosure *self)
{
    int64_t sum = 0;
    for (int k = 0; k < NCONN; k++) {
        int c;
        while ((c = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0 && errno == EAGAIN)
            if (meshP_poll_wait(ctx, listener, EPOLLIN, -1) <= 0) break;
        if (c < 0) break;
        int64_t v;
        ssize_t n;
        while ((n = read(c, &v, sizeof v)) < 0 && errno == EAGAIN)
            if (meshP_poll_wait(ctx, c, EPOLLIN, -1) <= 0) break;
        if (n == (ssize_t)sizeof v) sum += v;
        close(c);
    }
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)sum);
}

static void *tcp_clients(void *arg)
{
    (void)arg;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atomic_load(&tcp_port)),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int64_t k = 1; k <= NCONN; k++) {
        int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) != 0) abort();
        if (k % 2) sched_yield();                /* the server waits for some, finds others ready */
        if (write(c, &k, sizeof k) != (ssize_t)sizeof k) abort();
        close(c);
    }
    return NULL;
}

static void test_tcp(MeshCtx *ctx, MeshSlot me)
{
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    CHECK_EQ_INT(bind(listener, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ_INT(listen(listener, 16), 0);
    CHECK_EQ_INT(getsockname(listener, (struct sockaddr *)&a, &len), 0);
    atomic_store(&tcp_port, ntohs(a.sin_port));
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)tcp_server, 1, &me));
    await_value(ctx, &meshP_io_pending, 1);    /* the server waits on the listener */
    pthread_t t;
    pthread_create(&t, NULL, tcp_clients, NULL);
    CHECK_EQ_INT(recv_any(ctx), NCONN * (NCONN + 1) / 2);
    pthread_join(t, NULL);
    close(listener);
    CHECK_EQ_INT(atomic_load(&meshP_io_pending), 0);
}

/* ------------------------------------------------------------ pool */

#define NJOBS 32
#define POOL_THREADS 4

static _Atomic int running_jobs, max_running;
static _Atomic int64_t gate_open, job_started, drops;

typedef struct Job {
    int64_t in, out;
} Job;

static void doubling_job(void *arg)
{
    Job *j = arg;
    int r = atomic_fetch_add(&running_jobs, 1) + 1;
    int m = atomic_load(&max_running);
    while (r > m && !atomic_compare_exchange_weak(&max_running, &m, r)) {
    }
    struct timespec ts = {0, 3 * 1000000};
    nanosleep(&ts, NULL);
    j->out = j->in * 2;
    atomic_fetch_sub(&running_jobs, 1);
}

/* env: main, n: runs a job on the pool, reports its result */
static void job_runner(MeshCtx *ctx, MeshClosure *self)
{
    Job *j = malloc(sizeof *j);
    j->in = (int64_t)self->env[1];
    j->out = 0;
    meshP_pool_run(ctx, doubling_job, j, free);
    int64_t out = j->out;
    free(j);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)out);
}

/* blocks its pool thread until the gate opens */
static void gated_job(void *arg)
{
    atomic_fetch_add(&job_started, 1);
    while (!atomic_load(&gate_open)) {
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
    ((Job *)arg)->out = 7;
}

static void count_drop(void *arg)
{
    atomic_fetch_add(&drops, 1);
    free(arg);
}

/* env: main: runs a gated job, reports its result */
static void gated_runner(MeshCtx *ctx, MeshClosure *self)
{
    Job *j = calloc(1, sizeof *j);
    meshP_pool_run(ctx, gated_job, j, count_drop);
    int64_t out = j->out;
    free(j);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)out);
}

static void test_pool(MeshCtx *ctx, MeshSlot me)
{
    for (int64_t k = 1; k <= NJOBS; k++) mesh_actor_spawn(ctx, closure_n(ctx, (void *)job_runner, 2, (MeshSlot[]){me, (MeshSlot)k}));
    int64_t sum = 0;
    for (int k = 0; k < NJOBS; k++) sum += recv_any(ctx);
    CHECK_EQ_INT(sum, NJOBS * (NJOBS + 1));
    CHECK(atomic_load(&max_running) <= POOL_THREADS);
    CHECK(atomic_load(&max_running) >= 1);
    CHECK_EQ_INT(atomic_load(&meshP_io_pending), 0);

    /* the job ends only after this (main) process ran again: the worker was not blocked */
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)gated_runner, 1, &me));
    await_value(ctx, &job_started, 1);
    atomic_store(&gate_open, 1);
    CHECK_EQ_INT(recv_any(ctx), 7);
    CHECK_EQ_INT(atomic_load(&drops), 0);

    /* killed while its job runs: the job finishes, is dropped, nothing is resumed */
    atomic_store(&gate_open, 0);
    MeshInt victim = mesh_actor_spawn(ctx, closure_n(ctx, (void *)gated_runner, 1, &me));
    await_value(ctx, &job_started, 2);
    meshP_proc_kill(meshP_proc_lookup(victim));
    await_value(ctx, &meshP_io_pending, 0);
    atomic_store(&gate_open, 1);
    await_value(ctx, &drops, 1);
    /* nothing arrives from the victim */
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    CHECK(!mesh_actor_receive(ctx, any, 20));
}

static void test_main(MeshCtx *ctx)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < 2 * NWAIT + 256 && rl.rlim_max >= 2 * NWAIT + 256) {
        rl.rlim_cur = 2 * NWAIT + 256;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    setenv("MESH_BLOCKING_THREADS", "4", 1);   /* read when the pool starts */
    MeshSlot me = (MeshSlot)mesh_actor_self(ctx);
    test_many_waiters(ctx, me);
    test_timeouts_and_directions(ctx, me);
    test_killed_waiter(ctx, me);
    test_tcp(ctx, me);
    test_pool(ctx, me);
    mesh_io_println(ctx, S("io done"));
}
