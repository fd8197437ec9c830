/*
 * poll.c -- the epoll poller (prefix meshP_poll_).
 *
 * One epoll set for the whole program, created on first use, with an
 * eventfd in it (the "kick": whoever needs the worker blocked in epoll_wait
 * to return writes it). A process waiting for an fd registers itself in the
 * fd's record and arms the fd (EPOLLONESHOT), then blocks like a receive
 * (meshP_proc_wait); its worker runs other processes.
 *
 * Records: one per fd number, in a two-level table of pages that are never
 * freed (lookups take no lock, a stale event finds a valid record). A record
 * has two waiter slots, reads (0) and writes (1), so one process may wait to
 * read an fd while another waits to write it; the fd is armed for the union
 * of what its waiters want. An event wakes the waiters it concerns (errors
 * and hang-ups wake both) and re-arms the fd for the others. The epoll data
 * is the fd number: an event that arrives after its waiter left (timeout,
 * kill) or after the fd was closed and its number reused wakes nobody or
 * wakes the new waiter spuriously, which is why callers retry on EAGAIN.
 *
 * Who calls epoll_wait: the worker holding meshP_poll_owner. A worker about
 * to park while fds are waited on or pool jobs run (meshP_io_pending > 0)
 * takes that role and blocks in epoll_wait instead of its futex, with the
 * earliest timer as its timeout when it also owns the timers; busy workers
 * take it for a non-blocking look every 61 scheduling decisions. Events are
 * fetched into one buffer (the role guards it) and dispatched by the same
 * worker once it has left the idle set (see proc.c's design comment).
 *
 * Lock order: a record's lock, then a process's lock (meshP_proc_wake).
 * Waking under the record's lock keeps the process struct alive: the process
 * takes the same lock before it leaves meshP_poll_wait, and proc_free takes
 * it (meshP_poll_proc_ended) before the struct goes.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define REC_BITS 12
#define REC_PAGES 1024                       /* fds below 4M */
#define MAX_EVENTS 256
#define KICK_TAG UINT64_MAX                  /* the eventfd's epoll data */

typedef struct MeshPollRec {
    MeshSpin  lock;
    int       fd;
    int       registered;                    /* in the epoll set (armed or not) */
    MeshProc *who[2];                        /* waiter per direction: 0 reads, 1 writes */
    uint32_t  want[2];
} MeshPollRec;

_Atomic int64_t meshP_io_pending;
_Atomic int meshP_poll_owner = -1;

static int epfd = -1, kickfd = -1, init_errno;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static _Atomic(MeshPollRec *) pages[REC_PAGES];
static struct epoll_event evbuf[MAX_EVENTS];   /* the owner's: fetched, not yet dispatched */
static int nev;
static int have_pwait2 = 1;

static void init(void)
{
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        init_errno = errno;
        return;
    }
    kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = KICK_TAG};
    if (kickfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, kickfd, &ev) != 0) {
        init_errno = errno;
        close(epfd);
        if (kickfd >= 0) close(kickfd);
        epfd = kickfd = -1;
    }
}

int meshP_poll_init(void)
{
    pthread_once(&init_once, init);
    return epfd >= 0;
}

static MeshPollRec *rec_of(int fd, int create)
{
    uint32_t pg = (uint32_t)fd >> REC_BITS;
    if (fd < 0 || pg >= REC_PAGES) return NULL;
    MeshPollRec *page = atomic_load_explicit(&pages[pg], memory_order_acquire);
    if (!page && create) {
        MeshPollRec *np = calloc((size_t)1 << REC_BITS, sizeof *np);
        if (!np) meshP_fatal("out of memory");
        for (int i = 0; i < 1 << REC_BITS; i++) np[i].fd = (int)(pg << REC_BITS) + i;
        MeshPollRec *expected = NULL;
        if (atomic_compare_exchange_strong(&pages[pg], &expected, np)) {
            page = np;
        } else {
            free(np);
            page = expected;
        }
    }
    return page ? &page[fd & ((1 << REC_BITS) - 1)] : NULL;
}

