/*
 * proc.c -- processes, coroutine stacks, the scheduler loop, program entry,
 * yields and panics (prefixes mesh_rt_, mesh_yield, mesh_panic, mesh_embed_).
 *
 * Design
 * ------
 * A Mesh process (MeshProc) is a coroutine: its own stack, its own heap
 * (gc.c) and its MeshCtx, which is the first member of the process so the
 * context compiled code receives is the process itself. Stacks are mmap'd
 * with MAP_NORESERVE (only touched pages cost memory) with a PROT_NONE guard
 * page at the low end. Switching is done by mesh_ctx_switch (switch.S): it
 * saves the callee-saved registers on the old stack and resumes the new one;
 * no signal masks, no ucontext.
 *
 * A worker (MeshWorker) runs processes from a run queue on its own (OS)
 * stack: it switches into a process, and the process switches back when it
 * yields (reductions exhausted), blocks, or ends. This file currently runs
 * one worker, the thread that called mesh_rt_main; the structures are those
 * the work-stealing scheduler will use: a process is only ever touched by the
 * worker running it, runtime code reaches the worker through ctx->worker
 * (never a thread-local cached across a yield), and a process that ends has
 * its heap returned to the chunk pool and its stack unmapped at once.
 *
 * Panics: the process trampoline establishes a setjmp target; mesh_panic
 * prints the message and longjmps there, unwinding no frames (compiled code
 * needs no exception tables). The process is then dead with exit status 1;
 * when it is main, the program's exit status is 1.
 *
 * Program end: mesh_rt_main returns when the run queue is empty (today: when
 * main has returned or panicked), after flushing stdout.
 */
#include <signal.h>
#include <ucontext.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define MESH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MESH_ASAN 1
#endif
#endif

#ifdef MESH_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

void mesh_ctx_switch(void **save_sp, void *new_sp);
void meshP_io_flush_all(void);
void meshP_io_flush_try(void);

#define MESH_REDUCTIONS 4000
#define MAIN_STACK_SIZE ((uint64_t)256 << 20)   /* reserved, committed lazily */
#define PROC_STACK_SIZE MESH_STACK_SLOT

int meshP_gc_stress;
int meshP_gc_trace;

/* One worker for now (the thread in mesh_rt_main). */
static MeshWorker the_worker;
static MeshProc *the_main;     /* the program's main process */
static MeshProc *runq_head, *runq_tail;
static int64_t next_pid = 1;

/* Process table: pid -> process (pids are never reused). */
static MeshProc **table;
static int64_t table_cap;

static void table_put(MeshProc *p)
{
    if (p->pid >= table_cap) {
        int64_t ncap = table_cap ? table_cap * 2 : 1024;
        while (ncap <= p->pid) ncap *= 2;
        MeshProc **nt = realloc(table, (size_t)ncap * sizeof *nt);
        if (!nt) meshP_fatal("out of memory");
        memset(nt + table_cap, 0, (size_t)(ncap - table_cap) * sizeof *nt);
        table = nt;
        table_cap = ncap;
    }
    table[p->pid] = p;
}

