/*
 * signal.c -- failure semantics: exit reasons, links, monitors, exit signals,
 * trap_exit (prefixes mesh_process_, mesh_actor_link/unlink, meshP_signal_).
 *
 * Every process ends with a reason (enum MeshExitReason, the tags of Mesh's
 * builtin `ExitReason`): normal (its body returned), crashed (it panicked;
 * the text is the panic message), or the reason of whoever killed it
 * (shutdown, killed, or a reason passed to Process.exit / propagated over a
 * link). When a process ends (meshP_proc_exited, called once by the
 * scheduler after the process is DONE):
 *   - each linked process gets an exit signal with that reason: a process
 *     trapping exits receives an Exit notification (envelope SIGEXIT),
 *     otherwise an abnormal reason kills it with the same reason and a normal
 *     one is ignored;
 *   - each monitor fires: its holder receives a Down notification (envelope
 *     DOWN, or CALL_DOWN for the monitor a pending service call holds);
 *   - its supervisor is told (envelope EXIT, sup.c).
 * Notifications are envelopes marked by their kind, never user payload; the
 * Mesh values (`Down(ref, pid, reason)` / `Exit(pid, reason)`) are built by
 * the receiving process itself when a receive with such arms looks at them
 * (actor.c), so no other process's heap is touched here.
 *
 * Another process's state is only touched by the small functions below
 * (link_add/link_remove, mon_add/mon_remove, meshP_signal_exit, deliver),
 * under that process's lock, one process locked at a time. Links and
 * monitors are added to a process only while it is not DONE (checked under
 * its lock); its end takes them under its lock after DONE, so every link and
 * monitor is either refused (noproc) or seen by meshP_proc_exited. A Down is
 * posted under the watcher's lock in the same step that removes the monitor
 * from its `watching`, so demonitor either removes the monitor first (no
 * Down ever comes) or finds the Down in the mailbox.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static int64_t ref_counter;

int64_t meshP_new_ref(void)
{
    return __atomic_add_fetch(&ref_counter, 1, __ATOMIC_RELAXED);
}

static char *dup_text(const char *s)
{
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) meshP_fatal("out of memory");
    return d;
}

static int alive(MeshProc *q) { return q && q->state != MESH_PROC_DONE; }

/* ------------------------------------------------------------ reasons */

int meshP_exit_reason(MeshProc *p, const char **text)
{
    if (p->exit_reason) {
        *text = p->exit_text;
        return p->exit_reason - 1;
    }
    if (p->exit_status) {
        if (!p->panicked && !p->panic_msg) {
            *text = NULL;
            return MESH_EXIT_KILLED;
        }
        *text = p->panic_msg ? p->panic_msg : "stack overflow";   /* the overflow handler saves no text */
        return MESH_EXIT_CRASHED;
    }
    *text = NULL;
    return MESH_EXIT_NORMAL;
}

void meshP_reason_text(char *buf, size_t n, int reason, const char *text)
{
    static const char *const names[] = {"normal", "shutdown", "killed", "crashed", "noproc"};
    const char *name = reason >= 0 && reason <= MESH_EXIT_NOPROC ? names[reason] : "unknown";
    if (reason == MESH_EXIT_CRASHED && text) snprintf(buf, n, "%s: %s", name, text);
    else snprintf(buf, n, "%s", name);
}

MeshObj *meshP_reason_value(MeshCtx *ctx, MeshTypeId type, int reason, const char *text)
{
    if (reason != MESH_EXIT_CRASHED) return mesh_gc_alloc(ctx, 8, type, MESH_KIND_VARIANT, (uint32_t)reason);
    MeshString *s = meshP_str_lit(ctx, text ? text : "");
    MeshFields *v = (MeshFields *)mesh_gc_alloc(ctx, 16, type, MESH_KIND_VARIANT, (uint32_t)reason);
    v->slots[0] = meshP_p2s(s);
    return &v->hdr;
}

MeshObj *mesh_process_exit_reason(MeshCtx *ctx, MeshTypeId result_type)
{
    const char *text;
    int reason = meshP_exit_reason(ctx->proc, &text);
    return meshP_reason_value(ctx, result_type, reason, text);
}

