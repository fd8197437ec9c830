/*
 * sup.c -- supervisors (prefix mesh_supervisor_).
 *
 * A specification is an OPAQUE heap object pointing at a malloc'd
 * MeshSupSpec. mesh_supervisor_start spawns the supervisor process, copies the
 * children's start closures into its heap (kept as roots) and hands it the
 * specification. The supervisor marks each child process with its pid, so
 * the child's end arrives as a MESH_ENV_EXIT envelope (ref = 1 when it ended
 * abnormally: not normal, not shutdown), and restarts children as the
 * strategy says.
 *
 * Stopping a child (a restart of several, too many restarts, the supervisor's
 * own shutdown) honours its `shutdown`: 0 (brutal_kill) kills it at once;
 * otherwise it gets an exit signal with reason Shutdown -- which ends it
 * unless it traps exits, in which case it receives Exit(supervisor, Shutdown)
 * -- and the supervisor waits that many ms (-1: forever) for it to end before
 * killing it. Children stop one by one in reverse start order. The supervisor
 * traps exits itself: an exit signal (its parent supervisor stopping it, a
 * link) makes it stop its children and end with the same reason, so nested
 * supervisors shut their subtree down. Killing is asynchronous: a killed
 * process ends at its next resumption.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

typedef struct SupChild {
    char        *id;
    MeshClosure *start;          /* in the supervisor's heap once started */
    int64_t      restart, shutdown_ms, type;
    int64_t      pid;            /* 0 = not running */
} SupChild;

typedef struct MeshSupSpec {
    int64_t   strategy, max_restarts, max_seconds;
    SupChild *children;
    int64_t   n, cap;
    int64_t  *restarts;          /* times (ns) of recent restarts, ring of max_restarts + 1 */
    int64_t   nrestarts;
} MeshSupSpec;

typedef struct SpecObj {
    MeshObj      hdr;            /* kind OPAQUE, aux = 2 words */
    MeshSupSpec *spec;
} SpecObj;

void meshP_sup_free(MeshSupSpec *s)
{
    for (int64_t i = 0; i < s->n; i++) free(s->children[i].id);
    free(s->children);
    free(s->restarts);
    free(s);
}

MeshObj *mesh_supervisor_new(MeshCtx *ctx, MeshInt strategy, MeshInt max_restarts, MeshInt max_seconds)
{
    MeshSupSpec *s = calloc(1, sizeof *s);
    if (!s) meshP_fatal("out of memory");
    s->strategy = strategy;
    s->max_restarts = max_restarts < 0 ? 0 : max_restarts;
    s->max_seconds = max_seconds;
    SpecObj *o = (SpecObj *)meshP_alloc_priv(ctx, sizeof(SpecObj), MESH_TYPE_INTERNAL, MESH_KIND_OPAQUE);
    o->spec = s;
    return &o->hdr;
}

void mesh_supervisor_add_child(MeshCtx *ctx, MeshObj *spec, MeshString *id, MeshClosure *start, MeshInt restart,
                               MeshInt shutdown_ms, MeshInt child_type)
{
    MESH_UNUSED(ctx);
    MeshSupSpec *s = ((SpecObj *)spec)->spec;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->children = realloc(s->children, (size_t)s->cap * sizeof(SupChild));
        if (!s->children) meshP_fatal("out of memory");
    }
    SupChild *c = &s->children[s->n++];
    c->id = strndup(id->bytes, id->len);
    c->start = start;            /* still in the caller's heap: copied at start */
    c->restart = restart;
    c->shutdown_ms = shutdown_ms;
    c->type = child_type;
    c->pid = 0;
}

/* Only the supervisor writes its children's pids; mesh_supervisor_count_children
 * reads them from other processes (under the supervisor's lock, which keeps the
 * spec from being freed), hence the atomic accesses. */
static void set_pid(SupChild *c, int64_t pid)
{
    __atomic_store_n(&c->pid, pid, __ATOMIC_RELAXED);
}

