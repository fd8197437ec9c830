/*
 * actor.c -- messages, mailboxes, selective receive and services (prefixes
 * mesh_actor_, mesh_service_, mesh_timer_).
 *
 * Sending deep-copies the value, guided by the type descriptors. When the
 * receiver cannot run meanwhile (blocked, or runnable and claimed by the
 * sender) the copy goes straight into its heap. Otherwise a payload of at most
 * MESH_ENV_SMALL_WORDS words travels inside the envelope (the receiver copies
 * it out in one piece and relocates its internal pointers), and a bigger one
 * goes into a fresh *fragment*: a detached heap whose chunks come from the
 * global pool, which the receiver adopts into its own heap when it next looks
 * at its mailbox -- not copied a second time. Scalars need no copy. Sharing
 * inside one message is not preserved (a value reachable twice is copied
 * twice). Envelopes are recycled through per-worker caches.
 *
 * Service requests and replies are envelopes of kind CALL / CAST / REPLY
 * with a unique reference, so they never mix with user messages: a user
 * `receive` only looks at USER envelopes (and, when it has Down/Exit arms,
 * at DOWN / SIGEXIT notifications from signal.c), a caller waiting for a
 * reply only at the REPLY carrying its reference or the CALL_DOWN of the
 * monitor it holds on the server while it waits.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* ------------------------------------------------------------ deep copy */

static MeshTypeId fld(const MeshType *d, uint32_t i)
{
    return d && d->fields && i < d->nfields ? d->fields[i].type_id : MESH_TYPE_ANY;
}

/* Int, Float, Bool, Unit, Pid: values as they are, known without a
 * descriptor lookup (most message fields). */
static inline int scalar_type(MeshTypeId t)
{
    return t >= MESH_TYPE_UNIT && t <= MESH_TYPE_PID && t != MESH_TYPE_STRING;
}

static MeshSlot copy_obj(MeshCtx *dst, MeshHeap *src, MeshObj *o, const MeshType *d);

/* meshP_copy with t's descriptor d (meshP_type(t)) already looked up. */
static MeshSlot copy_typed(MeshCtx *dst, MeshHeap *src, MeshTypeId t, const MeshType *d, MeshSlot v)
{
    if (t != MESH_TYPE_ANY && d && !d->boxed) return v;
    if (!v) return v;
    if (t == MESH_TYPE_ANY || !d) {
        uintptr_t o;
        if (!meshP_heap_find_object(src, (uintptr_t)v, &o) || o != (uintptr_t)v) return v;
    }
    MeshObj *o = meshP_s2p(v);
    if (o->gc & MESH_GC_STATIC) return v;
    return copy_obj(dst, src, o, o->type_id == t ? d : meshP_type(o->type_id));
}

/* Copy a value of static type t from heap src into dst's heap. */
MeshSlot meshP_copy(MeshCtx *dst, MeshHeap *src, MeshTypeId t, MeshSlot v)
{
    if (scalar_type(t)) return v;
    return copy_typed(dst, src, t, meshP_type(t), v);
}