/* Under r's lock: arm r's fd for what its waiters want, or take it out of
 * the set when nobody waits. Returns 0 or -errno. */
static int arm(MeshPollRec *r)
{
    uint32_t want = (r->who[0] ? r->want[0] : 0) | (r->who[1] ? r->want[1] : 0);
    if (!want) {
        if (r->registered) epoll_ctl(epfd, EPOLL_CTL_DEL, r->fd, NULL);   /* maybe closed already */
        r->registered = 0;
        return 0;
    }
    struct epoll_event ev = {.events = want | EPOLLONESHOT, .data.u64 = (uint64_t)r->fd};
    /* `registered` goes stale when the fd is closed (the kernel forgets it): try both */
    int op = r->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(epfd, op, r->fd, &ev) != 0) {
        if (errno != (op == EPOLL_CTL_MOD ? ENOENT : EEXIST)) return -errno;
        op = op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (epoll_ctl(epfd, op, r->fd, &ev) != 0) return -errno;
    }
    r->registered = 1;
    return 0;
}

/* A context that is not a scheduled process (embedding): block the thread. */
static int wait_blocking(int fd, uint32_t events, int64_t timeout_ms)
{
    struct pollfd pfd = {.fd = fd, .events = 0};
    if (events & EPOLLIN) pfd.events |= POLLIN;
    if (events & EPOLLOUT) pfd.events |= POLLOUT;
    if (events & EPOLLPRI) pfd.events |= POLLPRI;
    int ms = timeout_ms < 0 ? -1 : timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms;
    int n;
    while ((n = poll(&pfd, 1, ms)) < 0 && errno == EINTR) {
    }
    if (n < 0) return -errno;
    if (n == 0) return 0;
    if (pfd.revents & POLLNVAL) return -EBADF;
    uint32_t got = 0;
    if (pfd.revents & POLLIN) got |= EPOLLIN;
    if (pfd.revents & POLLOUT) got |= EPOLLOUT;
    if (pfd.revents & POLLPRI) got |= EPOLLPRI;
    if (pfd.revents & POLLERR) got |= EPOLLERR;
    if (pfd.revents & POLLHUP) got |= EPOLLHUP;
    return (int)got;
}

/* Under r's lock: p leaves its slot (if still there) and stops counting. */
static void leave(MeshPollRec *r, MeshProc *p)
{
    int dir = p->poll_dir;
    if (r->who[dir] == p) {
        r->who[dir] = NULL;
        arm(r);
    }
    p->poll_rec = NULL;
    atomic_fetch_sub(&meshP_io_pending, 1);
}

int meshP_poll_wait(MeshCtx *ctx, int fd, uint32_t events, int64_t timeout_ms)
{
    MeshProc *p = ctx->proc;
    events &= EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP;
    if (fd < 0 || !events) return -EINVAL;
    /* no scheduled process (embedding) to switch out, or only a look */
    if (!p->stack_map || !ctx->worker || timeout_ms == 0) return wait_blocking(fd, events, timeout_ms);
    if (!meshP_poll_init()) return -init_errno;
    MeshPollRec *r = rec_of(fd, 1);
    if (!r) return -EMFILE;
    int dir = (events & EPOLLOUT) && !(events & EPOLLIN);
    int64_t deadline = timeout_ms >= 0 ? meshP_now_ns() + timeout_ms * 1000000 : 0;
    meshP_spin_lock(&r->lock);
    if (r->who[dir]) {
        meshP_spin_unlock(&r->lock);
        return -EBUSY;
    }
    r->who[dir] = p;
    r->want[dir] = events;
    int err = arm(r);
    if (err) {
        r->who[dir] = NULL;
        meshP_spin_unlock(&r->lock);
        return err;
    }
    p->poll_rec = r;
    p->poll_dir = dir;
    p->poll_got = 0;
    atomic_fetch_add(&meshP_io_pending, 1);
    meshP_spin_unlock(&r->lock);
    if (atomic_load(&meshP_poll_owner) < 0) meshP_sched_want_poller();
    uint32_t got;
    for (;;) {
        /* a message or a kill also wakes us: every wake-up re-checks */
        meshP_spin_lock(&r->lock);
        got = p->poll_got;
        meshP_spin_unlock(&r->lock);
        if (got || (deadline && meshP_now_ns() >= deadline)) break;
        meshP_proc_wait(p, deadline);
    }
    meshP_spin_lock(&r->lock);
    got = p->poll_got;
    leave(r, p);
    meshP_spin_unlock(&r->lock);
    return (int)got;
}