static void start_child(MeshCtx *ctx, SupChild *c)
{
    MeshSlot pid = ((MeshSlot (*)(MeshCtx *, MeshClosure *))c->start->fn)(ctx, c->start);
    set_pid(c, (int64_t)pid);
    MeshProc *q = meshP_proc_lookup(c->pid);
    if (!q) {
        set_pid(c, 0);
        return;
    }
    /* it may already run, even have ended, on another worker: mark it under
     * its lock; one that ended first is reported as if it had been marked */
    meshP_proc_lock(q);
    int done = q->state == MESH_PROC_DONE;
    if (!done) q->supervisor = ctx->proc->pid;
    meshP_proc_unlock(q);
    if (done) meshP_sup_report_ended(ctx->proc, q);
}

/* Take the EXIT envelope of child `pid` (any child when pid is 0) or, with
 * `signals`, an exit signal sent to the supervisor; waits until deadline_ns
 * (0: forever). NULL on timeout. */
static MeshEnvelope *take_exit(MeshProc *p, int64_t pid, int signals, int64_t deadline_ns)
{
    for (;;) {
        meshP_mailbox_collect(p);
        MeshEnvelope *prev = NULL;
        for (MeshEnvelope *e = p->mb_head; e; prev = e, e = e->next) {
            if ((e->kind == MESH_ENV_EXIT && (!pid || e->from == pid)) || (signals && e->kind == MESH_ENV_SIGEXIT)) {
                if (prev) prev->next = e->next;
                else p->mb_head = e->next;
                if (p->mb_tail == e) p->mb_tail = prev;
                return e;
            }
        }
        if (deadline_ns && meshP_now_ns() >= deadline_ns) return NULL;
        meshP_proc_wait(p, deadline_ns);
    }
}

static void stop_child(MeshCtx *ctx, SupChild *c)
{
    MeshProc *p = ctx->proc, *q = meshP_proc_lookup(c->pid);
    int64_t pid = c->pid;
    set_pid(c, 0);
    if (!q) return;
    meshP_proc_lock(q);
    int ours = q->state != MESH_PROC_DONE && q->supervisor == p->pid;
    meshP_proc_unlock(q);
    if (!ours) return;
    if (c->shutdown_ms == 0) {
        meshP_signal_exit(ctx, p->pid, q, MESH_EXIT_KILLED, NULL, 1);
    } else {
        meshP_signal_exit(ctx, p->pid, q, MESH_EXIT_SHUTDOWN, NULL, 0);
        int64_t deadline = c->shutdown_ms > 0 ? meshP_now_ns() + c->shutdown_ms * 1000000 : 0;
        MeshEnvelope *e = take_exit(p, pid, 0, deadline);
        if (e) {
            meshP_envelope_free(e);
            return;
        }
        /* it did not end in time */
        meshP_signal_exit(ctx, p->pid, meshP_proc_lookup(pid), MESH_EXIT_KILLED, NULL, 1);
    }
    meshP_envelope_free(take_exit(p, pid, 0, 0));
}

static void stop_all(MeshCtx *ctx, MeshSupSpec *s, int64_t from)
{
    for (int64_t i = s->n - 1; i >= from; i--) stop_child(ctx, &s->children[i]);
}

/* The supervisor p ended (possibly killed before it could stop its children):
 * its remaining children get an exit signal with its reason, as over a link. */
void meshP_sup_exited(MeshProc *p, int reason, const char *text)
{
    MeshSupSpec *s = p->sup_spec;
    for (int64_t i = 0; i < s->n; i++) {
        MeshProc *q = meshP_proc_lookup(s->children[i].pid);
        set_pid(&s->children[i], 0);
        if (!q) continue;
        meshP_proc_lock(q);
        int ours = q->state != MESH_PROC_DONE && q->supervisor == p->pid;
        if (ours) q->supervisor = 0;
        meshP_proc_unlock(q);
        if (!ours) continue;
        meshP_signal_exit(NULL, p->pid, q, reason == MESH_EXIT_NORMAL ? MESH_EXIT_SHUTDOWN : reason, text, 0);
    }
}