/* Copy object o, whose own type's descriptor is d. */
static MeshSlot copy_obj(MeshCtx *dst, MeshHeap *src, MeshObj *o, const MeshType *d)
{
    switch (o->kind) {
    case MESH_KIND_STRING: {
        MeshString *s = (MeshString *)o;
        return meshP_p2s(mesh_string_new(dst, s->bytes, (int64_t)s->len));
    }
    case MESH_KIND_TUPLE:
    case MESH_KIND_STRUCT: {
        MeshFields *f = (MeshFields *)o;
        uint64_t size = 8 + 8 * (uint64_t)o->aux;
        MeshFields *r;
        uint8_t *p = dst->hp;
        if (MESH_LIKELY(p && p + size <= dst->hlimit)) {
            /* the inline bump of compiled code; fields zeroed before the
             * nested copies allocate (no memset call for a few words) */
            dst->hp = p + size;
            r = (MeshFields *)p;
            r->hdr = (MeshObj){o->type_id, o->kind, 0, o->aux};
            for (uint32_t i = 0; i < o->aux; i++) r->slots[i] = 0;
        } else {
            r = (MeshFields *)mesh_gc_alloc(dst, size, o->type_id, o->kind, o->aux);
        }
        for (uint32_t i = 0; i < o->aux; i++) {
            MeshTypeId ft = fld(d, i);
            r->slots[i] = scalar_type(ft) ? f->slots[i] : meshP_copy(dst, src, ft, f->slots[i]);
        }
        return meshP_p2s(r);
    }
    case MESH_KIND_CLOSURE: {
        MeshClosure *f = (MeshClosure *)o;
        MeshClosure *r = (MeshClosure *)mesh_gc_alloc(dst, 16 + 8 * (uint64_t)o->aux, o->type_id, o->kind, o->aux);
        r->fn = f->fn;
        for (uint32_t i = 0; i < o->aux; i++) r->env[i] = meshP_copy(dst, src, fld(d, i), f->env[i]);
        return meshP_p2s(r);
    }
    case MESH_KIND_VARIANT: {
        uint32_t n = d && d->variants && o->aux < d->nvariants ? d->variants[o->aux].nfields : 0;
        const MeshField *vf = n ? d->variants[o->aux].fields : NULL;
        MeshFields *f = (MeshFields *)o;
        MeshFields *r = (MeshFields *)mesh_gc_alloc(dst, 8 + 8 * (uint64_t)n, o->type_id, o->kind, o->aux);
        for (uint32_t i = 0; i < n; i++)
            r->slots[i] = meshP_copy(dst, src, vf ? vf[i].type_id : MESH_TYPE_ANY, f->slots[i]);
        return meshP_p2s(r);
    }
    case MESH_KIND_LIST: {
        MeshList *l = (MeshList *)o;
        MeshTypeId et = d ? d->elem : MESH_TYPE_ANY;
        /* filled in place: the destination's collector is held off while a message is copied */
        MeshList *r = meshP_list_with_capacity(dst, o->type_id, l->len);
        for (int64_t i = 0; i < l->len; i++) r->buf->slots[i] = meshP_copy(dst, src, et, meshP_list_at(l, i));
        r->len = r->buf->used = l->len;
        return meshP_p2s(r);
    }
    case MESH_KIND_MAP:
    case MESH_KIND_SET: {
        MeshTable *t = (MeshTable *)o;
        MeshTable *r = meshP_table_new(dst, o->type_id, o->kind, t->key_type, t->val_type);
        int64_t pos = 0;
        MeshSlot k, v;
        MeshInt tok = mesh_session_token();   /* built in place: no trie path copied per entry */
        while (meshP_table_next(t, &pos, &k, &v))
            r = meshP_table_put_owned(dst, r, meshP_copy(dst, src, t->key_type, k), meshP_copy(dst, src, t->val_type, v),
                                      tok);
        return meshP_p2s(r);
    }
    case MESH_KIND_QUEUE: {
        MeshQueue *q = (MeshQueue *)o;
        MeshSlot items = copy_obj(dst, src, &q->items->hdr, meshP_type(q->items->hdr.type_id));
        MeshQueue *r = (MeshQueue *)meshP_alloc_priv(dst, sizeof(MeshQueue), o->type_id, MESH_KIND_QUEUE);
        r->items = meshP_s2p(items);
        return meshP_p2s(r);
    }
    case MESH_KIND_RANGE: {
        MeshRange *r = mesh_range_new(dst, mesh_range_start((MeshRange *)o), mesh_range_end((MeshRange *)o));
        return meshP_p2s(r);
    }
    default:
        meshP_fatal("cannot copy a value of kind %u (type %u) between processes", o->kind, o->type_id);
    }
}

/* ------------------------------------------------------------ small payloads */

/* A payload of at most MESH_ENV_SMALL_WORDS words of strings, tuples, structs,
 * variants and closures travels inside its envelope instead of a fragment
 * (whose smallest unit is a 64 KiB pool chunk). The objects are laid out as
 * the allocator would lay them out, the root first; a pointer between them is
 * stored as its byte offset and marked in `ptrs`. The receiver copies the
 * block into its heap in one piece and adds the block's address to the marked
 * words (meshP_envelope_unpack). */
typedef struct Small {
    uint64_t *w;
    uint32_t  n;       /* words used */
    uint32_t  ptrs;    /* words holding offsets */
} Small;

/* Copy v (static type t) into b: *out is v itself (unboxed, static, not in
 * the heap) or the offset of its copy (*is_off = 1). 0 when the value does
 * not fit or holds a kind the small path leaves to fragments. */
static int small_copy(Small *b, MeshHeap *src, MeshTypeId t, MeshSlot v, MeshSlot *out, int *is_off)
{
    *out = v;
    *is_off = 0;
    if (scalar_type(t)) return 1;
    const MeshType *d = meshP_type(t);
    if (!v || (t != MESH_TYPE_ANY && d && !d->boxed)) return 1;
    if (t == MESH_TYPE_ANY || !d) {
        uintptr_t obj;
        if (!meshP_heap_find_object(src, (uintptr_t)v, &obj) || obj != (uintptr_t)v) return 1;
    }
    MeshObj *o = meshP_s2p(v);
    if (o->gc & MESH_GC_STATIC) return 1;
    const MeshType *od = meshP_type(o->type_id);
    const MeshField *vf = NULL;
    uint64_t first = 1, nf;     /* word of the first field slot, number of field slots */
    switch (o->kind) {
    case MESH_KIND_STRING: {
        MeshString *s = (MeshString *)o;
        uint64_t words = meshP_round8(16 + s->len + 1) / 8;
        if (words > MESH_ENV_SMALL_WORDS - b->n) return 0;
        uint64_t *w = b->w + b->n;
        w[words - 1] = 0;           /* the NUL and the padding after it */
        MeshObj h = {MESH_TYPE_STRING, MESH_KIND_STRING, 0, 0};
        memcpy(w, &h, 8);
        w[1] = s->len;
        memcpy(w + 2, s->bytes, s->len);
        *out = (MeshSlot)b->n * 8;
        *is_off = 1;
        b->n += (uint32_t)words;
        return 1;
    }
    case MESH_KIND_TUPLE:
    case MESH_KIND_STRUCT:
        nf = o->aux;
        break;
    case MESH_KIND_CLOSURE:
        first = 2;
        nf = o->aux;
        break;
    case MESH_KIND_VARIANT:
        nf = od && od->variants && o->aux < od->nvariants ? od->variants[o->aux].nfields : 0;
        vf = nf ? od->variants[o->aux].fields : NULL;
        break;
    default:
        return 0;
    }
    if (first + nf > MESH_ENV_SMALL_WORDS - b->n) return 0;
    uint32_t at = b->n;
    b->n += (uint32_t)(first + nf);     /* the parent first: the root lands at offset 0 */
    MeshObj h = {o->type_id, o->kind, 0, o->aux};
    memcpy(&b->w[at], &h, 8);
    if (first == 2) b->w[at + 1] = (uint64_t)(uintptr_t)((MeshClosure *)o)->fn;
    const MeshSlot *from = (const MeshSlot *)o + first;
    for (uint64_t i = 0; i < nf; i++) {
        MeshTypeId ft = o->kind == MESH_KIND_VARIANT ? (vf ? vf[i].type_id : MESH_TYPE_ANY) : fld(od, (uint32_t)i);
        MeshSlot x;
        int off;
        if (!small_copy(b, src, ft, from[i], &x, &off)) return 0;
        b->w[at + first + i] = x;
        if (off) b->ptrs |= 1u << (at + first + i);
    }
    *out = (MeshSlot)at * 8;
    *is_off = 1;
    return 1;
}