MeshProc *meshP_proc_lookup(int64_t pid)
{
    return pid > 0 && pid < table_cap ? table[pid] : NULL;
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

/* ------------------------------------------------------------ stacks */

static void stack_release(MeshProc *p) { meshP_stack_release(p); }
static void stack_alloc(MeshProc *p, uint64_t size) { meshP_stack_alloc(p, size); }

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

/* ------------------------------------------------------------ processes */

static MeshProc *proc_new(MeshEntryFn entry, uint64_t stack_size)
{
    MeshProc *p = calloc(1, sizeof *p);
    if (!p) meshP_fatal("out of memory");
    p->ctx.proc = p;
    p->ctx.worker = &the_worker;
    p->ctx.reds = MESH_REDUCTIONS;
    meshP_heap_init(&p->heap);
    p->pid = next_pid++;
    table_put(p);
    p->entry = entry;
    p->state = MESH_PROC_NEW;
    if (stack_size) {
        stack_alloc(p, stack_size);
        p->sp = stack_init(p->stack_hi);
    }
    return p;
}

static void proc_free(MeshProc *p)
{
    if (meshP_proc_lookup(p->pid) == p) table[p->pid] = NULL;
    meshP_mailbox_free(p);
    meshP_heap_free(&p->heap);
    stack_release(p);
    free(p->roots);
    free(p->panic_msg);
    meshP_signal_free(p);
    if (p->sup_spec) meshP_sup_free(p->sup_spec);
    if (p->timer_env) {
        meshP_chunks_free(p->timer_env->chunks, p->timer_env->large);
        free(p->timer_env);
    }
    free(p);
}

static void runq_push(MeshProc *p)
{
    p->next = NULL;
    p->state = MESH_PROC_RUNNABLE;
    if (runq_tail) runq_tail->next = p;
    else runq_head = p;
    runq_tail = p;
}

static MeshProc *runq_pop(void)
{
    MeshProc *p = runq_head;
    if (p) {
        runq_head = p->next;
        if (!runq_head) runq_tail = NULL;
    }
    return p;
}

/* From the worker's stack into process p; returns when p switches back. */
static void switch_to_proc(MeshWorker *w, MeshProc *p)
{
    w->current = p;
    p->state = MESH_PROC_RUNNING;
    p->ctx.worker = w;
#ifdef MESH_ASAN
    __sanitizer_start_switch_fiber((void **)&w->asan_fake, p->stack_lo, (size_t)(p->stack_hi - p->stack_lo));
#endif
    mesh_ctx_switch(&w->sched_sp, p->sp);
#ifdef MESH_ASAN
    __sanitizer_finish_switch_fiber((void *)w->asan_fake, NULL, NULL);
#endif
    w->current = NULL;
}

/* From process p back to its worker. `final` when p will never resume. */
static void switch_to_worker(MeshProc *p, int final)
{
    MeshWorker *w = p->ctx.worker;
#ifdef MESH_ASAN
    __sanitizer_start_switch_fiber(final ? NULL : (void **)&p->asan_fake, w->sched_stack_bottom,
                                   w->sched_stack_size);
#else
    MESH_UNUSED(final);
#endif
    mesh_ctx_switch(&p->sp, w->sched_sp);
#ifdef MESH_ASAN
    __sanitizer_finish_switch_fiber((void *)p->asan_fake, &w->sched_stack_bottom, &w->sched_stack_size);
#endif
    if (p->kill_pending && !final) {
        p->kill_pending = 0;
        p->exit_status = 1;
        longjmp(p->exit_jmp, 2);          /* killed: unwind to the trampoline */
    }
}

/* Kill process p (not the running one): it ends when next resumed. */
void meshP_proc_kill(MeshProc *p)
{
    if (p->state == MESH_PROC_DONE || p->kill_pending) return;
    p->kill_pending = 1;
    p->job_parent = 0;
    if (p->state == MESH_PROC_WAITING) meshP_proc_wake(p);
}

static void proc_boot(void)
{
    MeshWorker *w = &the_worker;
    MeshProc *p = w->current;
#ifdef MESH_ASAN
    __sanitizer_finish_switch_fiber(NULL, &w->sched_stack_bottom, &w->sched_stack_size);
#endif
    if (setjmp(p->exit_jmp) == 0) {
        if (p->kill_pending) {            /* killed before it ever ran */
            p->kill_pending = 0;
            p->exit_status = 1;
            longjmp(p->exit_jmp, 2);
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
        if (setjmp(p->exit_jmp) == 0) meshP_job_done(p, 0, p->panic_msg ? p->panic_msg : "job crashed");
    }
    if (p->terminate) {
        MeshClosure *c = p->terminate;
        p->terminate = NULL;
        if (setjmp(p->exit_jmp) == 0) ((void (*)(MeshCtx *, MeshClosure *))c->fn)(&p->ctx, c);
    }
    p->state = MESH_PROC_DONE;
    switch_to_worker(p, 1);
    meshP_fatal("a finished process was resumed");
}

void meshP_proc_wake(MeshProc *p)
{
    if (p->state == MESH_PROC_WAITING) {
        p->deadline_ns = 0;
        runq_push(p);
    }
}

static int64_t meshP_timed_waiters;   /* WAITING processes with a deadline */

void meshP_proc_wait(MeshProc *p, int64_t deadline_ns)
{
    p->state = MESH_PROC_WAITING;
    p->deadline_ns = deadline_ns;
    if (deadline_ns) meshP_timed_waiters++;
    switch_to_worker(p, 0);
    if (deadline_ns) meshP_timed_waiters--;
}

/* Nothing runnable: sleep until the earliest receive/sleep deadline and wake
 * the processes whose time has come. Returns 0 when no process waits with a
 * deadline (then nothing can ever run again). */
static int wait_for_timers(void)
{
    int64_t first = 0;
    if (meshP_timed_waiters == 0) return 0;
    for (int64_t i = 1; i < next_pid && i < table_cap; i++) {
        MeshProc *q = table[i];
        if (q && q->state == MESH_PROC_WAITING && q->deadline_ns && (!first || q->deadline_ns < first))
            first = q->deadline_ns;
    }
    if (!first) return 0;
    meshP_io_flush_all();
    int64_t now = meshP_now_ns();
    if (first > now) {
        struct timespec ts = {(time_t)((first - now) / 1000000000), (long)((first - now) % 1000000000)};
        nanosleep(&ts, NULL);
    }
    now = meshP_now_ns();
    for (int64_t i = 1; i < next_pid && i < table_cap; i++) {
        MeshProc *q = table[i];
        if (q && q->state == MESH_PROC_WAITING && q->deadline_ns && q->deadline_ns <= now) meshP_proc_wake(q);
    }
    return 1;
}

int64_t meshP_call_waiters;   /* processes blocked in a service call */

static void proc_finished(MeshProc *p)
{
    meshP_mailbox_free(p);
    meshP_proc_exited(p);   /* signal.c: links, monitors, supervisor */
    /* callers blocked in a service call re-check whether their server still runs */
    if (meshP_call_waiters == 0) return;
    for (int64_t i = 1; i < next_pid && i < table_cap; i++) {
        MeshProc *q = table[i];
        if (q && q != p && q->state == MESH_PROC_WAITING && !q->deadline_ns) meshP_proc_wake(q);
    }
}

static void run_queue(MeshWorker *w, MeshProc *main_proc)
{
    for (;;) {
        MeshProc *p = runq_pop();
        if (!p) {
            if (wait_for_timers()) continue;
            break;                       /* quiescent: nothing can run any more */
        }
        switch_to_proc(w, p);
        if (p->state == MESH_PROC_DONE) {
            proc_finished(p);
            if (p == main_proc) {
                if (p->exit_status) break;   /* main panicked: the program ends */
            } else {
                proc_free(p);
            }
        } else if (p->state == MESH_PROC_RUNNABLE) {
            runq_push(p);
        }
        /* WAITING: parked until a message, a reply or its deadline */
    }
}

MeshProc *meshP_proc_start(MeshEntryFn entry)
{
    MeshProc *p = proc_new(entry, PROC_STACK_SIZE);
    runq_push(p);
    return p;
}

MeshProc *meshP_proc_spawn(MeshCtx *parent, MeshClosure *body)
{
    MeshProc *p = proc_new(NULL, PROC_STACK_SIZE);
    p->heap.gc_disabled = 1;             /* not running: its stack cannot be scanned yet */
    p->start = meshP_s2p(meshP_copy(&p->ctx, &parent->proc->heap, body->hdr.type_id, meshP_p2s(body)));
    p->heap.gc_disabled = 0;
    runq_push(p);
    return p;
}

void mesh_yield(MeshCtx *ctx)
{
    MeshProc *p = ctx->proc;
    ctx->reds = MESH_REDUCTIONS;
    if (!p->stack_map) return;          /* embedded context: nothing to switch to */
    meshP_gc_maybe_collect(ctx);
    if (!runq_head) return;             /* nobody else to run */
    p->state = MESH_PROC_RUNNABLE;
    switch_to_worker(p, 0);
    /* resumed by the worker, possibly another one later: reload nothing cached */
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
    longjmp(p->exit_jmp, 1);
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

void mesh_panic(MeshCtx *ctx, const char *msg, int64_t len)
{
    save_panic(ctx, msg, len);
    meshP_io_flush_all();
    write_err("Mesh panic: ", 12);
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
 * The handler runs on an alternate signal stack. Today it ends the program
 * with status 1 (only main exists); with more processes it will end only the
 * faulting one (siglongjmp to its trampoline). Any other fault is re-raised
 * with the default action. */
/* Where an overflowed process continues after the signal handler returns:
 * on the (abandoned) low end of its own stack, outside any handler. */
static void overflow_resume(void)
{
    MeshProc *p = the_worker.current;
    p->exit_status = 1;
    p->panicked = 1;
    longjmp(p->exit_jmp, 1);
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    MeshProc *p = the_worker.current;
    uint8_t *a = (uint8_t *)si->si_addr;
    if (p && p->stack_map && p->stack_guarded && a >= p->stack_map && a < p->stack_lo) {
        static const char msg[] = "Mesh panic: stack overflow\n";
        meshP_io_flush_try();
        if (write(2, msg, sizeof msg - 1) < 0) _exit(1);
        if (p->state == MESH_PROC_RUNNING && p != the_main) {
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

static void install_fault_handler(void)
{
    static uint8_t *alt;
    size_t size = 64 * 1024;
    if (!alt) alt = malloc(size);
    if (!alt) return;
    stack_t ss = {.ss_sp = alt, .ss_size = size, .ss_flags = 0};
    sigaltstack(&ss, NULL);
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
}

static int run_program(const MeshProgram *program, int teardown)
{
    rt_init();
    meshP_set_program_types(program->types, program->ntypes);
    install_fault_handler();
    MeshProc *main_proc = proc_new(program->entry, MAIN_STACK_SIZE);
    the_main = main_proc;
    runq_push(main_proc);
    run_queue(&the_worker, main_proc);
    int status = main_proc->exit_status;
    /* processes still blocked (or never run, after a panic in main) are
     * abandoned; a program that is about to exit leaves their memory to the
     * kernel (freeing a million heaps and stacks one by one takes seconds) */
    if (!teardown) {
        meshP_io_flush_all();
        return status;
    }
    for (int64_t i = 1; i < next_pid && i < table_cap; i++)
        if (table[i] && table[i] != main_proc && table[i]->stack_map) proc_free(table[i]);
    runq_head = runq_tail = NULL;
    proc_free(main_proc);
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
