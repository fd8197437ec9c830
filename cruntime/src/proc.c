/*
 * proc.c -- processes, the multi-worker scheduler, program entry, yields and
 * panics (prefixes mesh_rt_, mesh_yield, mesh_panic, mesh_embed_, meshP_proc_).
 *
 * Processes
 * ---------
 * A Mesh process (MeshProc) is a coroutine: its own stack (stack.c), its own
 * heap (gc.c) and its MeshCtx, which is the first member of the process so
 * the context compiled code receives is the process itself. Switching is
 * mesh_ctx_switch (switch.S): it saves the callee-saved registers on the old
 * stack and resumes the new one; no signal masks, no ucontext.
 *
 * Workers
 * -------
 * There is one worker (an OS thread with its own stack) per core; MESH_WORKERS=N
 * overrides. The thread calling mesh_rt_main is worker 0, the others are
 * pthreads. A worker runs processes: it switches into one, and the process
 * switches back when it yields (reductions exhausted), blocks or ends, telling
 * why in p->sw_reason. Whatever the process's state becomes is decided by the
 * worker after the switch, on the worker's stack (as Go's park_m does): a
 * process is never visible as runnable while it is still on its own stack, so
 * it can never be resumed twice or by two workers.
 *
 * Runnable processes live in
 *   - the worker's `runnext` slot: a process woken by a message sent from a
 *     process on this worker, or spawned by one, runs next here (ping-pong
 *     stays on one core and in cache; a child runs when its parent blocks,
 *     so `spawn` then `monitor` sees the child alive, as with one worker).
 *     The slot holds one process; a new one pushes the old one to the deque.
 *     Only its worker takes it (never stolen): the worker is running and gets
 *     to it within a slice (blocking calls such as IO.read_line run on the
 *     blocking pool, pool.c, so no process holds its worker). After
 *     RUNNEXT_STREAK consecutive runnext picks the deque goes first once, so
 *     two processes messaging each other cannot starve the others;
 *   - the worker's Chase-Lev deque (deque.c): the worker pushes at the bottom
 *     (spawned, yielded, timer-woken processes) and takes from the top like
 *     the thieves (FIFO: a yielding process goes behind the others: fairness);
 *     a full deque spills to
 *   - the global injector (a locked FIFO), which a worker also looks at every
 *     61 picks so nothing there starves.
 * A worker with nothing to run spins briefly, stealing from the other
 * workers' deques (at most half the busy workers spin at once), then parks.
 *
 * Parking and wake-ups (the protocol; why no wake-up is lost)
 * ------------------------------------------------------------
 * State: `nidle` (workers parked or about to park, with their ids in the idle
 * set under idle_lock), `nspinning` (workers looking for work), and per
 * worker a futex word `token`.
 *   Submitter (made a process runnable): push it; then, if nspinning == 0 and
 *   nidle > 0, take one worker out of the idle set (nidle--) and give it the
 *   token (token = 1; futex wake).
 *   Parker: add itself to the idle set (nidle++), THEN look at every queue
 *   once more (deques, injector, due timers). If it finds work
 *   it takes itself out of the idle set -- or, if a submitter already took it
 *   out, waits for that submitter's token -- and runs it. Otherwise it sleeps
 *   on its token (futex_wait(token, 0): returns at once if the token is
 *   already there).
 *   A spinner decrements nspinning before it parks (and so re-checks after).
 * All these are sequentially consistent atomics, so for a push P and a
 * parker's re-check R either P precedes R (R sees the work) or R precedes P,
 * and then the parker's nidle++ precedes the submitter's load of nidle, which
 * sees a parked worker and wakes one. A submitter that sees nspinning > 0
 * relies on that spinner, whose re-check after its nspinning-- sees the push.
 * A woken worker is out of the idle set before it gets its token, so one token
 * is never given twice and a worker never waits for a token nobody gives.
 *
 * Timers: a global heap (timer.c). Every worker fires due timers before it
 * picks a process (one load when no timer is pending). One parked worker, the
 * timer owner, sleeps only until the earliest deadline (futex timeout); adding
 * an earlier timer wakes it.
 *
 * I/O (poll.c, pool.c): a process waiting for an fd or for a job on the
 * blocking pool is WAITING like a receive and counts in meshP_io_pending.
 * While that count is > 0 a parking worker takes the poller role
 * (meshP_poll_owner, one worker at a time, like the timer owner) and blocks
 * in epoll_wait -- until the earliest timer if it owns the timers -- instead
 * of on its token; busy workers take the role for a non-blocking look every
 * 61 picks (and a process yields to its worker while I/O is pending), so
 * ready I/O is not starved by busy processes. A process that starts waiting
 * when nobody holds the role wakes a parked worker, which parks again as the
 * poller. Pool threads never touch processes or run queues: a finished job
 * goes to the pool's done list, then the thread writes the eventfd (the kick).
 * Why no I/O wake-up is lost:
 *   - an fd armed (EPOLLONESHOT) before or during an epoll_wait is reported
 *     by it or by the next one (the kernel keeps a ready fd on the ready
 *     list until some epoll_wait takes it), and the eventfd stays readable
 *     until a dispatcher reads it -- which it does before it takes the done
 *     list, so a job pushed before its kick is always found;
 *   - the poller's token: give_token stores the token, then kicks the
 *     eventfd if the worker holds the poller role; the poller takes the role,
 *     then looks at its token before epoll_wait. Sequentially consistent: one
 *     of the two sees the other, so a woken poller never sleeps on;
 *   - a dispatcher wakes processes only after it has left the idle set and
 *     published its epoch (the structs stay valid, see QSBR below), and
 *     wakes each under the record's or job's lock, which the process takes
 *     before it goes on and proc_free takes before the struct goes;
 *   - nothing is ever pushed, and no count drops, by a worker inside the
 *     idle set: fds are dispatched, timers fired and counts decremented only
 *     by workers outside it (the poller leaves it before dispatching), and a
 *     count drops only after the process it concerns is runnable.
 * A process killed while it waits for an fd leaves its record in proc_free;
 * one killed while its job runs abandons the job (it stops counting, and is
 * dropped when it ends).
 *
 * Program end: main is a process like the others. When the last worker parks
 * (every worker in the idle set, after its re-check found nothing) and no
 * timer, fd wait or pool job is pending -- decided under the idle lock, so no
 * worker leaves the idle set meanwhile -- nothing can ever run again: the
 * program ends (mesh_rt_main returns main's exit status). If main panics, the
 * program ends at once.
 *
 * Processes and their lifetime across workers
 * -------------------------------------------
 * A process's state changes under its lock (p->lock), except RUNNABLE ->
 * RUNNING, a CAS by the worker that picked it:
 *   NEW -> RUNNABLE                     meshP_proc_ready, once set up
 *   RUNNABLE -> RUNNING                 a worker picked it
 *   RUNNING -> RUNNABLE                 it yielded
 *   RUNNING -> WAITING                  it blocked, nothing arrived meanwhile
 *   RUNNING -> RUNNABLE                 it blocked, but a message, timer or
 *                                       kill arrived (wake_pending) meanwhile
 *   WAITING -> RUNNABLE                 a wake (message, timer, kill)
 *   RUNNABLE -> COPYING -> RUNNABLE     a sender copies a message into its heap
 *   RUNNING -> WAITING | RUNNABLE       it hibernated (below): as a block, and
 *                                       its stack is taken back first
 *   RUNNING -> DONE                     it ended
 * A wake of a RUNNING process sets wake_pending; the worker's decision after
 * the process blocked reads it (and the incoming queue) under the same lock,
 * so a wake is never lost, and a WAITING -> RUNNABLE transition happens once
 * under the lock, so a wake is never doubled. Every wait is in a loop that
 * re-checks its condition, so a spurious wake-up is harmless.
 *
 * Process structs are type-stable: a pointer from meshP_proc_lookup stays a
 * MeshProc (maybe ended) until the caller's worker next passes a quiescent
 * point (picking its next process). Ended structs wait on their worker's
 * dead list until every worker has passed a quiescent point since (an epoch
 * counter; QSBR): only then are they reused or freed. Pids are never reused;
 * the pid table is a two-level array of atomic pointers (lookups take no lock).
 *
 * Stacks and hibernation: a process gets a stack (stack.c) when a worker first
 * switches into it, so spawned processes waiting for their first turn hold
 * none. An actor that blocks in the receive its function starts with, with
 * nothing below it on the stack, hibernates (meshP_proc_hibernate): its
 * restart closure becomes p->start and its worker takes the stack back; on
 * its next turn it gets a fresh one and proc_boot runs the restart closure.
 * docs/internals/scheduler.md says when and why that is the same as waiting.
 *
 * Panics: the process trampoline establishes a setjmp target; mesh_panic
 * prints the message and longjmps there, unwinding no frames (compiled code
 * needs no exception tables). The process is then dead with exit status 1.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "internal.h"

#ifdef MESH_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

void mesh_ctx_switch(void **save_sp, void *new_sp);
void meshP_io_flush_all(void);
void meshP_io_flush_try(void);

#define MESH_REDUCTIONS 4000
#define MAIN_STACK_SIZE ((uint64_t)256 << 20)   /* reserved, committed lazily */
#define PROC_STACK_SIZE MESH_STACK_SLOT
#define DEQUE_CAP 4096
#define RUNNEXT_STREAK 64
#define MAX_WORKERS 256
#define DEAD_KEEP 4096                          /* ended structs ready for reuse per worker */