static MeshEnvelope *env_take(MeshWorker *w, uint16_t room);
static void env_recycle(MeshWorker *w, MeshEnvelope *e);

/* Try the small path for e's payload msg (boxed, in the sender's heap): the
 * envelope that carries it (e's fields, room for the payload; e is recycled)
 * or NULL. Only these envelopes are the bigger size, so a queued message
 * whose payload is elsewhere costs no unused room. */
static MeshEnvelope *small_pack(MeshCtx *sender, MeshEnvelope *e, MeshSlot msg)
{
    uint64_t buf[MESH_ENV_SMALL_WORDS];
    Small b = {buf, 0, 0};
    MeshSlot root;
    int off;
    if (!small_copy(&b, &sender->proc->heap, e->type, msg, &root, &off) || !off) return NULL;
    MeshEnvelope *s = env_take(sender->worker, MESH_ENV_SMALL_WORDS);
    memcpy(s, e, offsetof(MeshEnvelope, small));
    s->small_room = MESH_ENV_SMALL_WORDS;
    s->small_len = b.n * 8;
    s->small_ptrs = (uint16_t)b.ptrs;
    memcpy(s->small, buf, s->small_len);
    env_recycle(sender->worker, e);
    return s;
}

void meshP_envelope_unpack(MeshProc *p, MeshEnvelope *e)
{
    MeshCtx *ctx = &p->ctx;
    uint64_t len = e->small_len;
    /* no collection here: the caller may be collecting, or holding envelopes
     * that are in no list the collector looks at */
    int was = p->heap.gc_disabled;
    p->heap.gc_disabled = 1;
    uint8_t *dst = ctx->hp;
    if (MESH_UNLIKELY(!dst || dst + len > ctx->hlimit)) dst = mesh_alloc_slow(ctx, len);
    else ctx->hp = dst + len;
    p->heap.gc_disabled = was;
    uint64_t *w = (uint64_t *)dst;
    memcpy(w, e->small, len);
    for (uint32_t m = e->small_ptrs; m; m &= m - 1) w[__builtin_ctz(m)] += (uint64_t)(uintptr_t)dst;
    e->msg = meshP_p2s(dst);
    e->small_len = 0;
    e->small_ptrs = 0;
}

/* ------------------------------------------------------------ envelopes */

/* Envelopes are recycled through per-worker caches (one per size): a send
 * and a receive then cost no malloc/free. The caches are bounded (a worker
 * that only receives returns the surplus to malloc). */
#define ENV_CACHE_MAX 256

static MeshEnvelope *env_take(MeshWorker *w, uint16_t room)
{
    MeshEnvelope **c = w ? (room ? &w->env_small_cache : &w->env_cache) : NULL;
    MeshEnvelope *e = c ? *c : NULL;
    if (e) {
        *c = e->next;
        if (room) w->env_nsmall--;
        else w->env_ncache--;
        return e;
    }
    e = malloc(sizeof *e + (size_t)room * 8);
    if (!e) meshP_fatal("out of memory");
    e->small_room = room;
    return e;
}

/* Back to w's cache (or to malloc): e holds nothing any more. */
static void env_recycle(MeshWorker *w, MeshEnvelope *e)
{
    int64_t *n = w ? (e->small_room ? &w->env_nsmall : &w->env_ncache) : NULL;
    if (!n || *n >= ENV_CACHE_MAX) {
        free(e);
        return;
    }
    MeshEnvelope **c = e->small_room ? &w->env_small_cache : &w->env_cache;
    e->next = *c;
    *c = e;
    ++*n;
}