static MeshEnvelope *notice(int kind, int64_t from, int64_t ref, int reason, const char *text)
{
    MeshEnvelope *e = calloc(1, sizeof *e);
    if (!e) meshP_fatal("out of memory");
    e->kind = kind;
    e->from = from;
    e->ref = ref;
    e->reason = reason;
    e->text = dup_text(text);
    return e;
}

/* End q with a reason. The running process unwinds at once; another ends
 * when it next resumes (meshP_proc_kill). The first reason wins. */
static void kill_with(MeshCtx *ctx, MeshProc *q, int reason, const char *text)
{
    if (!q) return;
    meshP_proc_lock(q);
    if (!alive(q) || q->kill_pending || q->exit_reason) {
        meshP_proc_unlock(q);
        return;
    }
    q->exit_reason = reason + 1;
    q->exit_text = dup_text(text);
    meshP_proc_unlock(q);
    if (ctx && q == ctx->proc) {
        q->exit_status = reason != MESH_EXIT_NORMAL;
        q->job_parent = 0;
        meshP_exit_jump(q);
    }
    meshP_proc_kill(q);
}

void meshP_exit_self(MeshCtx *ctx, int reason, const char *text)
{
    kill_with(ctx, ctx->proc, reason, text);
    meshP_fatal("a process could not end itself");
}

void meshP_signal_exit(MeshCtx *ctx, int64_t from, MeshProc *q, int reason, const char *text, int untrappable)
{
    if (!alive(q)) return;
    if (untrappable) kill_with(ctx, q, MESH_EXIT_KILLED, NULL);
    else if (__atomic_load_n(&q->trap_exit, __ATOMIC_ACQUIRE)) meshP_deliver(q, notice(MESH_ENV_SIGEXIT, from, 0, reason, text));
    /* Normal ends nobody -- except the caller itself, as erlang:exit(self(), normal) */
    else if (reason != MESH_EXIT_NORMAL || (ctx && q == ctx->proc)) kill_with(ctx, q, reason, text);
}

/* ------------------------------------------------------------ links */

static void link_add(MeshProc *p, int64_t pid)
{
    for (int64_t i = 0; i < p->nlinks; i++)
        if (p->links[i] == pid) return;
    if (p->nlinks == p->links_cap) {
        p->links_cap = p->links_cap ? p->links_cap * 2 : 4;
        p->links = realloc(p->links, (size_t)p->links_cap * sizeof(int64_t));
        if (!p->links) meshP_fatal("out of memory");
    }
    p->links[p->nlinks++] = pid;
}

static void link_remove(MeshProc *p, int64_t pid)
{
    for (int64_t i = 0; i < p->nlinks; i++)
        if (p->links[i] == pid) {
            p->links[i] = p->links[--p->nlinks];
            return;
        }
}

void mesh_actor_link(MeshCtx *ctx, MeshInt pid)
{
    MeshProc *p = ctx->proc, *q = meshP_proc_lookup(pid);
    if (q == p) return;
    int ok = 0;
    if (q) {
        meshP_proc_lock(q);
        ok = alive(q);
        if (ok) link_add(q, p->pid);
        meshP_proc_unlock(q);
    }
    if (!ok) {
        /* linking to a process that is gone: a process trapping exits is told
         * (Exit(pid, Noproc)); others go on, as in the reference */
        if (__atomic_load_n(&p->trap_exit, __ATOMIC_ACQUIRE))
            meshP_deliver(p, notice(MESH_ENV_SIGEXIT, pid, 0, MESH_EXIT_NOPROC, NULL));
        return;
    }
    meshP_proc_lock(p);
    link_add(p, pid);
    meshP_proc_unlock(p);
}

void mesh_actor_unlink(MeshCtx *ctx, MeshInt pid)
{
    MeshProc *p = ctx->proc, *q = meshP_proc_lookup(pid);
    meshP_proc_lock(p);
    link_remove(p, pid);
    meshP_proc_unlock(p);
    if (q) {
        meshP_proc_lock(q);
        link_remove(q, p->pid);
        meshP_proc_unlock(q);
    }
}

/* ------------------------------------------------------------ monitors */