void meshP_poll_proc_ended(MeshProc *p)
{
    MeshPollRec *r = p->poll_rec;
    if (!r) return;
    meshP_spin_lock(&r->lock);
    leave(r, p);
    meshP_spin_unlock(&r->lock);
}

void meshP_poll_kick(void)
{
    uint64_t one = 1;
    if (kickfd >= 0 && write(kickfd, &one, sizeof one) < 0) {
        /* EAGAIN: the counter is full, a kick is pending anyway */
    }
}

/* epoll_wait until deadline_ns; epoll_pwait2 (Linux 5.11) takes nanoseconds,
 * epoll_wait milliseconds, rounded up so a timer is never found not yet due. */
static int wait_until(int64_t deadline_ns)
{
    if (deadline_ns == 0 || deadline_ns == INT64_MAX)
        return epoll_wait(epfd, evbuf, MAX_EVENTS, deadline_ns ? -1 : 0);
    int64_t d = deadline_ns - meshP_now_ns();
    if (d < 0) d = 0;
    if (have_pwait2) {
        struct timespec ts = {.tv_sec = (time_t)(d / 1000000000), .tv_nsec = (long)(d % 1000000000)};
        long n = syscall(SYS_epoll_pwait2, epfd, evbuf, MAX_EVENTS, &ts, NULL, 0);
        if (n >= 0 || errno != ENOSYS) return (int)n;
        have_pwait2 = 0;
    }
    int64_t ms = (d + 999999) / 1000000;
    return epoll_wait(epfd, evbuf, MAX_EVENTS, ms > INT_MAX ? INT_MAX : (int)ms);
}

void meshP_poll_fetch(int64_t deadline_ns)
{
    if (epfd < 0) return;
    int n = wait_until(deadline_ns);
    nev = n > 0 ? n : 0;                      /* EINTR: a spurious wake-up */
}

void meshP_poll_dispatch(void)
{
    for (int i = 0; i < nev; i++) {
        if (evbuf[i].data.u64 == KICK_TAG) {
            uint64_t v;
            if (read(kickfd, &v, sizeof v) < 0) {
                /* EAGAIN: another fetch drained it */
            }
            continue;
        }
        MeshPollRec *r = rec_of((int)evbuf[i].data.u64, 0);
        if (!r) continue;
        uint32_t ev = evbuf[i].events;
        int woke = 0;
        meshP_spin_lock(&r->lock);
        for (int dir = 0; dir < 2; dir++) {
            MeshProc *p = r->who[dir];
            uint32_t hit = p ? ev & (r->want[dir] | EPOLLERR | EPOLLHUP) : 0;
            if (!hit) continue;
            r->who[dir] = NULL;
            p->poll_got = hit;
            meshP_proc_wake(p);
            woke = 1;
        }
        /* the one-shot registration fired: re-arm for a waiter it did not concern */
        if (r->who[0] || r->who[1] || !woke) arm(r);
        meshP_spin_unlock(&r->lock);
    }
    nev = 0;
    meshP_pool_dispatch();
}