static MeshEnvelope *envelope_alloc(MeshCtx *sender, int kind, MeshTypeId t)
{
    MeshEnvelope *e = env_take(sender->worker, 0);
    /* field by field (a memset is a slow `rep stos` here); small_room stays */
    e->next = NULL;
    e->kind = kind;
    e->ref = 0;
    e->from = sender->proc->pid;
    e->type = t;
    e->msg = 0;
    e->chunks = e->large = NULL;
    e->reason = 0;
    e->text = NULL;
    e->small_len = 0;
    e->small_ptrs = 0;
    return e;
}

/* Free e (fully taken by the receiving process ctx). */
static void envelope_release(MeshCtx *ctx, MeshEnvelope *e)
{
    if (e->chunks || e->large || e->text) meshP_envelope_free(e);
    else env_recycle(ctx->worker, e);
}

void meshP_env_cache_free(MeshWorker *w)
{
    MeshEnvelope *n;
    for (MeshEnvelope *e = w->env_cache; e; e = n) {
        n = e->next;
        free(e);
    }
    for (MeshEnvelope *e = w->env_small_cache; e; e = n) {
        n = e->next;
        free(e);
    }
    w->env_cache = w->env_small_cache = NULL;
    w->env_ncache = w->env_nsmall = 0;
}

static int unboxed(MeshTypeId t, MeshSlot msg)
{
    if (scalar_type(t)) return 1;
    const MeshType *d = meshP_type(t);
    return !msg || (t != MESH_TYPE_ANY && d && !d->boxed);
}

/* Copy msg into a fragment: a detached heap that never collects, adopted by
 * the receiver when it collects its incoming messages. A small payload goes
 * into the envelope itself (a bigger one replaces e: use the result). */
static MeshEnvelope *copy_to_fragment(MeshCtx *sender, MeshEnvelope *e, MeshSlot msg)
{
    MeshEnvelope *s = small_pack(sender, e, msg);
    if (s) return s;
    MeshProc *frag = calloc(1, sizeof *frag);
    if (!frag) meshP_fatal("out of memory");
    frag->ctx.proc = frag;
    frag->ctx.worker = sender->worker;
    meshP_heap_init(&frag->heap);
    frag->heap.gc_disabled = 1;
    frag->heap.stress = 0;
    e->msg = meshP_copy(&frag->ctx, &sender->proc->heap, e->type, msg);
    meshP_heap_detach(&frag->ctx, &e->chunks, &e->large);
    free(frag);
    return e;
}

/* An envelope whose payload is in a fragment (jobs, timers: no receiver yet). */
static MeshEnvelope *envelope_new(MeshCtx *sender, int kind, MeshTypeId t, MeshSlot msg)
{
    MeshEnvelope *e = envelope_alloc(sender, kind, t);
    if (unboxed(t, msg)) e->msg = msg;
    else e = copy_to_fragment(sender, e, msg);
    return e;
}

/* Copy msg for receiver q and post envelope e; 0 when q has ended (e is
 * freed). When q cannot run meanwhile (it is WAITING, or RUNNABLE and marked
 * COPYING, with its lock held: meshP_proc_claim) the payload is copied
 * straight into q's heap with its collector held off, as for a fresh spawn:
 * no fragment (a 64 KiB chunk) per message. Otherwise (q is running on some
 * worker) the payload goes into a fragment q adopts later. */
static int send_env(MeshCtx *sender, MeshProc *q, MeshEnvelope *e, MeshSlot msg)
{
    MeshTypeId t = e->type;
    const MeshType *d = scalar_type(t) ? NULL : meshP_type(t);   /* looked up once per send */
    if (!msg || scalar_type(t) || (t != MESH_TYPE_ANY && d && !d->boxed)) {
        e->msg = msg;
    } else {
        int claim = meshP_proc_claim(q);
        if (claim) {
            int was = q->heap.gc_disabled;
            q->heap.gc_disabled = 1;
            e->msg = copy_typed(&q->ctx, &sender->proc->heap, t, d, msg);
            q->heap.gc_disabled = was;
            meshP_mailbox_post_claimed(q, claim, e);
            return 1;
        }
        e = copy_to_fragment(sender, e, msg);
    }
    if (meshP_mailbox_post(q, e)) return 1;
    meshP_envelope_free(e);
    return 0;
}

/* Post e to q (its lock taken there); dropped when q has ended. */
void meshP_deliver(MeshProc *q, MeshEnvelope *e)
{
    if (!meshP_mailbox_post(q, e)) meshP_envelope_free(e);
}

/* Take what arrived (its fragments adopted into the heap on the way). */
static void adopt_all(MeshProc *p)
{
    meshP_mailbox_collect(p);
}

static void unlink_env(MeshProc *p, MeshEnvelope *prev, MeshEnvelope *e)
{
    if (prev) prev->next = e->next;
    else p->mb_head = e->next;
    if (p->mb_tail == e) p->mb_tail = prev;
}

void meshP_envelope_free(MeshEnvelope *e)
{
    meshP_chunks_free(e->chunks, e->large);
    free(e->text);
    free(e);
}

void meshP_mailbox_free(MeshProc *p)
{
    MeshEnvelope *n;
    for (MeshEnvelope *e = p->mb_head; e; e = n) {
        n = e->next;
        meshP_envelope_free(e);
    }
    p->mb_head = p->mb_tail = NULL;
}

/* ------------------------------------------------------------ actors */