/* Restart intensity: may we restart once more now? */
static int may_restart(MeshSupSpec *s)
{
    int64_t now = meshP_now_ns(), window = s->max_seconds * 1000000000;
    int64_t recent = 0;
    for (int64_t i = 0; i < s->nrestarts; i++)
        if (now - s->restarts[i] <= window) s->restarts[recent++] = s->restarts[i];
    s->nrestarts = recent;
    if (recent >= s->max_restarts) return 0;
    s->restarts[s->nrestarts++] = now;
    return 1;
}

static void supervisor_entry(MeshCtx *ctx)
{
    MeshProc *p = ctx->proc;
    MeshSupSpec *s = p->sup_spec;
    p->trap_exit = 1;
    for (int64_t i = 0; i < s->n; i++) start_child(ctx, &s->children[i]);
    for (;;) {
        MeshEnvelope *e = take_exit(p, 0, 1, 0);
        if (e->kind == MESH_ENV_SIGEXIT) {
            int reason = e->reason;
            if (reason == MESH_EXIT_NORMAL) {
                meshP_envelope_free(e);   /* a linked process ended normally */
                continue;
            }
            /* told to stop: stop the children, then end with that reason */
            stop_all(ctx, s, 0);
            char text[256];
            snprintf(text, sizeof text, "%s", e->text ? e->text : "");
            int has_text = e->text != NULL;
            meshP_envelope_free(e);
            meshP_exit_self(ctx, reason, has_text ? text : NULL);
        }
        int64_t pid = e->from, abnormal = e->ref;
        meshP_envelope_free(e);
        int64_t k = -1;
        for (int64_t i = 0; i < s->n; i++)
            if (s->children[i].pid == pid) k = i;
        if (k < 0) continue;
        SupChild *c = &s->children[k];
        set_pid(c, 0);
        int restart = c->restart == 0 || (c->restart == 1 && abnormal);
        if (!restart) continue;
        if (!may_restart(s)) {
            /* too many restarts: stop everything and fail */
            stop_all(ctx, s, 0);
            mesh_panic(ctx, "supervisor: too many restarts", 29);
        }
        if (s->strategy == 1) {            /* one_for_all */
            stop_all(ctx, s, 0);
            for (int64_t i = 0; i < s->n; i++) start_child(ctx, &s->children[i]);
        } else if (s->strategy == 2) {     /* rest_for_one */
            stop_all(ctx, s, k + 1);
            for (int64_t i = k; i < s->n; i++) start_child(ctx, &s->children[i]);
        } else {                           /* one_for_one, simple_one_for_one */
            start_child(ctx, c);
        }
    }
}

MeshInt mesh_supervisor_start(MeshCtx *ctx, MeshObj *spec)
{
    MeshSupSpec *s = ((SpecObj *)spec)->spec;
    ((SpecObj *)spec)->spec = NULL;
    MeshProc *p = meshP_proc_new_entry(supervisor_entry);
    p->sup_spec = s;
    s->restarts = calloc((size_t)s->max_restarts + 1, sizeof(int64_t));
    if (!s->restarts) meshP_fatal("out of memory");
    p->heap.gc_disabled = 1;
    for (int64_t i = 0; i < s->n; i++) {
        SupChild *c = &s->children[i];
        c->start = meshP_s2p(meshP_copy(&p->ctx, &ctx->proc->heap, c->start->hdr.type_id, meshP_p2s(c->start)));
        mesh_embed_add_root(&p->ctx, meshP_p2s(c->start));
    }
    p->heap.gc_disabled = 0;
    MeshInt pid = p->pid;
    meshP_proc_ready(p);         /* set up: now it may run anywhere */
    return pid;
}

MeshInt mesh_supervisor_count_children(MeshCtx *ctx, MeshInt sup)
{
    MESH_UNUSED(ctx);
    MeshProc *p = meshP_proc_lookup(sup);
    if (!p) return 0;
    MeshInt n = 0;
    meshP_proc_lock(p);   /* a live supervisor's spec is freed only after it ends */
    if (p->state != MESH_PROC_DONE && p->sup_spec)
        for (int64_t i = 0; i < p->sup_spec->n; i++)
            n += __atomic_load_n(&p->sup_spec->children[i].pid, __ATOMIC_RELAXED) != 0;
    meshP_proc_unlock(p);
    return n;
}