enum { SW_NONE, SW_YIELD, SW_WAIT, SW_HIBERNATE, SW_DONE };

int meshP_gc_stress;
int meshP_gc_trace;

static MeshWorker *workers;
static int nworkers;
static MeshProc *the_main;            /* the program's main process */
static MeshInjector injector;
static MeshTimers timers;
static _Atomic int nspinning, nidle;
static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;
static int idle_ids[MAX_WORKERS];
static int nidle_ids;
static _Atomic int shutting_down;
static _Atomic int timer_owner = -1;
static _Atomic uint64_t epoch = 1;
static int sched_active;              /* workers exist: ended structs need a grace period */
static int64_t hibernate_above = 64;  /* MESH_HIBERNATE: hibernate while more stacks are held */
/* initial-exec: programs link the runtime statically, so no __tls_get_addr (and no NEEDED
 * ld-linux.so) is needed; the cffi module's 8 bytes fit the loader's static TLS surplus. */
static _Thread_local MeshWorker *tl_worker __attribute__((tls_model("initial-exec")));

/* The calling thread's worker (NULL outside workers). Never inlined or
 * analysed, so no caller can keep a thread-local address across a context
 * switch that moved it to another thread. */
__attribute__((noinline, noipa)) static MeshWorker *cur_worker(void) { return tl_worker; }

MeshWorker *meshP_worker_self(void) { return sched_active ? cur_worker() : NULL; }

/* ------------------------------------------------------------ pid table */

#define TBL_BITS 16
#define TBL_PAGES ((int64_t)1 << 16)
typedef _Atomic(MeshProc *) ProcSlot;
static _Atomic(ProcSlot *) tbl[TBL_PAGES];
static _Atomic int64_t next_pid = 1;

static ProcSlot *tbl_page(int64_t pid, int create)
{
    uint64_t pg = (uint64_t)pid >> TBL_BITS;
    if (pg >= (uint64_t)TBL_PAGES) {
        if (create) meshP_fatal("too many processes");
        return NULL;
    }
    ProcSlot *page = atomic_load_explicit(&tbl[pg], memory_order_acquire);
    if (!page && create) {
        ProcSlot *np = calloc((size_t)1 << TBL_BITS, sizeof *np);
        if (!np) meshP_fatal("out of memory");
        ProcSlot *expected = NULL;
        if (atomic_compare_exchange_strong(&tbl[pg], &expected, np)) {
            page = np;
        } else {
            free(np);
            page = expected;
        }
    }
    return page;
}

static void table_set(int64_t pid, MeshProc *p)
{
    atomic_store_explicit(&tbl_page(pid, 1)[pid & (((int64_t)1 << TBL_BITS) - 1)], p, memory_order_release);
}

MeshProc *meshP_proc_lookup(int64_t pid)
{
    if (pid <= 0) return NULL;
    ProcSlot *page = tbl_page(pid, 0);
    return page ? atomic_load_explicit(&page[pid & (((int64_t)1 << TBL_BITS) - 1)], memory_order_acquire) : NULL;
}

int64_t meshP_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

__attribute__((noinline)) uint8_t *meshP_stack_pointer(void)
{
    return (uint8_t *)__builtin_frame_address(0);
}

/* ------------------------------------------------------------ fatal errors */