MeshInt mesh_actor_spawn(MeshCtx *ctx, MeshClosure *body)
{
    return meshP_proc_spawn(ctx, body)->pid;
}

MeshInt mesh_actor_spawn_link(MeshCtx *ctx, MeshClosure *body)
{
    /* linked before it can run, so even an instant failure reaches us */
    MeshProc *q = meshP_proc_create(ctx, body);
    MeshInt pid = q->pid;
    mesh_actor_link(ctx, pid);
    meshP_proc_ready(q);
    return pid;
}

MeshInt mesh_actor_self(MeshCtx *ctx) { return ctx->proc->pid; }

void mesh_actor_send(MeshCtx *ctx, MeshInt pid, MeshTypeId type_id, MeshSlot msg)
{
    MeshProc *q = meshP_proc_lookup(pid);
    if (!q || q->state == MESH_PROC_DONE) return;
    send_env(ctx, q, envelope_alloc(ctx, MESH_ENV_USER, type_id), msg);
}

/* The Mesh value of a DOWN / SIGEXIT notice: `Down(ref, pid, reason)` (tag 0)
 * or `Exit(pid, reason)` (tag 1) of the compiler's sum type sys_type, whose
 * Down variant's third field gives the ExitReason type. Built in the
 * receiving process's own heap (it is the running process). */
static MeshSlot signal_value(MeshCtx *ctx, MeshEnvelope *e, MeshTypeId sys_type)
{
    const MeshType *d = meshP_type(sys_type);
    MeshTypeId rt = d && d->variants && d->nvariants > 0 && d->variants[0].nfields == 3
                        ? d->variants[0].fields[2].type_id : MESH_TYPE_ANY;
    MeshObj *reason = meshP_reason_value(ctx, rt, e->reason, e->text);
    MeshFields *v;
    if (e->kind == MESH_ENV_DOWN) {
        v = (MeshFields *)mesh_gc_alloc(ctx, 32, sys_type, MESH_KIND_VARIANT, 0);
        v->slots[0] = (MeshSlot)e->ref;
        v->slots[1] = (MeshSlot)e->from;
        v->slots[2] = meshP_p2s(reason);
    } else {
        v = (MeshFields *)mesh_gc_alloc(ctx, 24, sys_type, MESH_KIND_VARIANT, 1);
        v->slots[0] = (MeshSlot)e->from;
        v->slots[1] = meshP_p2s(reason);
    }
    return meshP_p2s(v);
}

/* Selective receive over user messages (accept) and, when accept_sys is
 * given, Down / Exit notifications (accept_sys on their Mesh value). Returns
 * 0 on timeout, 1 for a user message, 2 for a notification. */
static int receive_scan(MeshCtx *ctx, MeshClosure *accept, MeshClosure *accept_sys, MeshTypeId sys_type,
                        MeshInt timeout_ms)
{
    MeshProc *p = ctx->proc;
    int64_t deadline = timeout_ms > 0 ? meshP_now_ns() + timeout_ms * 1000000 : 0;
    MeshEnvelope *scanned = NULL;       /* last envelope rejected by this receive */
    for (;;) {
        adopt_all(p);
        MeshEnvelope *prev = scanned, *e = scanned ? scanned->next : p->mb_head;
        for (; e; prev = e, e = e->next) {
            MeshClosure *f;
            int got;
            if (e->kind == MESH_ENV_USER) {
                f = accept;
                got = 1;
            } else if (accept_sys && (e->kind == MESH_ENV_DOWN || e->kind == MESH_ENV_SIGEXIT)) {
                if (!e->msg) e->msg = signal_value(ctx, e, sys_type);   /* rooted by the mailbox */
                f = accept_sys;
                got = 2;
            } else {
                continue;
            }
            p->received = e->msg;       /* rooted while the accept closure runs */
            if (meshP_call1(ctx, f, e->msg) & 1) {
                unlink_env(p, prev, e);
                envelope_release(ctx, e);
                return got;
            }
            scanned = e;
        }
        if (timeout_ms == 0) return 0;
        if (deadline && meshP_now_ns() >= deadline) return 0;
        meshP_proc_wait(p, deadline);
    }
}

MeshBool mesh_actor_receive(MeshCtx *ctx, MeshClosure *accept, MeshInt timeout_ms)
{
    return receive_scan(ctx, accept, NULL, MESH_TYPE_ANY, timeout_ms) != 0;
}

MeshInt mesh_actor_receive_signals(MeshCtx *ctx, MeshClosure *accept, MeshClosure *accept_sys, MeshInt timeout_ms,
                                   MeshTypeId sys_type)
{
    return receive_scan(ctx, accept, accept_sys, sys_type, timeout_ms);
}

MeshSlot mesh_actor_received(MeshCtx *ctx) { return ctx->proc->received; }

MeshBool mesh_actor_may_hibernate(MeshCtx *ctx) { return ctx->worker && meshP_proc_may_hibernate(ctx->proc); }

void mesh_actor_hibernate(MeshCtx *ctx, MeshClosure *restart) { meshP_proc_hibernate(ctx->proc, restart); }

void mesh_actor_set_terminate(MeshCtx *ctx, MeshClosure *cb) { ctx->proc->terminate = cb; }