static void mon_add(MeshMonitor **arr, int64_t *n, int64_t *cap, int64_t ref, int64_t pid, int internal)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        *arr = realloc(*arr, (size_t)*cap * sizeof(MeshMonitor));
        if (!*arr) meshP_fatal("out of memory");
    }
    (*arr)[(*n)++] = (MeshMonitor){ref, pid, internal};
}

/* Remove the monitor `ref`; returns 1 and its pid if it was there. */
static int mon_remove(MeshMonitor *arr, int64_t *n, int64_t ref, int64_t *pid)
{
    for (int64_t i = 0; i < *n; i++)
        if (arr[i].ref == ref) {
            if (pid) *pid = arr[i].pid;
            arr[i] = arr[--*n];
            return 1;
        }
    return 0;
}

int64_t meshP_monitor(MeshCtx *ctx, int64_t pid, int internal)
{
    MeshProc *p = ctx->proc, *q = meshP_proc_lookup(pid);
    int64_t ref = meshP_new_ref();
    /* our side first: q's end looks for it there before it sends the Down */
    meshP_proc_lock(p);
    mon_add(&p->watching, &p->nwatching, &p->watching_cap, ref, pid, internal);
    meshP_proc_unlock(p);
    int ok = 0;
    if (q) {
        meshP_proc_lock(q);
        ok = alive(q);
        if (ok) mon_add(&q->monitors, &q->nmonitors, &q->monitors_cap, ref, p->pid, internal);
        meshP_proc_unlock(q);
    }
    if (!ok) {   /* already gone: fires at once */
        meshP_proc_lock(p);
        mon_remove(p->watching, &p->nwatching, ref, NULL);
        meshP_proc_unlock(p);
        meshP_deliver(p, notice(internal ? MESH_ENV_CALL_DOWN : MESH_ENV_DOWN, pid, ref, MESH_EXIT_NOPROC, NULL));
    }
    return ref;
}

int meshP_demonitor(MeshCtx *ctx, int64_t ref)
{
    MeshProc *p = ctx->proc;
    int64_t target = 0;
    meshP_proc_lock(p);
    int found = mon_remove(p->watching, &p->nwatching, ref, &target);
    meshP_proc_unlock(p);
    if (found) {
        /* still armed, so its Down was not delivered (firing disarms it) */
        MeshProc *q = meshP_proc_lookup(target);
        if (q) {
            meshP_proc_lock(q);
            mon_remove(q->monitors, &q->nmonitors, ref, NULL);
            meshP_proc_unlock(q);
        }
        return 1;
    }
    /* drop a notification already delivered but not yet received */
    meshP_mailbox_collect(p);
    MeshEnvelope *prev = NULL;
    for (MeshEnvelope *e = p->mb_head; e; prev = e, e = e->next) {
        if ((e->kind == MESH_ENV_DOWN || e->kind == MESH_ENV_CALL_DOWN) && e->ref == ref) {
            if (prev) prev->next = e->next;
            else p->mb_head = e->next;
            if (p->mb_tail == e) p->mb_tail = prev;
            meshP_envelope_free(e);
            found = 1;
            break;
        }
    }
    return found;
}

MeshInt mesh_process_monitor(MeshCtx *ctx, MeshInt pid) { return meshP_monitor(ctx, pid, 0); }

MeshInt mesh_process_demonitor(MeshCtx *ctx, MeshInt ref) { return meshP_demonitor(ctx, ref) ? 0 : 1; }

/* ------------------------------------------------------------ exit signals */

MeshBool mesh_process_trap_exit(MeshCtx *ctx, MeshBool on)
{
    MeshBool was = ctx->proc->trap_exit != 0;
    __atomic_store_n(&ctx->proc->trap_exit, on != 0, __ATOMIC_RELEASE);   /* read by signallers */
    return was;
}

/* reason: a value of Mesh's ExitReason (tag in aux; Crashed carries a String) */
void mesh_process_exit(MeshCtx *ctx, MeshInt pid, MeshObj *reason)
{
    int tag = reason ? reason->aux : MESH_EXIT_NORMAL;
    const char *text = NULL;
    if (tag == MESH_EXIT_CRASHED) {
        MeshString *s = meshP_s2p(((MeshFields *)reason)->slots[0]);
        text = s ? s->bytes : NULL;   /* NUL-terminated; copied by the receiver of the signal */
    }
    meshP_signal_exit(ctx, ctx->proc->pid, meshP_proc_lookup(pid), tag, text, tag == MESH_EXIT_KILLED);
}