void meshP_fatal(const char *fmt, ...)
{
    meshP_io_flush_all();
    va_list ap;
    va_start(ap, fmt);
    fputs("mesh runtime: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* ------------------------------------------------------------ futex, idle set */

static void futex_wait(_Atomic uint32_t *word, uint32_t val, int64_t deadline_ns)
{
    struct timespec ts, *tp = NULL;
    if (deadline_ns != INT64_MAX) {
        int64_t d = deadline_ns - meshP_now_ns();
        if (d <= 0) return;
        ts.tv_sec = (time_t)(d / 1000000000);
        ts.tv_nsec = (long)(d % 1000000000);
        tp = &ts;
    }
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, val, tp, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word)
{
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void idle_add(MeshWorker *w)
{
    pthread_mutex_lock(&idle_lock);
    idle_ids[nidle_ids++] = w->id;
    atomic_fetch_add(&nidle, 1);
    pthread_mutex_unlock(&idle_lock);
}

/* Take w out of the idle set; 0 when a submitter already did. */
static int idle_remove(MeshWorker *w)
{
    int found = 0;
    pthread_mutex_lock(&idle_lock);
    for (int i = 0; i < nidle_ids; i++)
        if (idle_ids[i] == w->id) {
            idle_ids[i] = idle_ids[--nidle_ids];
            atomic_fetch_sub(&nidle, 1);
            found = 1;
            break;
        }
    pthread_mutex_unlock(&idle_lock);
    return found;
}

static void give_token(MeshWorker *w)
{
    atomic_store(&w->token, 1);
    /* the poller sleeps in epoll_wait, not on its token: kick it (it looks at
     * its token after taking the poller role, we look at the role after
     * giving the token: one of us sees the other) */
    if (atomic_load(&meshP_poll_owner) == w->id) meshP_poll_kick();
    futex_wake(&w->token);
}

/* Wake one parked worker; 0 when none is parked. */
static int wake_one(void)
{
    pthread_mutex_lock(&idle_lock);
    if (nidle_ids == 0) {
        pthread_mutex_unlock(&idle_lock);
        return 0;
    }
    int id = idle_ids[--nidle_ids];
    atomic_fetch_sub(&nidle, 1);
    pthread_mutex_unlock(&idle_lock);
    give_token(&workers[id]);
    return 1;
}

static void wake_worker(MeshWorker *w)
{
    if (idle_remove(w)) give_token(w);
}

static inline void wake_if_idle(void)
{
    if (nworkers == 1) return;
    /* the push before must be visible before we look at the parkers (a
     * parker announces itself, then looks at the queues): store-load order */
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&nspinning, memory_order_relaxed) == 0 &&
        atomic_load_explicit(&nidle, memory_order_relaxed) > 0)
        wake_one();
}

/* ------------------------------------------------------------ process structs (QSBR) */

static uint64_t min_seen(void)
{
    uint64_t m = UINT64_MAX;
    for (int i = 0; i < nworkers; i++) {
        uint64_t s = atomic_load(&workers[i].seen);
        if (s < m) m = s;
    }
    return m;
}

/* A worker's ended structs wait on its `dead` FIFO until their grace period
 * has passed (every worker has been seen at a quiescent point since), then
 * move to its `ready` stack, from which spawns take the most recently ended
 * one: its lines are likely still in cache (taking the oldest, a few MB of
 * structs ago, cost a cache miss per spawn). Grace periods are short (a
 * worker passes a quiescent point at every pick), so `dead` stays short. */
static void dead_settle(MeshWorker *w)
{
    MeshProc *p;
    while ((p = w->dead_head) != NULL) {
        if (p->free_epoch > w->min_seen) w->min_seen = min_seen();
        if (p->free_epoch > w->min_seen) return;
        w->dead_head = p->next;
        if (!w->dead_head) w->dead_tail = NULL;
        w->ndead--;
        p->next = w->ready;
        w->ready = p;
        w->nready++;
    }
}

static MeshProc *ready_take(MeshWorker *w)
{
    MeshProc *p = w->ready;
    if (!p) return NULL;
    w->ready = p->next;
    w->nready--;
    return p;
}

/* Structs past their grace period move between workers through a global
 * spare list, a batch at a time: with several workers, processes spawned on
 * one worker often end on another. */
#define SPARE_BATCH 32
#define SPARE_MAX 16384
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static MeshProc *spare;
static _Atomic int64_t nspare;

static MeshProc *proc_struct_alloc(void)
{
    MeshWorker *w = sched_active ? cur_worker() : NULL;
    MeshProc *p = NULL;
    if (w) {
        dead_settle(w);
        p = ready_take(w);
    }
    if (!p && w && atomic_load_explicit(&nspare, memory_order_relaxed)) {
        /* past their grace period already: straight onto the ready stack */
        pthread_mutex_lock(&spare_lock);
        for (int i = 0; i < SPARE_BATCH && spare; i++) {
            MeshProc *q = spare;
            spare = q->next;
            atomic_fetch_sub_explicit(&nspare, 1, memory_order_relaxed);
            q->next = w->ready;
            w->ready = q;
            w->nready++;
        }
        pthread_mutex_unlock(&spare_lock);
        p = ready_take(w);
    }
    if (p) {
        /* all but the heap's first region, which take_first (gc.c) clears when it is used */
        size_t first = offsetof(MeshProc, heap) + offsetof(MeshHeap, first);
        size_t after = offsetof(MeshProc, heap) + sizeof(MeshHeap);
        memset((void *)p, 0, first);
        memset((char *)p + after, 0, sizeof *p - after);
        return p;
    }
    p = calloc(1, sizeof *p);
    if (!p) meshP_fatal("out of memory");
    return p;
}

static void proc_struct_free(MeshProc *p)
{
    MeshWorker *w = sched_active ? cur_worker() : NULL;
    if (!w) {
        free(p);
        return;
    }
    p->free_epoch = atomic_fetch_add(&epoch, 1) + 1;
    p->next = NULL;
    if (w->dead_tail) w->dead_tail->next = p;
    else w->dead_head = p;
    w->dead_tail = p;
    w->ndead++;
    dead_settle(w);                     /* a worker that ends more processes than it starts */
    if (w->nready < DEAD_KEEP + SPARE_BATCH) return;
    /* too many kept: a batch from the ready stack to the spare list (freed beyond SPARE_MAX) */
    MeshProc *batch = NULL;
    int n = 0;
    while (n < SPARE_BATCH) {
        MeshProc *q = ready_take(w);
        if (!q) break;
        q->next = batch;
        batch = q;
        n++;
    }
    if (atomic_load_explicit(&nspare, memory_order_relaxed) < SPARE_MAX) {
        pthread_mutex_lock(&spare_lock);
        for (MeshProc *q = batch, *nx; q; q = nx) {
            nx = q->next;
            q->next = spare;
            spare = q;
        }
        atomic_fetch_add_explicit(&nspare, n, memory_order_relaxed);
        pthread_mutex_unlock(&spare_lock);
    } else {
        for (MeshProc *q = batch, *nx; q; q = nx) {
            nx = q->next;
            free(q);
        }
    }
}

static void dead_free_all(MeshWorker *w)
{
    MeshProc *n;
    for (MeshProc *p = w->dead_head; p; p = n) {
        n = p->next;
        free(p);
    }
    w->dead_head = w->dead_tail = NULL;
    w->ndead = 0;
    for (MeshProc *p = w->ready; p; p = n) {
        n = p->next;
        free(p);
    }
    w->ready = NULL;
    w->nready = 0;
}

static void spare_free_all(void)
{
    pthread_mutex_lock(&spare_lock);
    for (MeshProc *p = spare, *n; p; p = n) {
        n = p->next;
        free(p);
    }
    spare = NULL;
    atomic_store(&nspare, 0);
    pthread_mutex_unlock(&spare_lock);
}

/* ------------------------------------------------------------ stacks */

static void proc_boot(void);

/* Prepare a fresh stack so that mesh_ctx_switch "returns" into proc_boot. */
static void *stack_init(uint8_t *top)
{
    uintptr_t t = (uintptr_t)top & ~(uintptr_t)15;
#if defined(__x86_64__)
    uint64_t *sp = (uint64_t *)t;
    *--sp = 0;                          /* fake return address of proc_boot */
    *--sp = (uint64_t)(uintptr_t)proc_boot;
    for (int i = 0; i < 6; i++) *--sp = 0;   /* rbp rbx r12 r13 r14 r15 */
    *--sp = 0x037F00001F80ull;          /* mxcsr (low 32 bits), x87 control word */
    return sp;
#elif defined(__aarch64__)
    uint64_t *sp = (uint64_t *)(t - 176);
    memset(sp, 0, 176);
    sp[11] = (uint64_t)(uintptr_t)proc_boot;   /* x30 */
    return sp;
#else
#error "unsupported architecture"
#endif
}

/* A stack for p, which has none: a spawned process gets its stack when it
 * first runs and a hibernated one when it runs again, so processes that wait
 * for their first turn or for a message hold no stack. */
static void proc_stack_give(MeshWorker *w, MeshProc *p, uint64_t size)
{
    meshP_stack_alloc(w, p, size);
    p->sp = stack_init(p->stack_hi);
    p->ctx.stack_limit = p->stack_lo + MESH_STACK_HEADROOM;
    if (w) __atomic_store_n(&w->stacks_held, w->stacks_held + 1, __ATOMIC_RELAXED);   /* read by other workers */
}

static void proc_stack_take(MeshWorker *w, MeshProc *p)
{
    if (!p->stack_map) return;
    meshP_stack_release(w, p);
    p->sp = NULL;
    if (w) __atomic_store_n(&w->stacks_held, w->stacks_held - 1, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------ processes */

static MeshProc *proc_new(MeshEntryFn entry, uint64_t stack_size)
{
    MeshProc *p = proc_struct_alloc();
    p->ctx.proc = p;
    p->ctx.worker = NULL;                /* set each time a worker switches into it */
    p->ctx.reds = MESH_REDUCTIONS;
    meshP_heap_init(&p->heap);
    p->pid = atomic_fetch_add(&next_pid, 1);
    p->entry = entry;
    p->timer_slot = -1;
    atomic_store_explicit(&p->state, MESH_PROC_NEW, memory_order_release);
    if (stack_size) proc_stack_give(meshP_worker_self(), p, stack_size);
    table_set(p->pid, p);
    return p;
}

static void proc_free(MeshProc *p)
{
    if (meshP_proc_lookup(p->pid) == p) table_set(p->pid, NULL);
    if (p->timer_slot >= 0) meshP_timers_cancel(&timers, &p->timer_slot);   /* killed in a timed wait */
    if (p->poll_rec) meshP_poll_proc_ended(p);   /* killed waiting for an fd */
    if (p->pool_job) meshP_pool_proc_ended(p);   /* killed while its pool job runs */
    meshP_mailbox_collect(p);
    meshP_mailbox_free(p);
    meshP_heap_free(&p->ctx);
    proc_stack_take(meshP_worker_self(), p);
    free(p->roots);
    free(p->panic_msg);
    meshP_signal_free(p);
    if (p->sup_spec) meshP_sup_free(p->sup_spec);
    if (p->timer_env) {
        meshP_chunks_free(p->timer_env->chunks, p->timer_env->large);
        free(p->timer_env);
    }
    proc_struct_free(p);
}

/* Make p runnable on worker w (NULL: the injector); `next`: into w's runnext slot. */
static void sched_push(MeshWorker *w, MeshProc *p, int next)
{
    if (!w) {
        meshP_injector_push(&injector, p);
        wake_if_idle();
        return;
    }
    if (next) {
        /* only w's own thread touches its runnext slot */
        MeshProc *old = atomic_load_explicit(&w->runnext, memory_order_relaxed);
        atomic_store_explicit(&w->runnext, p, memory_order_relaxed);
        if (!old) return;
        p = old;
    }
    if (!meshP_deque_push(&w->dq, p)) meshP_injector_push(&injector, p);
    wake_if_idle();
}

/* Spawned from a process: into this worker's runnext slot (as Go's newproc),
 * so a child runs after its parent blocks or yields, unless more spawns push
 * it to the deque where idle workers steal it. */
void meshP_proc_ready(MeshProc *p)
{
    atomic_store_explicit(&p->state, MESH_PROC_RUNNABLE, memory_order_release);
    MeshWorker *w = cur_worker();
    sched_push(w, p, w && w->current);
}

/* Under p's lock: wake p. Returns 1 when it was WAITING and is now RUNNABLE
 * (the caller schedules it after unlocking). */
static int wake_locked(MeshProc *p)
{
    int s = atomic_load_explicit(&p->state, memory_order_acquire);
    if (s == MESH_PROC_WAITING) {
        p->deadline_ns = 0;
        atomic_store_explicit(&p->state, MESH_PROC_RUNNABLE, memory_order_release);
        return 1;
    }
    if (s == MESH_PROC_RUNNING) p->wake_pending = 1;
    return 0;
}

/* A woken process runs next on this worker when a process here woke it. */
static void schedule_woken(MeshProc *p)
{
    MeshWorker *w = cur_worker();
    sched_push(w, p, w && w->current);
}

void meshP_proc_wake(MeshProc *p)
{
    meshP_proc_lock(p);
    int r = wake_locked(p);
    meshP_proc_unlock(p);
    if (r) schedule_woken(p);
}

/* Kill process p (not the running one): it ends when next resumed. */
void meshP_proc_kill(MeshProc *p)
{
    meshP_proc_lock(p);
    if (atomic_load_explicit(&p->state, memory_order_acquire) == MESH_PROC_DONE || p->kill_pending) {
        meshP_proc_unlock(p);
        return;
    }
    __atomic_store_n(&p->kill_pending, 1, __ATOMIC_RELEASE);
    p->job_parent = 0;
    int r = wake_locked(p);
    meshP_proc_unlock(p);
    if (r) schedule_woken(p);
}

/* ------------------------------------------------------------ mailboxes */

static void append_in(MeshProc *q, MeshEnvelope *e)
{
    e->next = NULL;
    if (q->in_tail) q->in_tail->next = e;
    else __atomic_store_n(&q->in_head, e, __ATOMIC_RELEASE);
    q->in_tail = e;
}

/* Under q's lock, q not running (WAITING, or COPYING for this sender): its
 * private mailbox is nobody else's to touch, so an envelope with nothing left
 * to adopt goes straight there, behind anything still incoming, and q's next
 * look at its mailbox takes no lock. */
static void append_direct(MeshProc *q, MeshEnvelope *e)
{
    if (q->in_head || e->chunks || e->large || e->small_len) {
        append_in(q, e);
        return;
    }
    e->next = NULL;
    if (q->mb_tail) q->mb_tail->next = e;
    else q->mb_head = e;
    q->mb_tail = e;
}

int meshP_mailbox_post(MeshProc *q, MeshEnvelope *e)
{
    meshP_proc_lock(q);
    int s = atomic_load_explicit(&q->state, memory_order_acquire);
    if (s == MESH_PROC_DONE) {
        meshP_proc_unlock(q);
        return 0;
    }
    if (s == MESH_PROC_WAITING) append_direct(q, e);
    else append_in(q, e);
    int r = wake_locked(q);
    meshP_proc_unlock(q);
    if (r) schedule_woken(q);
    return 1;
}

int meshP_proc_claim(MeshProc *q)
{
    meshP_proc_lock(q);
    int s = atomic_load_explicit(&q->state, memory_order_acquire);
    if (s == MESH_PROC_WAITING) return 1;
    if (s == MESH_PROC_RUNNABLE && atomic_compare_exchange_strong(&q->state, &s, MESH_PROC_COPYING)) return 2;
    meshP_proc_unlock(q);
    return 0;
}

void meshP_mailbox_post_claimed(MeshProc *q, int claim, MeshEnvelope *e)
{
    /* signal.c posts with claim 1 under the lock in any state: look at it */
    int s = atomic_load_explicit(&q->state, memory_order_relaxed);
    if (s == MESH_PROC_WAITING || s == MESH_PROC_COPYING) append_direct(q, e);
    else append_in(q, e);
    int r = 0;
    if (claim == 2) atomic_store_explicit(&q->state, MESH_PROC_RUNNABLE, memory_order_release);
    else r = wake_locked(q);
    meshP_proc_unlock(q);
    if (r) schedule_woken(q);
}

void meshP_mailbox_collect(MeshProc *p)
{
    if (!__atomic_load_n(&p->in_head, __ATOMIC_ACQUIRE)) return;
    meshP_proc_lock(p);
    MeshEnvelope *h = p->in_head, *t = p->in_tail;
    __atomic_store_n(&p->in_head, NULL, __ATOMIC_RELAXED);
    p->in_tail = NULL;
    meshP_proc_unlock(p);
    if (!h) return;
    /* fragments join the heap now, once: the mailbox is never walked again for them */
    for (MeshEnvelope *e = h; e; e = e->next)
        if (e->chunks || e->large) {
            meshP_heap_adopt(&p->heap, e->chunks, e->large);
            e->chunks = e->large = NULL;
        } else if (e->small_len) {
            meshP_envelope_unpack(p, e);
        }
    if (p->mb_tail) p->mb_tail->next = h;
    else p->mb_head = h;
    p->mb_tail = t;
}

/* ------------------------------------------------------------ switching */

/* From the worker's stack into process p; returns when p switches back. */
static void switch_to_proc(MeshWorker *w, MeshProc *p)
{
    w->current = p;
    p->ctx.worker = w;
    p->sw_reason = SW_NONE;
#ifdef MESH_ASAN
    __sanitizer_start_switch_fiber((void **)&w->asan_fake, p->stack_lo, (size_t)(p->stack_hi - p->stack_lo));
#endif
    mesh_ctx_switch(&w->sched_sp, p->sp);
#ifdef MESH_ASAN
    __sanitizer_finish_switch_fiber((void *)w->asan_fake, NULL, NULL);
#endif
    w->current = NULL;
}

/* From process p back to its worker, for `reason`. Returns when a worker
 * (maybe another one) resumes p. */
static void switch_to_worker(MeshProc *p, int reason)
{
    MeshWorker *w = p->ctx.worker;
    p->sw_reason = reason;
#ifdef MESH_ASAN
    /* ended or hibernating: this stack is never resumed */
    __sanitizer_start_switch_fiber(reason >= SW_HIBERNATE ? NULL : (void **)&p->asan_fake, w->sched_stack_bottom,
                                   w->sched_stack_size);
#endif
    mesh_ctx_switch(&p->sp, w->sched_sp);
#ifdef MESH_ASAN
    w = p->ctx.worker;                    /* resumed by whichever worker picked it */
    __sanitizer_finish_switch_fiber((void *)p->asan_fake, &w->sched_stack_bottom, &w->sched_stack_size);
#endif
    if (__atomic_load_n(&p->kill_pending, __ATOMIC_ACQUIRE) && reason != SW_DONE) {
        p->kill_pending = 0;
        p->exit_status = 1;
        meshP_exit_jump(p);          /* killed: unwind to the trampoline */
    }
}

__attribute__((noinline)) void meshP_exit_jump(MeshProc *p)
{
#if defined(__x86_64__) && !defined(MESH_ASAN)
    __builtin_longjmp(p->exit_jmp, 1);  /* not from proc_boot itself: a builtin rule */
#else
    longjmp(p->exit_jmp, 1);
#endif
}

static void proc_boot(void)
{
    MeshWorker *w = cur_worker();
    MeshProc *p = w->current;
#ifdef MESH_ASAN
    __sanitizer_finish_switch_fiber(NULL, &w->sched_stack_bottom, &w->sched_stack_size);
#endif
    if (MESH_EXIT_SETJMP(p->exit_jmp) == 0) {
        if (__atomic_load_n(&p->kill_pending, __ATOMIC_ACQUIRE)) {   /* killed before it ever ran */
            p->kill_pending = 0;
            p->exit_status = 1;
            meshP_exit_jump(p);
        }
        if (p->start) {
            MeshClosure *c = p->start;
            p->start = NULL;
            MeshSlot r = ((MeshSlot (*)(MeshCtx *, MeshClosure *))c->fn)(&p->ctx, c);
            if (p->job_parent) meshP_job_done(p, r, NULL);
        } else {
            p->entry(&p->ctx);
        }
    } else if (p->job_parent) {
        if (MESH_EXIT_SETJMP(p->exit_jmp) == 0) meshP_job_done(p, 0, p->panic_msg ? p->panic_msg : "job crashed");
    }
    p->ctx.base_frame = NULL;           /* a panic skipped the start closure's own reset */
    if (p->terminate) {
        MeshClosure *c = p->terminate;
        p->terminate = NULL;
        if (MESH_EXIT_SETJMP(p->exit_jmp) == 0) ((void (*)(MeshCtx *, MeshClosure *))c->fn)(&p->ctx, c);
    }
    switch_to_worker(p, SW_DONE);
    meshP_fatal("a finished process was resumed");
}

void meshP_proc_wait(MeshProc *p, int64_t deadline_ns)
{
    if (deadline_ns) {
        meshP_proc_lock(p);
        p->deadline_ns = deadline_ns;
        uint64_t gen = ++p->wait_gen;
        meshP_proc_unlock(p);
        if (meshP_timers_add(&timers, deadline_ns, p, gen, &p->timer_slot)) {
            int owner = atomic_load(&timer_owner);
            if (owner >= 0) wake_worker(&workers[owner]);   /* it sleeps until a later deadline */
        }
    }
    switch_to_worker(p, SW_WAIT);
    if (deadline_ns) {
        meshP_timers_cancel(&timers, &p->timer_slot);
        meshP_proc_lock(p);
        p->deadline_ns = 0;
        meshP_proc_unlock(p);
    }
}

/* Hibernation. Compiled code calls meshP_proc_hibernate only from an actor
 * function whose caller is the process's start closure (ctx->base_frame) and
 * which has done nothing yet but is about to receive: `restart` calls that
 * function again with the same arguments. The process switches out for good;
 * its worker takes the stack back and the process waits like a receive. When
 * something arrives, it runs on a fresh stack from `restart` (proc_boot), and
 * the function receives what arrived as if it had blocked normally. */
static int64_t stacks_sum(MeshWorker *w)
{
    int64_t others = 0;
    for (int i = 0; i < nworkers; i++)
        if (&workers[i] != w) others += __atomic_load_n(&workers[i].stacks_held, __ATOMIC_RELAXED);
    w->stacks_seen = others;
    return others + w->stacks_held;
}

int meshP_proc_may_hibernate(MeshProc *p)
{
    if (p->mb_head || __atomic_load_n(&p->in_head, __ATOMIC_RELAXED)) return 0;
    if (hibernate_above < 0) return 0;
    MeshWorker *w = p->ctx.worker;
    /* a stale sum is fine; reading the other workers' counters at every receive is not (their
     * lines bounce between the cores) */
    int64_t held = (w->tick & 63) ? w->stacks_seen + w->stacks_held : stacks_sum(w);
    return held > hibernate_above;
}

void meshP_proc_hibernate(MeshProc *p, MeshClosure *restart)
{
    meshP_proc_lock(p);
    int now = !p->in_head && !p->wake_pending && !p->kill_pending;
    meshP_proc_unlock(p);
    if (!now || !p->ctx.worker) return;   /* something arrived: receive it on this stack */
    p->start = restart;
    p->received = 0;                    /* what the last receive took is dead now */
    p->ctx.base_frame = NULL;
    switch_to_worker(p, SW_HIBERNATE);
    meshP_fatal("a hibernated process was resumed on its old stack");
}

void mesh_yield(MeshCtx *ctx)
{
    MeshProc *p = ctx->proc;
    ctx->reds = MESH_REDUCTIONS;
    if (!p->stack_map) return;          /* embedded context: nothing to switch to */
    meshP_gc_maybe_collect(ctx);
    MeshWorker *w = ctx->worker;
    if (!atomic_load_explicit(&w->runnext, memory_order_relaxed) && meshP_deque_size(&w->dq) == 0 &&
        atomic_load_explicit(&injector.len, memory_order_relaxed) == 0 &&
        atomic_load_explicit(&timers.next, memory_order_relaxed) == INT64_MAX &&
        atomic_load_explicit(&meshP_io_pending, memory_order_relaxed) == 0)
        return;                         /* nobody else to run here */
    switch_to_worker(p, SW_YIELD);
    /* resumed by a worker, possibly another one: reload nothing cached */
}

/* ------------------------------------------------------------ the worker loop */

static void fire_timers(MeshWorker *w)
{
    MeshTimerEnt due[64];
    int n;
    int64_t now = meshP_now_ns();
    while ((n = meshP_timers_expire(&timers, now, due, 64)) > 0) {
        for (int i = 0; i < n; i++) {
            MeshProc *p = due[i].item;
            meshP_proc_lock(p);
            int r = p->wait_gen == due[i].gen && wake_locked(p);
            meshP_proc_unlock(p);
            if (r) sched_push(w, p, 0);
        }
        if (n < 64) break;
    }
}

static inline int timers_due(void)
{
    int64_t next = atomic_load_explicit(&timers.next, memory_order_acquire);
    return next != INT64_MAX && next <= meshP_now_ns();
}

/* Is there anything a parking worker could run? (its re-check) Another
 * worker's runnext is that worker's own: it is running and gets to it. */
static int any_work(void)
{
    if (atomic_load(&injector.len)) return 1;
    for (int i = 0; i < nworkers; i++)
        if (meshP_deque_size(&workers[i].dq)) return 1;
    return timers_due();
}

static MeshProc *steal_from_others(MeshWorker *w)
{
    int n = nworkers;
    for (int round = 0; round < 4; round++) {
        w->rng = w->rng * 6364136223846793005ull + 1442695040888963407ull;
        int start = (int)((w->rng >> 33) % (uint64_t)n);
        for (int k = 0; k < n; k++) {
            MeshWorker *v = &workers[(start + k) % n];
            if (v == w) continue;
            MeshProc *p = meshP_deque_steal(&v->dq);
            if (p) return p;
        }
        MeshProc *p = meshP_injector_pop(&injector);
        if (p) return p;
    }
    return NULL;
}

/* Under the idle lock, so that no worker leaves the idle set meanwhile:
 * every worker parked, no timer, no fd wait or pool job pending (the caller
 * found nothing queued after joining the idle set): nothing can ever run
 * again. Workers change the counts only outside the idle set. */
static int program_over(void)
{
    /* a cheap look first: the state it looks for, once reached, stays */
    if (atomic_load(&nidle) != nworkers || atomic_load(&timers.count) || atomic_load(&meshP_io_pending)) return 0;
    pthread_mutex_lock(&idle_lock);
    int over = nidle_ids == nworkers && atomic_load(&timers.count) == 0 && atomic_load(&meshP_io_pending) == 0;
    if (over) atomic_store(&shutting_down, 1);
    pthread_mutex_unlock(&idle_lock);
    return over;
}

/* A process started waiting for an fd or a pool job and no worker is in
 * epoll_wait: wake a parked one, which parks again as the poller. */
void meshP_sched_want_poller(void)
{
    if (atomic_load(&nidle) > 0) wake_one();
}

/* A busy worker's look at the poller (every 61 picks while I/O is pending),
 * unless a parked worker is polling anyway. */
static void poll_busy(MeshWorker *w)
{
    int none = -1;
    if (!atomic_compare_exchange_strong(&meshP_poll_owner, &none, w->id)) return;
    meshP_poll_fetch(0);
    meshP_poll_dispatch();
    atomic_store(&meshP_poll_owner, -1);
}

/* Park w until woken (or until the earliest timer when it owns the timers;
 * or until an I/O event when it is the poller). Returns 1 to look for work
 * again, 0 when the program is over. */
static int park(MeshWorker *w)
{
    meshP_io_flush_all();               /* output never waits for a busy worker */
    idle_add(w);
    atomic_store(&w->seen, UINT64_MAX);
    if (any_work() || atomic_load(&shutting_down)) {
        if (!idle_remove(w)) {
            /* a submitter took us out: its token is on the way */
            while (!atomic_load(&w->token)) futex_wait(&w->token, 0, INT64_MAX);
        }
        atomic_store(&w->token, 0);
        atomic_store(&w->seen, atomic_load(&epoch));
        return !atomic_load(&shutting_down);
    }
    if (program_over()) {
        while (wake_one()) {
        }
        return 0;
    }
    int64_t until = INT64_MAX;
    int owner = -1, owns_timers = 0, polls = 0;
    if (atomic_load(&timers.count) && atomic_compare_exchange_strong(&timer_owner, &owner, w->id)) {
        owns_timers = 1;
        until = atomic_load(&timers.next);   /* INT64_MAX if the timer was cancelled meanwhile */
    }
    owner = -1;
    if (atomic_load(&meshP_io_pending) && atomic_compare_exchange_strong(&meshP_poll_owner, &owner, w->id)) {
        /* the poller: epoll_wait instead of the futex; give_token kicks it */
        polls = 1;
        if (!atomic_load(&w->token)) meshP_poll_fetch(until);
    } else if (until != INT64_MAX) {
        futex_wait(&w->token, 0, until);
    } else {
        while (!atomic_load(&w->token)) futex_wait(&w->token, 0, INT64_MAX);
    }
    if (owns_timers) atomic_store(&timer_owner, -1);
    if (!idle_remove(w)) {
        while (!atomic_load(&w->token)) futex_wait(&w->token, 0, INT64_MAX);
    }
    atomic_store(&w->token, 0);
    atomic_store(&w->seen, atomic_load(&epoch));
    if (polls) {
        /* out of the idle set (quiescence cannot be decided meanwhile) and
         * at a published epoch (the process structs it wakes stay valid) */
        meshP_poll_dispatch();
        atomic_store(&meshP_poll_owner, -1);
    }
    return !atomic_load(&shutting_down);
}

static inline MeshProc *take_runnext(MeshWorker *w)
{
    MeshProc *p = atomic_load_explicit(&w->runnext, memory_order_relaxed);
    if (p) atomic_store_explicit(&w->runnext, NULL, memory_order_relaxed);
    return p;
}

static MeshProc *find_work(MeshWorker *w)
{
    for (;;) {
        if (atomic_load_explicit(&shutting_down, memory_order_relaxed)) return NULL;
        w->tick++;
        if (atomic_load_explicit(&timers.next, memory_order_relaxed) != INT64_MAX && timers_due()) fire_timers(w);
        if ((w->tick & 4095) == 0) meshP_io_flush_all();   /* a busy server's output does not lag */
        if (w->tick % 61 == 0 && atomic_load_explicit(&meshP_io_pending, memory_order_relaxed)) poll_busy(w);
        MeshProc *p;
        if (w->tick % 61 == 0 && (p = meshP_injector_pop(&injector))) return p;
        if (w->streak < RUNNEXT_STREAK && (p = take_runnext(w))) {
            w->streak++;
            return p;
        }
        w->streak = 0;
        if ((p = meshP_deque_steal(&w->dq))) return p;
        if ((p = take_runnext(w))) return p;
        if ((p = meshP_injector_pop(&injector))) return p;
        if (nworkers > 1 && 2 * atomic_load(&nspinning) < nworkers - atomic_load(&nidle)) {
            atomic_fetch_add(&nspinning, 1);
            p = steal_from_others(w);
            /* the last spinner found work: maybe there is more, let another look */
            if (atomic_fetch_sub(&nspinning, 1) == 1 && p) wake_if_idle();
            if (p) return p;
        }
        if (timers_due()) continue;
        if (!park(w)) return NULL;
    }
}

static void proc_finished(MeshProc *p)
{
    meshP_proc_lock(p);
    atomic_store_explicit(&p->state, MESH_PROC_DONE, memory_order_release);
    meshP_proc_unlock(p);
    meshP_mailbox_collect(p);
    meshP_mailbox_free(p);
    meshP_proc_exited(p);   /* signal.c: links, monitors (service calls and job awaits hold one), supervisor */
}

static void run_proc(MeshWorker *w, MeshProc *p)
{
    int s = MESH_PROC_RUNNABLE;
    while (!atomic_compare_exchange_weak_explicit(&p->state, &s, MESH_PROC_RUNNING, memory_order_acq_rel,
                                                  memory_order_acquire)) {
        if (s != MESH_PROC_COPYING && s != MESH_PROC_RUNNABLE)
            meshP_fatal("scheduled process %lld is in state %d", (long long)p->pid, s);
        s = MESH_PROC_RUNNABLE;         /* a sender is copying into its heap: wait */
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
    }
    if (!p->stack_map) proc_stack_give(w, p, PROC_STACK_SIZE);
    switch_to_proc(w, p);
    switch (p->sw_reason) {
    case SW_YIELD:
        atomic_store_explicit(&p->state, MESH_PROC_RUNNABLE, memory_order_release);
        sched_push(w, p, 0);
        break;
    case SW_HIBERNATE:
        proc_stack_take(w, p);          /* before anyone can see it waiting and run it */
        /* fall through */
    case SW_WAIT: {
        meshP_proc_lock(p);
        int again = p->wake_pending || p->in_head || p->kill_pending;
        p->wake_pending = 0;
        atomic_store_explicit(&p->state, again ? MESH_PROC_RUNNABLE : MESH_PROC_WAITING, memory_order_release);
        meshP_proc_unlock(p);
        if (again) sched_push(w, p, 1);
        break;
    }
    case SW_DONE:
        proc_finished(p);
        if (p == the_main) {
            if (p->exit_status) {           /* main panicked: the program ends */
                atomic_store(&shutting_down, 1);
                while (wake_one()) {
                }
            }
        } else {
            proc_free(p);
        }
        break;
    default:
        meshP_fatal("process %lld switched out without a reason", (long long)p->pid);
    }
}

static void install_altstack(MeshWorker *w);
static void remove_altstack(MeshWorker *w);

static void worker_loop(MeshWorker *w)
{
    for (;;) {
        /* quiescent: holds no process pointer. Loads after this one come
         * after the epoch load (acquire), so a struct freed before the epoch
         * we publish can no longer be found by this worker. */
        atomic_store_explicit(&w->seen, atomic_load_explicit(&epoch, memory_order_acquire), memory_order_release);
        MeshProc *p = find_work(w);
        if (!p) return;
        run_proc(w, p);
    }
}

static void *worker_thread(void *arg)
{
    MeshWorker *w = arg;
    tl_worker = w;
    install_altstack(w);
    worker_loop(w);
    remove_altstack(w);                 /* before the thread's exit looks at it */
    return NULL;
}

MeshProc *meshP_proc_new_entry(MeshEntryFn entry)
{
    return proc_new(entry, PROC_STACK_SIZE);
}

MeshProc *meshP_proc_create(MeshCtx *parent, MeshClosure *body)
{
    MeshProc *p = proc_new(NULL, 0);  /* its stack comes when it first runs */
    p->heap.gc_disabled = 1;             /* not running: its stack cannot be scanned yet */
    p->start = meshP_s2p(meshP_copy(&p->ctx, &parent->proc->heap, body->hdr.type_id, meshP_p2s(body)));
    p->heap.gc_disabled = 0;
    return p;
}

MeshProc *meshP_proc_spawn(MeshCtx *parent, MeshClosure *body)
{
    MeshProc *p = meshP_proc_create(parent, body);
    meshP_proc_ready(p);
    return p;
}

/* ------------------------------------------------------------ panics */

MESH_NORETURN static void panic_exit(MeshCtx *ctx)
{
    MeshProc *p = ctx ? ctx->proc : NULL;
    if (!p || !p->stack_map) {
        /* embedded context or no process: the host dies */
        meshP_io_flush_all();
        exit(1);
    }
    p->exit_status = 1;
    p->panicked = 1;
    meshP_exit_jump(p);
}

static void write_err(const char *s, size_t n)
{
    while (n) {
        ssize_t k = write(2, s, n);
        if (k <= 0) return;
        s += k;
        n -= (size_t)k;
    }
}

static void save_panic(MeshCtx *ctx, const char *msg, int64_t len)
{
    MeshProc *p = ctx ? ctx->proc : NULL;
    if (!p || p->panic_msg) return;
    p->panic_msg = malloc((size_t)len + 1);
    if (p->panic_msg) {
        memcpy(p->panic_msg, msg, (size_t)len);
        p->panic_msg[len] = 0;
    }
}

/* Compiled code records where it is (ctx->loc) before each runtime call and
 * check, so a panic names the line that caused it, not a runtime function. */
void mesh_panic(MeshCtx *ctx, const char *msg, int64_t len)
{
    save_panic(ctx, msg, len);
    meshP_io_flush_all();
    if (ctx && ctx->loc) {
        write_err("Mesh panic at ", 14);
        write_err(ctx->loc, strlen(ctx->loc));
        write_err(": ", 2);
    } else {
        write_err("Mesh panic: ", 12);
    }
    write_err(msg, (size_t)len);
    write_err("\n", 1);
    panic_exit(ctx);
}

void mesh_panic_at(MeshCtx *ctx, const char *msg, int64_t len, const char *file, int64_t file_len, int64_t line)
{
    char num[32];
    int n = snprintf(num, sizeof num, ":%lld: ", (long long)line);
    save_panic(ctx, msg, len);
    meshP_io_flush_all();
    write_err("Mesh panic at ", 14);
    write_err(file, (size_t)file_len);
    write_err(num, (size_t)n);
    write_err(msg, (size_t)len);
    write_err("\n", 1);
    panic_exit(ctx);
}

/* Called by compiled code (never from inside the runtime), so no runtime lock
 * or allocator state is held: the process ends cleanly. */
void mesh_stack_overflow(MeshCtx *ctx)
{
    mesh_panic(ctx, "stack overflow", 14);
}

void mesh_panic_str(MeshCtx *ctx, MeshString *msg)
{
    mesh_panic(ctx, msg->bytes, (int64_t)msg->len);
}

void meshP_panicf(MeshCtx *ctx, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if (n >= (int)sizeof buf) n = (int)sizeof buf - 1;
    mesh_panic(ctx, buf, n);
}

MeshInt mesh_int_div(MeshCtx *ctx, MeshInt a, MeshInt b)
{
    if (b == 0) meshP_panicf(ctx, "division by zero");
    if (b == -1) return (MeshInt)(0 - (uint64_t)a);
    return a / b;
}

MeshInt mesh_int_rem(MeshCtx *ctx, MeshInt a, MeshInt b)
{
    if (b == 0) meshP_panicf(ctx, "remainder by zero");
    if (b == -1) return 0;
    return a % b;
}

/* ------------------------------------------------------------ entry */

/* Stack overflow: a fault in the guard area of the running process's stack.
 * The handler runs on the worker's alternate signal stack and ends only the
 * faulting process (main's overflow ends the program with status 1). Any
 * other fault is re-raised with the default action. */
/* Where an overflowed process continues after the signal handler returns:
 * on the (abandoned) low end of its own stack, outside any handler. */
static void overflow_resume(void)
{
    MeshProc *p = cur_worker()->current;
    p->exit_status = 1;
    p->panicked = 1;
    meshP_exit_jump(p);
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    MeshWorker *w = cur_worker();
    MeshProc *p = w ? w->current : NULL;
    uint8_t *a = (uint8_t *)si->si_addr;
    if (p && p->stack_map && p->stack_guarded && a >= p->stack_map && a < p->stack_lo) {
        static const char msg[] = "Mesh panic: stack overflow\n";
        meshP_io_flush_try();
        if (write(2, msg, sizeof msg - 1) < 0) _exit(1);
        if (p != the_main) {
            /* only this process dies: return from the handler into
             * overflow_resume, running near the bottom of the process's stack
             * (its frames there are dead), which unwinds to the trampoline */
            ucontext_t *uc = ucv;
            uintptr_t sp = ((uintptr_t)p->stack_lo + 24 * 1024) & ~(uintptr_t)15;
#if defined(__x86_64__)
            uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(sp - 8);   /* as after a call */
            uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)overflow_resume;
#elif defined(__aarch64__)
            uc->uc_mcontext.sp = sp;
            uc->uc_mcontext.pc = (uintptr_t)overflow_resume;
#endif
            return;
        }
        _exit(1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

#define ALTSTACK_SIZE (64 * 1024)

/* Signal stacks are per thread: every worker gets its own. */
static void install_altstack(MeshWorker *w)
{
    if (!w->altstack) w->altstack = malloc(ALTSTACK_SIZE);
    if (!w->altstack) return;
    stack_t ss = {.ss_sp = w->altstack, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
    sigaltstack(&ss, NULL);
}

static void remove_altstack(MeshWorker *w)
{
    stack_t ss = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&ss, NULL);
    free(w->altstack);
    w->altstack = NULL;
}

static void install_fault_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

static void rt_init(void)
{
    static int done;
    if (done) return;
    done = 1;
    const char *s = getenv("MESH_GC_STRESS");
    meshP_gc_stress = s && *s && *s != '0';
    s = getenv("MESH_GC_TRACE");
    meshP_gc_trace = s && *s && *s != '0';
    s = getenv("MESH_HIBERNATE");       /* N: while more than N stacks are held; "off": never */
    if (s && *s) hibernate_above = strcmp(s, "off") == 0 ? -1 : strtoll(s, NULL, 10);
    meshP_injector_init(&injector);
    meshP_timers_init(&timers);
}

/* MESH_WORKERS=N, else one per online CPU. */
static int worker_count(void)
{
    const char *s = getenv("MESH_WORKERS");
    long n = s && *s ? strtol(s, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > MAX_WORKERS) n = MAX_WORKERS;
    return (int)n;
}

static void sched_start(void)
{
    nworkers = worker_count();
    workers = calloc((size_t)nworkers, sizeof *workers);
    if (!workers) meshP_fatal("out of memory");
    for (int i = 0; i < nworkers; i++) {
        MeshWorker *w = &workers[i];
        w->id = i;
        meshP_deque_init(&w->dq, DEQUE_CAP);
        atomic_store(&w->seen, atomic_load(&epoch));
        w->rng = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
    }
    atomic_store(&shutting_down, 0);
    atomic_store(&nspinning, 0);
    atomic_store(&nidle, 0);
    nidle_ids = 0;
    atomic_store(&timer_owner, -1);
    tl_worker = &workers[0];
    sched_active = 1;
}

static void sched_stop(void)
{
    atomic_store(&shutting_down, 1);
    while (wake_one()) {
    }
    for (int i = 1; i < nworkers; i++) pthread_join(workers[i].thread, NULL);
}

static void sched_free(void)
{
    for (int i = 0; i < nworkers; i++) {
        dead_free_all(&workers[i]);
        meshP_env_cache_free(&workers[i]);
        meshP_deque_destroy(&workers[i].dq);
        meshP_pages_flush(&meshP_stack_pool, &workers[i].stack_cache);
        meshP_pages_flush(&meshP_chunk_pool, &workers[i].chunk_cache);
    }
    spare_free_all();
    remove_altstack(&workers[0]);
    free(workers);
    workers = NULL;
    nworkers = 0;
    tl_worker = NULL;
    sched_active = 0;
}

static int run_program(const MeshProgram *program, int teardown)
{
    rt_init();
    meshP_set_program_types(program->types, program->ntypes);
    install_fault_handler();
    sched_start();
    MeshProc *main_proc = proc_new(program->entry, MAIN_STACK_SIZE);
    the_main = main_proc;
    atomic_store_explicit(&main_proc->state, MESH_PROC_RUNNABLE, memory_order_release);
    meshP_deque_push(&workers[0].dq, main_proc);
    for (int i = 1; i < nworkers; i++)
        if (pthread_create(&workers[i].thread, NULL, worker_thread, &workers[i]) != 0)
            meshP_fatal("cannot start worker thread %d", i);
    install_altstack(&workers[0]);
    worker_loop(&workers[0]);
    int status = main_proc->exit_status;
    /* processes still blocked (or never run, after a panic in main) are
     * abandoned; a program that is about to exit leaves their memory to the
     * kernel (freeing a million heaps and stacks one by one takes seconds) */
    if (!teardown) {
        meshP_io_flush_all();
        return status;
    }
    sched_stop();
    while (meshP_injector_pop(&injector)) {
    }
    int64_t last = atomic_load(&next_pid);
    for (int64_t i = 1; i < last; i++) {
        MeshProc *q = meshP_proc_lookup(i);
        if (q && q != main_proc && !q->embedded) proc_free(q);
    }
    proc_free(main_proc);
    the_main = NULL;
    sched_free();
    meshP_io_flush_all();
    return status;
}

int mesh_rt_main(int argc, char **argv, const MeshProgram *program)
{
    MESH_UNUSED(argc);
    MESH_UNUSED(argv);
    return run_program(program, 0);
}

int mesh_embed_run(const MeshProgram *program)
{
    return run_program(program, 1);
}

/* ------------------------------------------------------------ embedding */

MeshCtx *mesh_embed_ctx_new(void)
{
    rt_init();
    MeshProc *p = proc_new(NULL, 0);
    p->embedded = 1;
    p->heap.gc_disabled = 1;
    p->heap.stress = 0;
    return &p->ctx;
}

void mesh_embed_ctx_free(MeshCtx *ctx)
{
    proc_free(ctx->proc);
}

void mesh_embed_set_types(const MeshType *types, uint32_t ntypes)
{
    meshP_set_program_types(types, ntypes);
}

void mesh_embed_add_root(MeshCtx *ctx, MeshSlot v)
{
    MeshProc *p = ctx->proc;
    if (p->nroots == p->roots_cap) {
        p->roots_cap = p->roots_cap ? p->roots_cap * 2 : 16;
        p->roots = realloc(p->roots, p->roots_cap * sizeof(MeshSlot));
        if (!p->roots) meshP_fatal("out of memory");
    }
    p->roots[p->nroots++] = v;
}

void mesh_embed_clear_roots(MeshCtx *ctx)
{
    ctx->proc->nroots = 0;
}

void mesh_embed_collect(MeshCtx *ctx)
{
    meshP_gc_collect(ctx->proc);
}

uint64_t mesh_embed_collections(MeshCtx *ctx) { return ctx->proc->heap.collections; }
uint64_t mesh_embed_live_bytes(MeshCtx *ctx) { return ctx->proc->heap.live; }
uint64_t mesh_embed_heap_bytes(MeshCtx *ctx) { return ctx->proc->heap.chunk_bytes; }