void mesh_timer_sleep(MeshCtx *ctx, MeshInt ms)
{
    int64_t deadline = meshP_now_ns() + (ms > 0 ? ms : 0) * 1000000;
    while (meshP_now_ns() < deadline) meshP_proc_wait(ctx->proc, deadline);
}

/* ------------------------------------------------------------ services */

/* A call monitors its server for its duration: the server's end arrives as a
 * CALL_DOWN notice with the reason. The caller panics (an ordinary crash its
 * supervisor, links and monitors see) when the server is gone, ends before
 * replying, or the timeout passes; a reply arriving after that is dropped by
 * mesh_service_reply (the caller no longer waits for its ref). */
static int service_call(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req, MeshSlot *out, char *why,
                        size_t why_len)
{
    MeshProc *p = ctx->proc;
    int64_t timeout_ms = p->call_timeout_ms ? p->call_timeout_ms : 5000;
    int64_t deadline = timeout_ms > 0 ? meshP_now_ns() + timeout_ms * 1000000 : 0;
    int64_t mon = meshP_monitor(ctx, pid, 1);
    int64_t ref = meshP_new_ref();
    MeshProc *q = meshP_proc_lookup(pid);
    if (q && q->state != MESH_PROC_DONE) {
        MeshEnvelope *e = envelope_alloc(ctx, MESH_ENV_CALL, req_type);
        e->ref = ref;
        __atomic_store_n(&p->call_ref, ref, __ATOMIC_RELEASE);   /* read by the server's reply */
        send_env(ctx, q, e, req);
    }
    for (;;) {
        adopt_all(p);
        MeshEnvelope *prev = NULL;
        for (MeshEnvelope *r = p->mb_head; r; prev = r, r = r->next) {
            if (r->kind == MESH_ENV_REPLY && r->ref == ref) {
                MeshSlot v = r->msg;
                unlink_env(p, prev, r);
                envelope_release(ctx, r);
                __atomic_store_n(&p->call_ref, 0, __ATOMIC_RELEASE);
                p->received = v;        /* rooted while demonitor runs */
                meshP_demonitor(ctx, mon);
                *out = v;
                return 1;
            }
            if (r->kind == MESH_ENV_CALL_DOWN && r->ref == mon) {
                char reason[160];
                meshP_reason_text(reason, sizeof reason, r->reason, r->text);
                snprintf(why, why_len, "service call to %lld failed: server exited: %s", (long long)pid, reason);
                unlink_env(p, prev, r);
                meshP_envelope_free(r);
                __atomic_store_n(&p->call_ref, 0, __ATOMIC_RELEASE);
                return 0;
            }
        }
        if (deadline && meshP_now_ns() >= deadline) {
            __atomic_store_n(&p->call_ref, 0, __ATOMIC_RELEASE);
            meshP_demonitor(ctx, mon);
            snprintf(why, why_len, "service call to %lld failed: timed out after %lld ms", (long long)pid,
                     (long long)timeout_ms);
            return 0;
        }
        meshP_proc_wait(p, deadline);
    }
}

/* A call monitors its server for its duration: the server's end arrives as a
 * CALL_DOWN notice with the reason. The caller panics (an ordinary crash its
 * supervisor, links and monitors see) when the server is gone, ends before
 * replying, or the timeout passes; a reply arriving after that is dropped by
 * mesh_service_reply (the caller no longer waits for its ref). */
MeshSlot mesh_service_call(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req)
{
    MeshSlot v;
    char why[256];
    if (!service_call(ctx, pid, req_type, req, &v, why, sizeof why)) mesh_panic(ctx, why, (int64_t)strlen(why));
    return v;
}

MeshObj *mesh_service_try_call(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req, MeshTypeId result_type)
{
    MeshSlot v;
    char why[256];
    if (service_call(ctx, pid, req_type, req, &v, why, sizeof why)) return mesh_result_ok(ctx, result_type, v);
    return mesh_result_err(ctx, result_type, meshP_p2s(meshP_str_lit(ctx, why)));
}

void mesh_service_cast(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req)
{
    MeshProc *q = meshP_proc_lookup(pid);
    if (!q || q->state == MESH_PROC_DONE) return;
    send_env(ctx, q, envelope_alloc(ctx, MESH_ENV_CAST, req_type), req);
}

MeshObj *mesh_service_next(MeshCtx *ctx)
{
    MeshProc *p = ctx->proc;
    for (;;) {
        adopt_all(p);
        MeshEnvelope *prev = NULL;
        for (MeshEnvelope *e = p->mb_head; e; prev = e, e = e->next) {
            if (e->kind == MESH_ENV_CALL || e->kind == MESH_ENV_CAST) {
                p->cur_is_call = e->kind == MESH_ENV_CALL;
                p->cur_from = e->from;
                p->cur_ref = e->ref;
                p->received = e->msg;
                unlink_env(p, prev, e);
                envelope_release(ctx, e);
                return meshP_s2p(p->received);
            }
        }
        meshP_proc_wait(p, 0);
    }
}