void mesh_process_kill(MeshCtx *ctx, MeshInt pid)
{
    meshP_signal_exit(ctx, ctx->proc->pid, meshP_proc_lookup(pid), MESH_EXIT_KILLED, NULL, 1);
}

MeshInt mesh_process_set_call_timeout(MeshCtx *ctx, MeshInt ms)
{
    MeshInt was = ctx->proc->call_timeout_ms;
    ctx->proc->call_timeout_ms = ms;
    return was ? was : 5000;
}

/* ------------------------------------------------------------ process end */

void meshP_proc_exited(MeshProc *p)
{
    const char *text;
    int reason = meshP_exit_reason(p, &text);
    /* p is DONE: nobody adds links or monitors any more; take them */
    meshP_proc_lock(p);
    int64_t *links = p->links, nlinks = p->nlinks;
    MeshMonitor *monitors = p->monitors, *watching = p->watching;
    int64_t nmonitors = p->nmonitors, nwatching = p->nwatching;
    int64_t sup_pid = p->supervisor;
    p->links = NULL;
    p->nlinks = p->links_cap = 0;
    p->monitors = p->watching = NULL;
    p->nmonitors = p->monitors_cap = p->nwatching = p->watching_cap = 0;
    p->supervisor = 0;
    meshP_proc_unlock(p);
    for (int64_t i = 0; i < nlinks; i++) {
        MeshProc *q = meshP_proc_lookup(links[i]);
        if (!q) continue;
        meshP_proc_lock(q);
        int ok = alive(q);
        if (ok) link_remove(q, p->pid);
        meshP_proc_unlock(q);
        if (ok) meshP_signal_exit(NULL, p->pid, q, reason, text, 0);
    }
    for (int64_t i = 0; i < nmonitors; i++) {
        MeshMonitor *m = &monitors[i];
        MeshProc *w = meshP_proc_lookup(m->pid);
        if (!w) continue;
        MeshEnvelope *e = notice(m->internal ? MESH_ENV_CALL_DOWN : MESH_ENV_DOWN, p->pid, m->ref, reason, text);
        meshP_proc_lock(w);
        if (alive(w) && mon_remove(w->watching, &w->nwatching, m->ref, NULL)) {
            meshP_mailbox_post_claimed(w, 1, e);   /* posts and unlocks */
        } else {
            meshP_proc_unlock(w);
            meshP_envelope_free(e);
        }
    }
    for (int64_t i = 0; i < nwatching; i++) {
        MeshProc *q = meshP_proc_lookup(watching[i].pid);
        if (!q) continue;
        meshP_proc_lock(q);
        mon_remove(q->monitors, &q->nmonitors, watching[i].ref, NULL);
        meshP_proc_unlock(q);
    }
    free(links);
    free(monitors);
    free(watching);
    if (p->sup_spec) meshP_sup_exited(p, reason, text);
    if (!sup_pid) return;
    MeshProc *sup = meshP_proc_lookup(sup_pid);
    if (!alive(sup)) return;
    MeshEnvelope *e = notice(MESH_ENV_EXIT, p->pid, reason != MESH_EXIT_NORMAL && reason != MESH_EXIT_SHUTDOWN,
                             reason, text);
    meshP_deliver(sup, e);
}

/* sup.c: a child that ended before its supervisor could mark it reports as
 * if it had been supervised. */
void meshP_sup_report_ended(MeshProc *sup, MeshProc *child)
{
    const char *text;
    int reason = meshP_exit_reason(child, &text);
    meshP_deliver(sup, notice(MESH_ENV_EXIT, child->pid, reason != MESH_EXIT_NORMAL && reason != MESH_EXIT_SHUTDOWN,
                              reason, text));
}

void meshP_signal_free(MeshProc *p)
{
    free(p->links);
    free(p->monitors);
    free(p->watching);
    free(p->exit_text);
    p->links = NULL;
    p->monitors = p->watching = NULL;
    p->exit_text = NULL;
}
