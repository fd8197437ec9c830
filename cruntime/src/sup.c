/*
 * sup.c -- supervisors (prefix mesh_supervisor_).
 *
 * A specification is an OPAQUE heap object pointing at a malloc'd
 * MeshSupSpec. mesh_supervisor_start spawns the supervisor process, copies the
 * children's start closures into its heap (kept as roots) and hands it the
 * specification. The supervisor marks each child process with its pid, so
 * the child's end arrives as a MESH_ENV_EXIT envelope (ref = 1 when the child
 * panicked or was killed), and restarts children as the strategy says.
 * Killing is asynchronous: a killed process ends at its next resumption.
 */
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

/* The child may already run (and even have ended) on another worker when
 * its start function returns: its supervisor is set under its lock, and a
 * child that ended before that is reported as if it had been supervised. */
static void start_child(MeshCtx *ctx, SupChild *c)
{
    MeshSlot pid = ((MeshSlot (*)(MeshCtx *, MeshClosure *))c->start->fn)(ctx, c->start);
    c->pid = (int64_t)pid;
    MeshProc *q = meshP_proc_lookup(c->pid);
    if (!q) {
        c->pid = 0;
        return;
    }
    meshP_proc_lock(q);
    int done = q->state == MESH_PROC_DONE;
    if (!done) q->supervisor = ctx->proc->pid;
    int abnormal = q->exit_status != 0;
    meshP_proc_unlock(q);
    if (done) {
        MeshEnvelope *e = calloc(1, sizeof *e);
        if (!e) meshP_fatal("out of memory");
        e->kind = MESH_ENV_EXIT;
        e->from = c->pid;
        e->ref = abnormal;
        if (!meshP_mailbox_post(ctx->proc, e)) free(e);
    }
}

static void stop_child(SupChild *c)
{
    MeshProc *q = meshP_proc_lookup(c->pid);
    if (q) {
        meshP_proc_lock(q);
        q->supervisor = 0;       /* an ordered stop is not a failure to react to */
        meshP_proc_unlock(q);
        meshP_proc_kill(q);
    }
    c->pid = 0;
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
    for (int64_t i = 0; i < s->n; i++) start_child(ctx, &s->children[i]);
    for (;;) {
        /* wait for a child's end */
        MeshEnvelope *e = NULL, *prev = NULL;
        for (;;) {
            meshP_mailbox_collect(p);
            prev = NULL;
            for (e = p->mb_head; e; prev = e, e = e->next)
                if (e->kind == MESH_ENV_EXIT) break;
            if (e) break;
            meshP_proc_wait(p, 0);
        }
        int64_t pid = e->from, abnormal = e->ref;
        if (prev) prev->next = e->next;
        else p->mb_head = e->next;
        if (p->mb_tail == e) p->mb_tail = prev;
        free(e);
        int64_t k = -1;
        for (int64_t i = 0; i < s->n; i++)
            if (s->children[i].pid == pid) k = i;
        if (k < 0) continue;
        SupChild *c = &s->children[k];
        c->pid = 0;
        int restart = c->restart == 0 || (c->restart == 1 && abnormal);
        if (!restart) continue;
        if (!may_restart(s)) {
            /* too many restarts: stop everything and fail */
            for (int64_t i = s->n - 1; i >= 0; i--) stop_child(&s->children[i]);
            mesh_panic(ctx, "supervisor: too many restarts", 29);
        }
        if (s->strategy == 1) {            /* one_for_all */
            for (int64_t i = s->n - 1; i >= 0; i--) stop_child(&s->children[i]);
            for (int64_t i = 0; i < s->n; i++) start_child(ctx, &s->children[i]);
        } else if (s->strategy == 2) {     /* rest_for_one */
            for (int64_t i = s->n - 1; i > k; i--) stop_child(&s->children[i]);
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
    if (!p || !p->sup_spec) return 0;
    MeshInt n = 0;
    for (int64_t i = 0; i < p->sup_spec->n; i++) n += p->sup_spec->children[i].pid != 0;
    return n;
}