void mesh_service_reply(MeshCtx *ctx, MeshTypeId reply_type, MeshSlot reply)
{
    MeshProc *p = ctx->proc;
    if (!p->cur_is_call) return;
    p->cur_is_call = 0;
    MeshProc *q = meshP_proc_lookup(p->cur_from);
    /* a caller that timed out (or ended) no longer waits: the reply is dropped */
    if (!q || q->state == MESH_PROC_DONE || __atomic_load_n(&q->call_ref, __ATOMIC_ACQUIRE) != p->cur_ref) return;
    MeshEnvelope *e = envelope_alloc(ctx, MESH_ENV_REPLY, reply_type);
    e->ref = p->cur_ref;
    send_env(ctx, q, e, reply);
}

/* ------------------------------------------------------------ jobs */

/* Job.map's per-element thunk: env = (f, x); runs f(x). */
static MeshSlot apply_thunk(MeshCtx *ctx, MeshClosure *self)
{
    return meshP_call1(ctx, (MeshClosure *)meshP_s2p(self->env[0]), self->env[1]);
}

static MeshInt mesh_job_async_apply(MeshCtx *ctx, MeshClosure *c, MeshTypeId value_type)
{
    c->fn = (void *)apply_thunk;
    return mesh_job_async(ctx, c, value_type);
}

MeshInt mesh_job_async(MeshCtx *ctx, MeshClosure *f, MeshTypeId value_type)
{
    MeshProc *p = meshP_proc_create(ctx, f);
    p->job_parent = ctx->proc->pid;
    p->job_type = value_type;
    MeshInt pid = p->pid;
    meshP_proc_ready(p);         /* set up: now it may run anywhere */
    return pid;
}

/* In the job's process: send its value (or its failure) to the awaiting process. */
void meshP_job_done(MeshProc *p, MeshSlot result, const char *error)
{
    MeshProc *q = meshP_proc_lookup(p->job_parent);
    if (!q || q->state == MESH_PROC_DONE) {
        p->job_parent = 0;
        return;
    }
    MeshEnvelope *e;
    if (error) {
        MeshString *s = mesh_string_new(&p->ctx, error, (int64_t)strlen(error));
        e = envelope_new(&p->ctx, MESH_ENV_JOB_FAIL, MESH_TYPE_STRING, meshP_p2s(s));
    } else {
        e = envelope_new(&p->ctx, MESH_ENV_JOB, p->job_type, result);
    }
    e->ref = p->pid;
    meshP_deliver(q, e);
    /* only now: a waiter that sees no parent any more finds the result */
    __atomic_store_n(&p->job_parent, 0, __ATOMIC_RELEASE);
}

/* The awaiter monitors the job for the wait's duration: a job that ends without
 * a result (killed) wakes it with a CALL_DOWN notice, which the job's own result
 * envelope always precedes (both are posted by the ending job, in order). */
static MeshObj *job_wait(MeshCtx *ctx, MeshInt pid, int64_t timeout_ms, MeshTypeId result_type)
{
    MeshProc *p = ctx->proc;
    int64_t deadline = timeout_ms >= 0 ? meshP_now_ns() + timeout_ms * 1000000 : 0;
    int64_t mon = meshP_monitor(ctx, pid, 1);
    int gone = 0;
    for (;;) {
        adopt_all(p);
        MeshEnvelope *prev = NULL;
        for (MeshEnvelope *e = p->mb_head; e; prev = e, e = e->next) {
            if ((e->kind == MESH_ENV_JOB || e->kind == MESH_ENV_JOB_FAIL) && e->ref == pid) {
                MeshSlot v = e->msg;
                int ok = e->kind == MESH_ENV_JOB;
                unlink_env(p, prev, e);
                envelope_release(ctx, e);
                p->received = v;        /* rooted while demonitor runs */
                meshP_demonitor(ctx, mon);
                return ok ? mesh_result_ok(ctx, result_type, v) : mesh_result_err(ctx, result_type, v);
            }
            if (e->kind == MESH_ENV_CALL_DOWN && e->ref == mon) {
                char reason[160];   /* the exit reason, as the reference ("killed", ...) */
                meshP_reason_text(reason, sizeof reason, e->reason, e->text);
                unlink_env(p, prev, e);
                meshP_envelope_free(e);
                MeshString *s = mesh_string_new(ctx, reason, (int64_t)strlen(reason));
                return mesh_result_err(ctx, result_type, meshP_p2s(s));
            }
        }
        MeshProc *q = meshP_proc_lookup(pid);
        if (!q || q->state == MESH_PROC_DONE || !__atomic_load_n(&q->job_parent, __ATOMIC_ACQUIRE)) {
            /* on another worker it may have sent its result just before: look once more */
            if (gone++) {
                meshP_demonitor(ctx, mon);
                return mesh_result_err(ctx, result_type, meshP_p2s(meshP_str_lit(ctx, "job not found")));
            }
            continue;
        }
        if (deadline && meshP_now_ns() >= deadline) {
            meshP_demonitor(ctx, mon);
            return mesh_result_err(ctx, result_type, meshP_p2s(meshP_str_lit(ctx, "timeout")));
        }
        meshP_proc_wait(p, deadline);
    }
}

MeshObj *mesh_job_await(MeshCtx *ctx, MeshInt pid, MeshTypeId result_type)
{
    return job_wait(ctx, pid, -1, result_type);
}

