/*
 * internal.h -- runtime-private declarations shared by the runtime's C files:
 * process and heap structures, object sizes, inline helpers. Never parsed by
 * the code generator.
 */
#ifndef MESH_INTERNAL_H
#define MESH_INTERNAL_H

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "mesh/mesh.h"
#include "mesh/embed.h"

#define MESH_NORETURN _Noreturn
#define MESH_UNUSED(x) ((void)(x))
#define MESH_LIKELY(x) __builtin_expect(!!(x), 1)
#define MESH_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* mesh_panic and friends never return (the public header cannot say so). */
MESH_NORETURN void mesh_panic(MeshCtx *ctx, const char *msg, int64_t len);
MESH_NORETURN void mesh_panic_at(MeshCtx *ctx, const char *msg, int64_t len, const char *file,
                                 int64_t file_len, int64_t line);
MESH_NORETURN void mesh_panic_str(MeshCtx *ctx, MeshString *msg);
MESH_NORETURN void meshP_panicf(MeshCtx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
MESH_NORETURN void meshP_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------ object sizes */

#define MESH_AUX_BIG 0xFFFFu  /* private kinds: size in the word after the header */

static inline uint64_t meshP_round8(uint64_t n) { return (n + 7u) & ~(uint64_t)7u; }

/* Runtime-private objects (LIST, MAP, SET, RANGE, QUEUE, ITER, JSON, INTERNAL,
 * OPAQUE) store their size in aux (in 8-byte words) or, when it does not fit,
 * aux = MESH_AUX_BIG and the total size in bytes in the word after the header.
 * INTERNAL objects carry their sub-kind in type_id. */
enum MeshInternalSub {
    MESH_SUB_LISTBUF = 1,
    MESH_SUB_HAMT = 2,      /* map/set hash trie node */
    MESH_SUB_COLL = 3,      /* hash collision bucket */
    MESH_SUB_VEC = 4,       /* insertion-order vector node */
    MESH_SUB_BYTES = 5      /* raw scratch bytes, no pointers */
};

/* ---------------------------------------------------------------- heaps */

#define MESH_CHUNK_SHIFT 16
#define MESH_CHUNK_SIZE ((uint64_t)1 << MESH_CHUNK_SHIFT)   /* 64 KiB, aligned to its size */
#define MESH_LARGE_OBJECT (MESH_CHUNK_SIZE / 2)              /* bigger objects get their own chunk */

/* Where a chunk's memory comes from (MeshChunk.where). */
enum MeshChunkWhere {
    MESH_CHUNK_POOL = 0,     /* a small chunk of the shared chunk pool, or a large-object mapping */
    MESH_CHUNK_HUGE = 1,     /* a small chunk of a big heap: the huge-page pool (gc.c) */
    MESH_CHUNK_FIRST = 2     /* the heap's first region, inside MeshHeap (never given back) */
};

typedef struct MeshChunk {
    struct MeshHeap  *owner;
    struct MeshChunk *next;
    uint8_t *start;          /* first object */
    uint8_t *top;            /* end of the bumped (parseable) region */
    uint8_t *end;            /* end of the chunk */
    uint64_t size;           /* bytes from the chunk's address to `end` (a multiple of MESH_CHUNK_SIZE but
                              * for the first region) */
    uint32_t large;          /* holds exactly one large object */
    uint32_t parsed;         /* heap->epoch when `starts` was last rebuilt */
    uint32_t dirty;          /* small chunk: bytes from its start that may be nonzero */
    uint32_t where;          /* enum MeshChunkWhere */
    uint64_t starts[];       /* object-start bitmap (valid during GC), one bit per 8 bytes from the
                              * chunk's address: MESH_CHUNK_STARTS words in a small chunk, none in a
                              * large one, MESH_FIRST_STARTS in the first region */
} MeshChunk;
#define MESH_CHUNK_STARTS (MESH_CHUNK_SIZE / 8 / 64)

/* A heap's first region lives in the heap itself: a process whose objects fit
 * in it (a spawned closure, a few small values) owns no chunk at all. */
#define MESH_FIRST_BYTES 256                                    /* room for objects */
#define MESH_FIRST_STARTS ((MESH_FIRST_BYTES + 128) / 512 + 1)  /* bitmap words covering header + data */
#define MESH_FIRST_WORDS ((sizeof(MeshChunk) + 8 * MESH_FIRST_STARTS + MESH_FIRST_BYTES) / 8)

#define MESH_MAP_INLINE 8   /* granule map pairs kept inside the heap (most own one or two chunks) */
typedef struct MeshHeap {
    MeshChunk *chunks;        /* small chunks */
    MeshChunk *large;         /* large-object chunks */
    uint8_t   *cur_end;       /* real end of the current bump region (ctx->hlimit may be lower) */
    uint8_t   *holes[18];     /* free blocks found by the last sweep, by floor(log2(size)) (linked through word 1) */
    uintptr_t *map;           /* open-addressing set: granule address -> MeshChunk* (pairs) */
    uint64_t   map_cap;       /* number of pairs, power of two */
    uint64_t   map_len;
    uint64_t   map_tombs;     /* removed pairs still in the table (probes pass over them) */
    uintptr_t  map_inline[2 * MESH_MAP_INLINE];   /* the table while it has MESH_MAP_INLINE pairs */
    uint64_t   handed_out;    /* bytes given to the mutator since the last collection */
    uint64_t   live;          /* bytes live after the last collection */
    uint64_t   threshold;     /* collect when handed_out exceeds this */
    uint64_t   collections;
    uint32_t   epoch;         /* collection number, tags chunks whose start bitmap is current */
    uint64_t   chunk_bytes;   /* bytes of chunks owned */
    int        gc_disabled;   /* embedded contexts without a scannable stack */
    int        stress;
    int        first_taken;   /* `first` is one of `chunks` */
    /* the first region (a MeshChunk with MESH_FIRST_STARTS bitmap words and MESH_FIRST_BYTES of
     * objects); last, so that meshP_heap_init need not clear it. A message fragment's heap
     * (actor.c: a process struct without a pid) never takes it, since its chunks are handed over */
    uint64_t   first[MESH_FIRST_WORDS];
} MeshHeap;

/* ------------------------------------------------------ locks, queues */

/* A test-and-set lock for short critical sections (a process's mailbox and
 * state); spins, then yields the CPU. Never held across a context switch. */
typedef struct MeshSpin {
    _Atomic int v;
} MeshSpin;
void meshP_spin_lock_slow(MeshSpin *l);
static inline void meshP_spin_lock(MeshSpin *l)
{
    if (MESH_LIKELY(!atomic_exchange_explicit(&l->v, 1, memory_order_acquire))) return;
    meshP_spin_lock_slow(l);
}
static inline void meshP_spin_unlock(MeshSpin *l) { atomic_store_explicit(&l->v, 0, memory_order_release); }

/* deque.c: Chase-Lev work-stealing deque of fixed capacity (a power of two). */
typedef struct MeshDeque {
    _Atomic int64_t top;
    char pad0[56];
    _Atomic int64_t bottom;
    char pad1[56];
    _Atomic(void *) *buf;
    int64_t mask;
} MeshDeque;
void meshP_deque_init(MeshDeque *d, int64_t cap);
void meshP_deque_destroy(MeshDeque *d);
int meshP_deque_push(MeshDeque *d, void *x);   /* owner only; 0 when full */
void *meshP_deque_pop(MeshDeque *d);           /* owner only, newest first; NULL when empty */
void *meshP_deque_steal(MeshDeque *d);         /* any thread, oldest first; NULL when empty */
int64_t meshP_deque_size(MeshDeque *d);        /* a snapshot */

/* deque.c: the global injector queue (FIFO, unbounded, locked). */
typedef struct MeshInjector {
    pthread_mutex_t lock;
    void  **ring;
    int64_t cap, head;
    _Atomic int64_t len;
} MeshInjector;
void meshP_injector_init(MeshInjector *q);
void meshP_injector_destroy(MeshInjector *q);
void meshP_injector_push(MeshInjector *q, void *x);
void *meshP_injector_pop(MeshInjector *q);     /* NULL when empty */

/* timer.c: a min-heap of deadlines; `slot` is where the owner keeps the
 * entry's index (-1 when not in the heap). */
typedef struct MeshTimerEnt {
    int64_t  deadline;
    uint64_t seq;
    void    *item;
    uint64_t gen;
    int64_t *slot;
} MeshTimerEnt;
typedef struct MeshTimers {
    pthread_mutex_t lock;
    MeshTimerEnt *h;
    int64_t n, cap;
    uint64_t seq;
    _Atomic int64_t next;    /* earliest deadline, INT64_MAX when empty */
    _Atomic int64_t count;
} MeshTimers;
void meshP_timers_init(MeshTimers *t);
void meshP_timers_destroy(MeshTimers *t);
/* Returns 1 when the new entry is now the earliest. */
int meshP_timers_add(MeshTimers *t, int64_t deadline, void *item, uint64_t gen, int64_t *slot);
void meshP_timers_cancel(MeshTimers *t, int64_t *slot);
/* Remove up to max entries due at `now`, earliest first; returns how many. */
int meshP_timers_expire(MeshTimers *t, int64_t now, MeshTimerEnt *out, int max);

/* --------------------------------------------------------- processes */

/* COPYING: a sender holds the process's lock and copies a message into its
 * heap while it is RUNNABLE; a worker that picks it waits for RUNNABLE. */
enum MeshProcState { MESH_PROC_NEW, MESH_PROC_RUNNABLE, MESH_PROC_RUNNING, MESH_PROC_WAITING, MESH_PROC_DONE,
                     MESH_PROC_COPYING };

/* A message in a mailbox. The payload lives in `chunks`/`large` (a heap
 * fragment built by the sender) until the receiver adopts them into its heap. */
enum MeshEnvKind { MESH_ENV_USER, MESH_ENV_CALL, MESH_ENV_CAST, MESH_ENV_REPLY, MESH_ENV_JOB, MESH_ENV_JOB_FAIL,
                   MESH_ENV_EXIT, /* a supervised child ended: from = its pid, ref = 1 if abnormal */
                   /* signal.c: from = the process that ended / sent the signal, reason + text */
                   MESH_ENV_DOWN,      /* a monitor fired: ref = the monitor reference */
                   MESH_ENV_SIGEXIT,   /* an exit signal to a process trapping exits */
                   MESH_ENV_CALL_DOWN  /* the server of a pending service call ended: ref = its monitor */ };
#define MESH_ENV_SMALL_WORDS 8
/* Envelopes are recycled: envelope_alloc (actor.c) sets every field, a new
 * field must be set there too. */
typedef struct MeshEnvelope {
    struct MeshEnvelope *next;
    int        kind;
    int64_t    ref;           /* CALL / REPLY: the call's unique reference */
    int64_t    from;          /* sender pid */
    MeshTypeId type;
    MeshSlot   msg;
    struct MeshChunk *chunks, *large;   /* fragment not yet adopted (NULL after adoption) */
    int        reason;        /* DOWN / SIGEXIT / CALL_DOWN: enum MeshExitReason */
    char      *text;          /* ... and the crash message (malloc'd), or NULL */
    /* actor.c: a small payload copied while the receiver could run: small_len
     * bytes of objects in `small` (msg unset) that the receiver copies into its
     * heap when it collects the envelope; the words set in small_ptrs hold
     * offsets into `small` (internal pointers, relocated then) */
    uint32_t   small_len;
    uint16_t   small_ptrs;
    uint16_t   small_room;    /* words allocated for `small`: 0 or MESH_ENV_SMALL_WORDS */
    uint64_t   small[];       /* (new fields go before this one) */
} MeshEnvelope;

#if defined(__SANITIZE_ADDRESS__)
#define MESH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MESH_ASAN 1
#endif
#endif

/* A process's exit target (proc.c's trampoline; meshP_exit_jump goes there).
 * On x86-64 the compiler's own setjmp, which keeps the frame, stack and resume
 * addresses (5 words), replaces glibc's 200-byte jmp_buf (room for a signal
 * mask nothing here changes): 160 bytes less per process. Not under
 * AddressSanitizer, whose longjmp interceptor clears the redzones of the
 * frames given up (also when a stack overflow jumps from the stack's far end). */
#if defined(__x86_64__) && !defined(MESH_ASAN)
typedef void *MeshExitJmp[5];
#define MESH_EXIT_SETJMP(b) __builtin_setjmp(b)
#else
typedef jmp_buf MeshExitJmp;
#define MESH_EXIT_SETJMP(b) setjmp(b)
#endif

typedef struct MeshProc {
    MeshCtx   ctx;           /* first: &proc->ctx == (MeshCtx *)proc */
    MeshHeap  heap;
    int64_t   pid;
    _Atomic int state;       /* enum MeshProcState; changes under `lock` except RUNNABLE <-> RUNNING */
    MeshSpin  lock;          /* state changes, the incoming queue, wake_pending, links, supervisor */
    MeshEnvelope *in_head, *in_tail;   /* posted by senders, not yet collected (under lock) */
    int       wake_pending;  /* woken while RUNNING: its next wait returns at once (under lock) */
    int       sw_reason;     /* why it switched to its worker (proc.c) */
    uint64_t  wait_gen;      /* numbers timed waits, so a late timer wakes no later wait */
    int64_t   timer_slot;    /* its entry in the timer heap, -1 = none */
    uint64_t  free_epoch;    /* proc.c: freed at this epoch, reusable after a grace period */
    int       exit_status;   /* 0 normal, 1 panicked */
    MeshEntryFn entry;
    void     *sp;            /* saved stack pointer while switched out */
    uint8_t  *stack_lo;      /* lowest usable address (above the guard page) */
    uint8_t  *stack_hi;      /* stack base (highest address) */
    uint8_t  *stack_map;     /* the mapping (guard page included) */
    uint64_t  stack_map_size;
    int       stack_guarded; /* the guard area is PROT_NONE (stack.c) */
    MeshExitJmp exit_jmp;    /* panic and kill target, set in the process trampoline */
    const void *asan_fake;   /* sanitizer fiber bookkeeping */
    MeshSlot *roots;         /* extra roots registered by host code (embed API) */
    uint64_t  nroots, roots_cap;
    struct MeshProc *next;
    /* messages (actor.c) */
    MeshEnvelope *mb_head, *mb_tail;
    MeshSlot  received;      /* last message taken by receive / service_next (a root) */
    MeshClosure *start;      /* spawned body (a root until it runs) */
    MeshClosure *terminate;  /* run when the process ends */
    int64_t   deadline_ns;   /* WAITING with a timeout: wake-up time (0 = none) */
    int64_t   cur_from, cur_ref;   /* request being served (service_next) */
    int       cur_is_call;
    int       panicked;
    char     *panic_msg;     /* malloc'd copy of the panic message, for job results */
    int64_t   job_parent;    /* a Job: who awaits the result (0 = not a job) */
    MeshTypeId job_type;     /* the job's value type */
    MeshEnvelope *timer_env; /* Timer.send_after: the message to deliver */
    int64_t   timer_target, timer_deadline;
    int64_t   supervisor;    /* pid told (MESH_ENV_EXIT) when this process ends, 0 = none */
    int64_t  *links;         /* linked pids: a failure of either kills the other */
    int64_t   nlinks, links_cap;
    int       kill_pending;  /* killed: ends at its next resumption */
    struct MeshSupSpec *sup_spec;  /* a supervisor process's specification */
    /* failure semantics (signal.c) */
    int       exit_reason;   /* set by whoever kills it: MeshExitReason + 1 (0 = not killed) */
    char     *exit_text;     /* ... with its crash text (malloc'd), or NULL */
    int       trap_exit;     /* exit signals arrive as Exit notifications */
    struct MeshMonitor *monitors;  /* monitors watching this process */
    int64_t   nmonitors, monitors_cap;
    struct MeshMonitor *watching;  /* monitors this process holds */
    int64_t   nwatching, watching_cap;
    int64_t   call_ref;      /* the service call this process waits for (0 = none) */
    int64_t   call_timeout_ms;     /* service call timeout (0 = the default, < 0 = none) */
    /* I/O waits (poll.c, pool.c): what proc_free must cancel when a blocked process is killed */
    struct MeshPollRec *poll_rec;  /* the fd record it waits on in meshP_poll_wait, or NULL */
    int       poll_dir;            /* ... and which of its two waiter slots (0 in, 1 out) */
    uint32_t  poll_got;            /* the events that woke it (0: not yet) */
    struct MeshPoolJob *pool_job;  /* its job in meshP_pool_run, or NULL */
    int       embedded;      /* a host's context (mesh_embed_ctx_new): never scheduled, no stack */
} MeshProc;

/* pagepool.c: pools of page-backed blocks (stack slots, heap chunks). Freed
 * blocks stay dirty (reused without a system call or page fault) up to a
 * budget of dirty bytes; the excess goes back to the kernel in batches, one
 * madvise per run of adjacent blocks. Each worker has a small cache per pool. */
#define MESH_PAGES_META ((uintptr_t)0xFFF)     /* an item's low bits: metadata */
#define MESH_PAGES_CLEAN ((uintptr_t)0x800)    /* its pages were given back: they read as zero */
#define MESH_PAGES_CACHE 64
typedef struct MeshPageCache {
    uintptr_t v[MESH_PAGES_CACHE];
    int n;
} MeshPageCache;
typedef struct MeshPagePool {
    pthread_mutex_t lock;
    uintptr_t *dirty;         /* oldest first */
    size_t ndirty, dirty_cap;
    uintptr_t *clean;
    size_t nclean, clean_cap;
    uint64_t dirty_bytes;     /* sum of charge() over `dirty` */
    uint64_t budget;
    uint64_t nfresh;          /* blocks ever made by fresh() */
    uint64_t block_size;      /* blocks this far apart are adjacent */
    uintptr_t (*fresh)(void);                        /* a new block (under the lock) */
    uint64_t (*charge)(uintptr_t v);                 /* bytes a dirty block holds */
    void (*span)(uintptr_t v, uintptr_t *lo, uintptr_t *hi);   /* its range to give back */
    uintptr_t (*cleaned)(uintptr_t v);               /* its item once given back */
    _Atomic uint64_t madvise_calls, given_back;
} MeshPagePool;
typedef struct MeshPageStats {
    uint64_t ndirty, nclean, dirty_bytes, nfresh, madvise_calls, given_back;
} MeshPageStats;
uintptr_t meshP_pages_get(MeshPagePool *pl, MeshPageCache *c);   /* c: the worker's cache or NULL */
void meshP_pages_put(MeshPagePool *pl, MeshPageCache *c, uintptr_t v);
void meshP_pages_flush(MeshPagePool *pl, MeshPageCache *c);      /* the whole cache back to the pool */
void meshP_pages_stats(MeshPagePool *pl, MeshPageStats *s);
extern MeshPagePool meshP_stack_pool, meshP_chunk_pool;

typedef struct MeshWorker {
    void     *sched_sp;      /* scheduler context while a process runs */
    MeshProc *current;
    int       id;
    const void *asan_fake;
    const void *sched_stack_bottom;
    size_t    sched_stack_size;
    /* scheduler (proc.c) */
    MeshDeque dq;                     /* runnable processes */
    _Atomic(MeshProc *) runnext;      /* woken by a send from here: runs next */
    _Atomic uint32_t token;           /* futex word: 1 = woken from parking */
    _Atomic uint64_t seen;            /* epoch seen at its last quiescent point (UINT64_MAX parked) */
    uint32_t  tick, streak;
    uint64_t  rng;
    MeshProc *dead_head, *dead_tail;  /* freed process structs in their grace period (FIFO) */
    int64_t   ndead;
    MeshProc *ready;                  /* ... and past it, most recently freed first */
    int64_t   nready;
    uint64_t  min_seen;               /* cached minimum of all workers' `seen` */
    MeshPageCache stack_cache, chunk_cache;   /* pagepool.c: touched only by this worker's thread */
    int64_t   stacks_held;            /* stacks this worker gave processes minus those it took back */
    int64_t   stacks_seen;            /* all workers' stacks_held, summed every 64 picks (proc.c) */
    pthread_t thread;
    void     *altstack;
    /* actor.c: freed envelopes kept for this worker's next sends (without
     * and with room for a small payload) */
    MeshEnvelope *env_cache;
    int64_t   env_ncache;
    MeshEnvelope *env_small_cache;
    int64_t   env_nsmall;
} MeshWorker;

/* The calling thread's worker, NULL outside workers (proc.c). */
MeshWorker *meshP_worker_self(void);

static inline MeshProc *meshP_proc(MeshCtx *ctx) { return ctx->proc; }

/* gc.c */
/* The heap's granule map: 64 KiB granule -> the chunk covering it (open addressing). */
void meshP_granule_add(MeshHeap *h, struct MeshChunk *c);
void meshP_granule_remove(MeshHeap *h, struct MeshChunk *c);
struct MeshChunk *meshP_granule_find(MeshHeap *h, uintptr_t w);
void meshP_heap_detach(MeshCtx *ctx, struct MeshChunk **chunks, struct MeshChunk **large);
void meshP_heap_adopt(MeshHeap *h, struct MeshChunk *chunks, struct MeshChunk *large);
void meshP_chunks_free(struct MeshChunk *chunks, struct MeshChunk *large);
/* Outside a collection: the object containing w if w points into h (exact, parses the chunk). */
int meshP_heap_find_object(MeshHeap *h, uintptr_t w, uintptr_t *obj_out);
void meshP_heap_init(MeshHeap *h);
void meshP_heap_free(MeshCtx *ctx);   /* return every chunk of its heap to the pool at once */
void meshP_gc_collect(MeshProc *p);
int meshP_is_heap_ptr(MeshHeap *h, uintptr_t w, uintptr_t *obj_out);
uint64_t meshP_obj_size(const MeshObj *o);
void meshP_gc_maybe_collect(MeshCtx *ctx);

/* proc.c */
MeshProc *meshP_proc_spawn(MeshCtx *parent, MeshClosure *body);
/* A process is created, set up, then made runnable (it may run on another
 * worker at once, so everything it needs must be in place first). */
MeshProc *meshP_proc_create(MeshCtx *parent, MeshClosure *body);   /* not yet runnable */
MeshProc *meshP_proc_new_entry(MeshEntryFn entry);   /* a process running a C entry, not yet runnable */
void meshP_proc_ready(MeshProc *p);
/* The process struct stays valid (not reused) until the caller's worker next
 * switches processes; check its pid/state under its lock before acting. */
MeshProc *meshP_proc_lookup(int64_t pid);
static inline void meshP_proc_lock(MeshProc *p) { meshP_spin_lock(&p->lock); }
static inline void meshP_proc_unlock(MeshProc *p) { meshP_spin_unlock(&p->lock); }
/* Append e to q's incoming queue and wake q; 0 (nothing done) when q has ended. */
int meshP_mailbox_post(MeshProc *q, MeshEnvelope *e);
/* Claim q's heap for a sender's copy: returns nonzero with q locked when q
 * cannot run meanwhile (WAITING, or RUNNABLE now marked COPYING); then
 * meshP_mailbox_post_claimed appends e, restores the state and unlocks. */
int meshP_proc_claim(MeshProc *q);
void meshP_mailbox_post_claimed(MeshProc *q, int claim, MeshEnvelope *e);
/* Move the incoming queue to the end of the process's own mailbox list. */
void meshP_mailbox_collect(MeshProc *p);
void meshP_proc_wake(MeshProc *p);
void meshP_proc_kill(MeshProc *p);
void meshP_proc_exited(MeshProc *p);   /* signal.c: links, monitors, supervisor */
void meshP_sup_free(struct MeshSupSpec *s);
void meshP_proc_wait(MeshProc *p, int64_t deadline_ns);   /* block until woken or deadline */
MESH_NORETURN void meshP_exit_jump(MeshProc *p);   /* to p's exit target, from any depth of its stack */
int meshP_proc_may_hibernate(MeshProc *p);                   /* see mesh_actor_may_hibernate */
void meshP_proc_hibernate(MeshProc *p, MeshClosure *restart);
int64_t meshP_now_ns(void);
/* signal.c: exit reasons (the tags of Mesh's ExitReason), links, monitors, exit signals */
enum MeshExitReason { MESH_EXIT_NORMAL, MESH_EXIT_SHUTDOWN, MESH_EXIT_KILLED, MESH_EXIT_CRASHED, MESH_EXIT_NOPROC };
typedef struct MeshMonitor {
    int64_t ref, pid;        /* in `monitors`: the watcher; in `watching`: the target */
    int     internal;        /* a service call's monitor: CALL_DOWN, invisible to receive */
} MeshMonitor;
int64_t meshP_new_ref(void);
void meshP_signal_free(MeshProc *p);     /* proc_free: links, monitors, reason text */
/* Signal q from process `from` with an exit reason (OTP exit/2): kills it, or
 * notifies it when it traps exits; `untrappable` (kill) always kills. */
void meshP_signal_exit(MeshCtx *ctx, int64_t from, MeshProc *q, int reason, const char *text, int untrappable);
MESH_NORETURN void meshP_exit_self(MeshCtx *ctx, int reason, const char *text);
void meshP_sup_exited(MeshProc *p, int reason, const char *text);   /* sup.c */
void meshP_sup_report_ended(MeshProc *sup, MeshProc *child);   /* an EXIT notice for an already ended child */
int64_t meshP_monitor(MeshCtx *ctx, int64_t pid, int internal);
int meshP_demonitor(MeshCtx *ctx, int64_t ref);
/* The reason process p ended with (text: crash message or NULL). */
int meshP_exit_reason(MeshProc *p, const char **text);
/* An ExitReason value (of Mesh type `type`) in ctx's heap. */
MeshObj *meshP_reason_value(MeshCtx *ctx, MeshTypeId type, int reason, const char *text);
/* "normal", "killed", "crashed: boom", ... into buf */
void meshP_reason_text(char *buf, size_t n, int reason, const char *text);
/* actor.c */
void meshP_deliver(MeshProc *q, MeshEnvelope *e);
void meshP_envelope_free(MeshEnvelope *e);
void meshP_mailbox_free(MeshProc *p);
void meshP_env_cache_free(MeshWorker *w);   /* the worker's cached envelopes (sched_free) */
/* Copy a small envelope's payload into the collecting process's heap. */
void meshP_envelope_unpack(MeshProc *p, MeshEnvelope *e);
void meshP_job_done(MeshProc *p, MeshSlot result, const char *error);
MeshSlot meshP_copy(MeshCtx *dst, MeshHeap *src, MeshTypeId t, MeshSlot v);
extern int meshP_gc_stress;
extern int meshP_gc_trace;   /* MESH_GC_TRACE=1: one line per collection on stderr */
const MeshType *meshP_type(MeshTypeId id);
void meshP_set_program_types(const MeshType *types, uint32_t n);
uint8_t *meshP_stack_pointer(void);

/* poll.c, pool.c: the epoll poller and the blocking thread pool (the scheduler's side of
 * the protocol is in proc.c's design comment). meshP_io_pending counts processes waiting
 * for an fd and pool jobs not yet handed back: the program does not end while it is > 0. */
extern _Atomic int64_t meshP_io_pending;
extern _Atomic int meshP_poll_owner;       /* the worker inside epoll_wait (or polling), -1 = none */
/* Wait until fd is ready for `events` (EPOLLIN and/or EPOLLOUT), timeout_ms passes (< 0: no
 * timeout) or the process is killed (then it does not return). Returns the ready events
 * (> 0; may be spurious: retry the I/O on EAGAIN), 0 on timeout, -errno on error (-EBUSY: another
 * process already waits on that fd in that direction). */
int meshP_poll_wait(MeshCtx *ctx, int fd, uint32_t events, int64_t timeout_ms);
/* Scheduler side, called by the worker holding meshP_poll_owner: wait for events until
 * deadline_ns (0: do not block, INT64_MAX: no deadline) and keep them; then, once out of
 * the idle set, dispatch them (wake their processes, hand back finished pool jobs). */
void meshP_poll_fetch(int64_t deadline_ns);
void meshP_poll_dispatch(void);
void meshP_poll_kick(void);                /* make the worker in epoll_wait return */
void meshP_poll_proc_ended(MeshProc *p);   /* proc_free: drop p's fd wait */
/* Run fn(arg) on a pool thread while the calling process waits (its worker runs others).
 * arg must not live on the process's stack or heap: when the process is killed meanwhile,
 * the job still finishes and then drop(arg) runs (drop may be NULL), the process is gone. */
void meshP_pool_run(MeshCtx *ctx, void (*fn)(void *), void *arg, void (*drop)(void *));
void meshP_pool_proc_ended(MeshProc *p);   /* proc_free: abandon p's job */
void meshP_pool_dispatch(void);            /* hand finished jobs back (wake their processes) */
int meshP_poll_init(void);                 /* the epoll set and its eventfd; 0 when unavailable */
/* proc.c: wake a parked worker so that it becomes the poller (none is in epoll_wait). */
void meshP_sched_want_poller(void);

/* stack.c: spawned processes' stacks are MESH_STACK_SLOT-byte slots of
 * shared reservations, the lowest MESH_STACK_GUARD bytes a guard area. */
#define MESH_STACK_SLOT ((uint64_t)256 << 10)
#define MESH_STACK_GUARD ((uint64_t)16 << 10)
/* Stack kept free below ctx->stack_limit for the runtime functions compiled
 * code calls: an overflow is caught by compiled code's own check, never in the
 * middle of malloc or under a runtime lock (the guard page is the backstop). */
#define MESH_STACK_HEADROOM ((uint64_t)32 << 10)
void meshP_stack_alloc(MeshWorker *w, MeshProc *p, uint64_t size);   /* w: the calling worker or NULL */
void meshP_stack_release(MeshWorker *w, MeshProc *p);

/* Allocate a zeroed object (header written). Never returns NULL. */
static inline MeshObj *meshP_alloc(MeshCtx *ctx, uint64_t size, MeshTypeId type_id, uint32_t kind,
                                   uint32_t aux)
{
    return mesh_gc_alloc(ctx, size, type_id, kind, aux);
}

/* Private-kind object: size recorded in aux / the word after the header. */
MeshObj *meshP_alloc_priv(MeshCtx *ctx, uint64_t size, MeshTypeId type_id, uint32_t kind);

/* ------------------------------------------------------------ helpers */

static inline MeshSlot meshP_f2s(double d) { MeshSlot s; memcpy(&s, &d, 8); return s; }
static inline double meshP_s2f(MeshSlot s) { double d; memcpy(&d, &s, 8); return d; }
static inline MeshSlot meshP_p2s(const void *p) { return (MeshSlot)(uintptr_t)p; }
static inline void *meshP_s2p(MeshSlot s) { return (void *)(uintptr_t)s; }

/* Call a closure from the runtime with the slot signature. */
typedef MeshSlot (*MeshFn1)(MeshCtx *, MeshClosure *, MeshSlot);
typedef MeshSlot (*MeshFn2)(MeshCtx *, MeshClosure *, MeshSlot, MeshSlot);
static inline MeshSlot meshP_call1(MeshCtx *ctx, MeshClosure *f, MeshSlot a)
{
    return ((MeshFn1)f->fn)(ctx, f, a);
}
static inline MeshSlot meshP_call2(MeshCtx *ctx, MeshClosure *f, MeshSlot a, MeshSlot b)
{
    return ((MeshFn2)f->fn)(ctx, f, a, b);
}

/* String building (str.c): a growable malloc buffer turned into a Mesh string. */
typedef struct MeshBuf {
    char    *data;
    uint64_t len, cap;
} MeshBuf;
void meshP_buf_put(MeshBuf *b, const char *s, uint64_t n);
void meshP_buf_puts(MeshBuf *b, const char *s);
void meshP_buf_putc(MeshBuf *b, char c);
MeshString *meshP_buf_finish(MeshCtx *ctx, MeshBuf *b);  /* frees the buffer */
static inline MeshString *meshP_str_lit(MeshCtx *ctx, const char *s)
{
    return mesh_string_new(ctx, s, (int64_t)strlen(s));
}

/* value.c: append the Display / Debug text of a value to a buffer. */
void meshP_show(MeshCtx *ctx, MeshBuf *b, MeshTypeId t, MeshSlot v, int debug);
void meshP_quote(MeshBuf *b, const char *p, uint64_t n);

/* list.c internals used by other collections */
typedef struct MeshListBuf {
    MeshObj  hdr;          /* kind INTERNAL, type_id MESH_SUB_LISTBUF, aux BIG */
    uint64_t nbytes;
    MeshTypeId elem;       /* element type (for tracing) */
    uint32_t pad;
    int64_t  cap;
    int64_t  front;        /* lowest used index */
    int64_t  used;         /* one past the highest used index */
    MeshSlot slots[];
} MeshListBuf;

struct MeshList {
    MeshObj      hdr;      /* kind LIST, type_id = the list type, aux = size in words */
    int64_t      len;
    int64_t      off;      /* index of the first element in buf */
    MeshListBuf *buf;      /* NULL when empty */
};

/* Collect into a fresh list: a builder allocates one buffer and appends. */
MeshList *meshP_list_with_capacity(MeshCtx *ctx, MeshTypeId list_type, int64_t cap);
MeshList *meshP_list_push(MeshCtx *ctx, MeshList *l, MeshSlot x);  /* = mesh_list_append */
static inline MeshSlot meshP_list_at(MeshList *l, int64_t i) { return l->buf->slots[l->off + i]; }

struct MeshQueue {
    MeshObj   hdr;        /* kind QUEUE, type_id = the queue type, aux = 2 words */
    MeshList *items;      /* a list typed with the queue's type id (same elem) */
};

/* map.c: hash trie nodes (the collector traces them; layout described in map.c).
 * An entry is `ew` slots: the key, its index in the order vector and, when
 * ew == 3 (maps), the value. */
typedef struct MeshTrieNode {
    MeshObj  hdr;          /* INTERNAL, MESH_SUB_HAMT; aux = words allocated (>= what is used) */
    uint64_t datamap;      /* hash fragments holding an entry */
    uint64_t nodemap;      /* hash fragments holding a child node */
    uint32_t kt, vt;       /* key and value types */
    uint32_t ew;           /* slots per entry: 2 (sets) or 3 (maps) */
    uint32_t tok;          /* owning session, 0 = immutable */
    MeshSlot s[];          /* entries in datamap order, then children in nodemap order */
} MeshTrieNode;
typedef struct MeshTrieColl {
    MeshObj  hdr;          /* INTERNAL, MESH_SUB_COLL: keys whose 64-bit hashes are equal */
    uint32_t n, kt, vt, ew;
    MeshSlot s[];          /* n entries */
} MeshTrieColl;

/* map.c internals shared with set.c */
typedef struct MeshTable MeshTable;
struct MeshTable {
    MeshObj  hdr;          /* kind MAP or SET, type_id = the Mesh type, aux = words */
    int64_t  size;         /* live entries */
    int64_t  count;        /* entries ever appended to the order vector (incl. tombstones) */
    MeshObj *root;         /* hash trie: key -> index in the order vector */
    MeshObj *order;        /* persistent vector of entries (key, value) in insertion order */
    uint32_t shift;        /* order vector depth * 5 */
    MeshTypeId key_type;
    MeshTypeId val_type;
    uint32_t pad;
};
MeshTable *meshP_table_new(MeshCtx *ctx, MeshTypeId type_id, uint32_t kind, MeshTypeId kt, MeshTypeId vt);
MeshTable *meshP_table_put(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot v);
/* ... in place on a table this session built (token from mesh_session_token) */
MeshTable *meshP_table_put_owned(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot v, MeshInt token);
MeshTable *meshP_table_delete(MeshCtx *ctx, MeshTable *t, MeshSlot k);
int meshP_table_find(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot *v_out);
/* Iterate in insertion order: i from 0; returns 0 when done. */
int meshP_table_next(MeshTable *t, int64_t *pos, MeshSlot *k, MeshSlot *v);
MeshSlot meshP_table_key_at(MeshCtx *ctx, MeshTable *t, MeshInt i);

#endif