MeshObj *mesh_job_await_timeout(MeshCtx *ctx, MeshInt pid, MeshInt ms, MeshTypeId result_type)
{
    return job_wait(ctx, pid, ms < 0 ? 0 : ms, result_type);
}

MeshList *mesh_job_map(MeshCtx *ctx, MeshList *items, MeshClosure *f, MeshTypeId list_type)
{
    const MeshType *lt = meshP_type(list_type);
    MeshTypeId result_type = lt ? lt->elem : MESH_TYPE_ANY;
    const MeshType *rt = meshP_type(result_type);
    MeshTypeId value_type = rt && rt->variants && rt->nvariants > 0 && rt->variants[0].nfields
                                ? rt->variants[0].fields[0].type_id : MESH_TYPE_ANY;
    int64_t n = mesh_list_length(items);
    MeshList *pids = meshP_list_with_capacity(ctx, MESH_TYPE_LIST_INT, n);
    for (int64_t i = 0; i < n; i++) {
        /* a closure applying f to element i: env = (f, x) */
        MeshClosure *c = (MeshClosure *)mesh_gc_alloc(ctx, 32, MESH_TYPE_ANY, MESH_KIND_CLOSURE, 2);
        c->fn = NULL;
        c->env[0] = meshP_p2s(f);
        c->env[1] = meshP_list_at(items, i);
        pids = mesh_list_append(ctx, pids, (MeshSlot)mesh_job_async_apply(ctx, c, value_type));
    }
    MeshList *out = meshP_list_with_capacity(ctx, list_type, n);
    for (int64_t i = 0; i < n; i++)
        out = mesh_list_append(ctx, out, meshP_p2s(mesh_job_await(ctx, (MeshInt)meshP_list_at(pids, i), result_type)));
    return out;
}

/* ------------------------------------------------------------ timers */

static void timer_entry(MeshCtx *ctx)
{
    MeshProc *p = ctx->proc;
    while (meshP_now_ns() < p->timer_deadline) meshP_proc_wait(p, p->timer_deadline);
    MeshEnvelope *e = p->timer_env;
    p->timer_env = NULL;
    MeshProc *q = meshP_proc_lookup(p->timer_target);
    if (q) meshP_deliver(q, e);
    else meshP_envelope_free(e);
}

void mesh_timer_send_after(MeshCtx *ctx, MeshInt pid, MeshInt ms, MeshSlot msg)
{
    MeshEnvelope *e = envelope_new(ctx, MESH_ENV_USER, MESH_TYPE_ANY, msg);
    MeshProc *t = meshP_proc_new_entry(timer_entry);
    t->timer_env = e;
    t->timer_target = pid;
    t->timer_deadline = meshP_now_ns() + (ms > 0 ? ms : 0) * 1000000;
    meshP_proc_ready(t);
}

/* ------------------------------------------------------------ registry */

/* Names are few: a small array searched linearly; an entry whose process has
 * ended is treated as free (and reused). */
typedef struct RegEntry {
    char   *name;
    size_t  len;
    int64_t pid;
} RegEntry;
static RegEntry *reg;
static size_t nreg, reg_cap;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t reg_live_pid(RegEntry *r)
{
    MeshProc *q = meshP_proc_lookup(r->pid);
    return q && q->state != MESH_PROC_DONE ? r->pid : 0;
}

static RegEntry *reg_find(MeshString *name)
{
    for (size_t i = 0; i < nreg; i++)
        if (reg[i].len == name->len && memcmp(reg[i].name, name->bytes, name->len) == 0) return &reg[i];
    return NULL;
}

static MeshInt register_locked(MeshString *name, MeshInt pid)
{
    MeshProc *q = meshP_proc_lookup(pid);
    if (!q || q->state == MESH_PROC_DONE) return 1;
    RegEntry *r = reg_find(name);
    if (r) {
        if (reg_live_pid(r) && r->pid != pid) return 1;
        r->pid = pid;
        return 0;
    }
    if (nreg == reg_cap) {
        size_t ncap = reg_cap ? reg_cap * 2 : 16;
        RegEntry *n = realloc(reg, ncap * sizeof *n);
        if (!n) meshP_fatal("out of memory");
        reg = n;
        reg_cap = ncap;
    }
    r = &reg[nreg++];
    r->name = malloc(name->len + 1);
    if (!r->name) meshP_fatal("out of memory");
    memcpy(r->name, name->bytes, name->len);
    r->len = name->len;
    r->pid = pid;
    return 0;
}

MeshInt mesh_process_register(MeshCtx *ctx, MeshString *name, MeshInt pid)
{
    MESH_UNUSED(ctx);
    pthread_mutex_lock(&reg_lock);
    MeshInt ok = register_locked(name, pid);
    pthread_mutex_unlock(&reg_lock);
    return ok;
}

MeshInt mesh_process_whereis(MeshCtx *ctx, MeshString *name)
{
    MESH_UNUSED(ctx);
    pthread_mutex_lock(&reg_lock);
    RegEntry *r = reg_find(name);
    MeshInt pid = r ? reg_live_pid(r) : 0;
    pthread_mutex_unlock(&reg_lock);
    return pid;
}
