/*
 * list.c -- persistent lists (prefix mesh_list_).
 *
 * A list value is a small view {len, off, buf} on a shared slot buffer
 * (MeshListBuf: cap slots, the used part is [front, used)). Views never
 * change; buffers only grow at their two ends:
 *   - append onto a view that ends exactly at buf->used writes the slot in
 *     place and returns a longer view (the Go-slice trick, made safe because
 *     no existing view covers that slot and `used` moves only forward);
 *     otherwise the elements are copied into a buffer twice as large. So
 *     building a list by appending in a loop is amortised O(1) per element,
 *     while older versions stay valid and unchanged.
 *   - prepend (cons) does the same at the front (`front` moves only back).
 *   - tail, drop and take are O(1) views; get/length/head/last are O(1).
 */
#include <stdlib.h>

#include "internal.h"

#define VIEW_SIZE ((uint64_t)sizeof(MeshList))

static MeshTypeId elem_of(MeshTypeId list_type)
{
    const MeshType *d = meshP_type(list_type);
    return d ? d->elem : MESH_TYPE_ANY;
}

MeshTypeId mesh_list_elem_type(MeshList *l) { return elem_of(l->hdr.type_id); }

static MeshListBuf *buf_new(MeshCtx *ctx, MeshTypeId elem, int64_t cap, int64_t front)
{
    if (cap < 4) cap = 4;
    MeshListBuf *b = (MeshListBuf *)meshP_alloc_priv(ctx, sizeof(MeshListBuf) + 8 * (uint64_t)cap,
                                                     MESH_SUB_LISTBUF, MESH_KIND_INTERNAL);
    b->elem = elem;
    b->cap = cap;
    b->front = b->used = front;
    return b;
}

static MeshList *view(MeshCtx *ctx, MeshTypeId type, MeshListBuf *buf, int64_t off, int64_t len)
{
    MeshList *l = (MeshList *)meshP_alloc_priv(ctx, VIEW_SIZE, type, MESH_KIND_LIST);
    l->len = len;
    l->off = off;
    l->buf = len ? buf : NULL;
    return l;
}

MeshList *mesh_list_new(MeshCtx *ctx, MeshTypeId list_type) { return view(ctx, list_type, NULL, 0, 0); }

MeshList *meshP_list_with_capacity(MeshCtx *ctx, MeshTypeId list_type, int64_t cap)
{
    MeshListBuf *b = buf_new(ctx, elem_of(list_type), cap, 0);
    MeshList *l = view(ctx, list_type, b, 0, 0);
    l->buf = b;   /* an empty view that owns the end of a fresh buffer */
    return l;
}

MeshList *mesh_list_from_array(MeshCtx *ctx, MeshTypeId list_type, const MeshSlot *items, int64_t n)
{
    if (n <= 0) return mesh_list_new(ctx, list_type);
    MeshListBuf *b = buf_new(ctx, elem_of(list_type), n, 0);
    memcpy(b->slots, items, 8 * (size_t)n);
    b->used = n;
    return view(ctx, list_type, b, 0, n);
}

MeshInt mesh_list_length(MeshList *l) { return l->len; }
MeshBool mesh_list_is_empty(MeshList *l) { return l->len == 0; }

/* A buffer twice as large holding l's elements and then x (from index 0). */
static MeshListBuf *grown_copy(MeshCtx *ctx, MeshList *l, MeshSlot x)
{
    int64_t cap = 2 * (l->len + 1);
    MeshListBuf *nb = buf_new(ctx, elem_of(l->hdr.type_id), cap < 8 ? 8 : cap, 0);
    if (l->len) memcpy(nb->slots, l->buf->slots + l->off, 8 * (size_t)l->len);
    nb->slots[l->len] = x;
    nb->used = l->len + 1;
    return nb;
}

MeshList *mesh_list_append(MeshCtx *ctx, MeshList *l, MeshSlot x)
{
    MeshListBuf *b = l->buf;
    if (b && l->off + l->len == b->used && b->used < b->cap) {
        MeshList *r = view(ctx, l->hdr.type_id, b, l->off, l->len + 1);
        if (b->used == l->off + l->len) {        /* still ours after the allocation */
            b->slots[b->used++] = x;
            return r;
        }
    }
    return view(ctx, l->hdr.type_id, grown_copy(ctx, l, x), 0, l->len + 1);
}

/* Owned appends (the compiler's linearity pass, toolchain/lower/linear.py):
 * the first one in a session makes a session view, one word longer than a
 * view, holding the session's token; later ones with that token change that
 * view in place (nobody else can hold it) instead of allocating a new view
 * per element. The buffer obeys the same rule as for any append: a slot is
 * written only past every view's end. */
#define SESSION_VIEW_WORDS 5
static int64_t *view_token(MeshList *l) { return (int64_t *)(l + 1); }

MeshList *mesh_list_append_owned(MeshCtx *ctx, MeshList *l, MeshSlot x, MeshInt token)
{
    if (!token || l->hdr.aux != SESSION_VIEW_WORDS || *view_token(l) != token) {
        MeshList *r = mesh_list_append(ctx, l, x);
        MeshList *v = (MeshList *)meshP_alloc_priv(ctx, 8 * SESSION_VIEW_WORDS, r->hdr.type_id, MESH_KIND_LIST);
        v->len = r->len;
        v->off = r->off;
        v->buf = r->buf;
        *view_token(v) = token;
        return v;
    }
    MeshListBuf *b = l->buf;
    if (b && l->off + l->len == b->used && b->used < b->cap) {
        b->slots[b->used++] = x;
    } else {
        l->buf = grown_copy(ctx, l, x);
        l->off = 0;
    }
    l->len++;
    return l;
}

MeshList *meshP_list_push(MeshCtx *ctx, MeshList *l, MeshSlot x) { return mesh_list_append(ctx, l, x); }

MeshList *mesh_list_prepend(MeshCtx *ctx, MeshList *l, MeshSlot x)
{
    MeshListBuf *b = l->buf;
    if (b && l->off == b->front && b->front > 0) {
        MeshList *r = view(ctx, l->hdr.type_id, b, l->off - 1, l->len + 1);
        if (b->front == l->off) {
            b->slots[--b->front] = x;
            return r;
        }
    }
    int64_t room = l->len + 4;
    int64_t cap = room + l->len + 1 + 4;
    MeshListBuf *nb = buf_new(ctx, elem_of(l->hdr.type_id), cap, room);
    nb->slots[room] = x;
    if (l->len) memcpy(nb->slots + room + 1, l->buf->slots + l->off, 8 * (size_t)l->len);
    nb->used = room + 1 + l->len;
    return view(ctx, l->hdr.type_id, nb, room, l->len + 1);
}

MeshSlot mesh_list_head(MeshCtx *ctx, MeshList *l)
{
    if (!l->len) meshP_panicf(ctx, "List.head: empty list");
    return meshP_list_at(l, 0);
}

MeshList *mesh_list_tail(MeshCtx *ctx, MeshList *l)
{
    if (!l->len) meshP_panicf(ctx, "List.tail: empty list");
    return view(ctx, l->hdr.type_id, l->buf, l->off + 1, l->len - 1);
}

MeshSlot mesh_list_get(MeshCtx *ctx, MeshList *l, MeshInt i)
{
    if (i < 0 || i >= l->len)
        meshP_panicf(ctx, "List.get: index %lld out of bounds (length %lld)", (long long)i, (long long)l->len);
    return meshP_list_at(l, i);
}

MeshSlot mesh_list_nth(MeshCtx *ctx, MeshList *l, MeshInt i) { return mesh_list_get(ctx, l, i); }

MeshSlot mesh_list_last(MeshCtx *ctx, MeshList *l)
{
    if (!l->len) meshP_panicf(ctx, "List.last: empty list");
    return meshP_list_at(l, l->len - 1);
}

MeshList *mesh_list_concat(MeshCtx *ctx, MeshList *a, MeshList *b)
{
    if (!b->len) return a;
    if (!a->len) return b->hdr.type_id == a->hdr.type_id ? b : view(ctx, a->hdr.type_id, b->buf, b->off, b->len);
    MeshListBuf *ab = a->buf;
    if (a->off + a->len == ab->used && ab->used + b->len <= ab->cap) {
        MeshList *r = view(ctx, a->hdr.type_id, ab, a->off, a->len + b->len);
        if (ab->used == a->off + a->len) {
            memmove(ab->slots + ab->used, b->buf->slots + b->off, 8 * (size_t)b->len);
            ab->used += b->len;
            return r;
        }
    }
    int64_t n = a->len + b->len;
    MeshListBuf *nb = buf_new(ctx, elem_of(a->hdr.type_id), 2 * n, 0);
    memcpy(nb->slots, a->buf->slots + a->off, 8 * (size_t)a->len);
    memcpy(nb->slots + a->len, b->buf->slots + b->off, 8 * (size_t)b->len);
    nb->used = n;
    return view(ctx, a->hdr.type_id, nb, 0, n);
}

MeshList *mesh_list_reverse(MeshCtx *ctx, MeshList *l)
{
    if (l->len < 2) return l;
    MeshListBuf *nb = buf_new(ctx, elem_of(l->hdr.type_id), l->len, 0);
    for (int64_t i = 0; i < l->len; i++) nb->slots[i] = meshP_list_at(l, l->len - 1 - i);
    nb->used = l->len;
    return view(ctx, l->hdr.type_id, nb, 0, l->len);
}

MeshList *mesh_list_map(MeshCtx *ctx, MeshList *l, MeshClosure *f, MeshTypeId result_type)
{
    MeshList *out = meshP_list_with_capacity(ctx, result_type, l->len);
    for (int64_t i = 0; i < l->len; i++) out = mesh_list_append(ctx, out, meshP_call1(ctx, f, meshP_list_at(l, i)));
    return out;
}

MeshList *mesh_list_filter(MeshCtx *ctx, MeshList *l, MeshClosure *pred)
{
    MeshList *out = mesh_list_new(ctx, l->hdr.type_id);
    for (int64_t i = 0; i < l->len; i++) {
        MeshSlot x = meshP_list_at(l, i);
        if (meshP_call1(ctx, pred, x)) out = mesh_list_append(ctx, out, x);
    }
    return out;
}

MeshSlot mesh_list_reduce(MeshCtx *ctx, MeshList *l, MeshSlot init, MeshClosure *f)
{
    MeshSlot acc = init;
    for (int64_t i = 0; i < l->len; i++) acc = meshP_call2(ctx, f, acc, meshP_list_at(l, i));
    return acc;
}

/* Stable merge sort of n slots with a comparison callback. */
typedef struct SortCmp {
    MeshCtx *ctx;
    MeshClosure *f;      /* closure comparator, or NULL: natural order of type t */
    MeshTypeId t;
} SortCmp;

static MeshInt sort_cmp(SortCmp *c, MeshSlot a, MeshSlot b)
{
    if (c->f) return (MeshInt)meshP_call2(c->ctx, c->f, a, b);
    return mesh_value_compare(c->ctx, c->t, a, b);
}

static void merge_sort(SortCmp *c, MeshSlot *a, MeshSlot *tmp, int64_t n)
{
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = sort_cmp(c, a[j], a[i]) < 0 ? a[j++] : a[i++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        memcpy(a, tmp, 8 * (size_t)n);
    }
}

static MeshList *sort_with(MeshCtx *ctx, MeshList *l, SortCmp *c)
{
    if (l->len < 2) return l;
    MeshListBuf *nb = buf_new(ctx, elem_of(l->hdr.type_id), l->len, 0);
    memcpy(nb->slots, l->buf->slots + l->off, 8 * (size_t)l->len);
    nb->used = l->len;
    /* the elements stay reachable through l (and nb) while comparators run */
    MeshSlot *tmp = malloc(8 * (size_t)l->len);
    if (!tmp) meshP_fatal("out of memory");
    merge_sort(c, nb->slots, tmp, l->len);
    free(tmp);
    return view(ctx, l->hdr.type_id, nb, 0, l->len);
}

MeshList *mesh_list_sort(MeshCtx *ctx, MeshList *l, MeshClosure *cmp)
{
    SortCmp c = {ctx, cmp, MESH_TYPE_ANY};
    return sort_with(ctx, l, &c);
}

MeshList *mesh_list_sort_default(MeshCtx *ctx, MeshList *l)
{
    SortCmp c = {ctx, NULL, elem_of(l->hdr.type_id)};
    return sort_with(ctx, l, &c);
}

MeshObj *mesh_list_find(MeshCtx *ctx, MeshList *l, MeshClosure *pred, MeshTypeId option_type)
{
    for (int64_t i = 0; i < l->len; i++) {
        MeshSlot x = meshP_list_at(l, i);
        if (meshP_call1(ctx, pred, x)) return mesh_option_some(ctx, option_type, x);
    }
    return mesh_option_none();
}

MeshBool mesh_list_any(MeshCtx *ctx, MeshList *l, MeshClosure *pred)
{
    for (int64_t i = 0; i < l->len; i++)
        if (meshP_call1(ctx, pred, meshP_list_at(l, i))) return 1;
    return 0;
}

MeshBool mesh_list_all(MeshCtx *ctx, MeshList *l, MeshClosure *pred)
{
    for (int64_t i = 0; i < l->len; i++)
        if (!meshP_call1(ctx, pred, meshP_list_at(l, i))) return 0;
    return 1;
}

MeshBool mesh_list_contains(MeshCtx *ctx, MeshList *l, MeshSlot x)
{
    MeshTypeId t = elem_of(l->hdr.type_id);
    for (int64_t i = 0; i < l->len; i++)
        if (mesh_value_eq(ctx, t, meshP_list_at(l, i), x)) return 1;
    return 0;
}

static MeshObj *pair(MeshCtx *ctx, MeshTypeId tuple_type, MeshSlot a, MeshSlot b)
{
    MeshFields *t = (MeshFields *)mesh_gc_alloc(ctx, 24, tuple_type, MESH_KIND_TUPLE, 2);
    t->slots[0] = a;
    t->slots[1] = b;
    return &t->hdr;
}

MeshList *mesh_list_zip(MeshCtx *ctx, MeshList *a, MeshList *b, MeshTypeId result_type)
{
    int64_t n = a->len < b->len ? a->len : b->len;
    MeshTypeId tt = elem_of(result_type);
    if (tt == MESH_TYPE_ANY) tt = MESH_TYPE_TUPLE_ANY;
    MeshList *out = meshP_list_with_capacity(ctx, result_type, n);
    for (int64_t i = 0; i < n; i++)
        out = mesh_list_append(ctx, out, meshP_p2s(pair(ctx, tt, meshP_list_at(a, i), meshP_list_at(b, i))));
    return out;
}

MeshList *mesh_list_enumerate(MeshCtx *ctx, MeshList *l, MeshTypeId result_type)
{
    MeshTypeId tt = elem_of(result_type);
    if (tt == MESH_TYPE_ANY) tt = MESH_TYPE_TUPLE_ANY;
    MeshList *out = meshP_list_with_capacity(ctx, result_type, l->len);
    for (int64_t i = 0; i < l->len; i++)
        out = mesh_list_append(ctx, out, meshP_p2s(pair(ctx, tt, (MeshSlot)i, meshP_list_at(l, i))));
    return out;
}

MeshList *mesh_list_flat_map(MeshCtx *ctx, MeshList *l, MeshClosure *f, MeshTypeId result_type)
{
    MeshList *out = mesh_list_new(ctx, result_type);
    for (int64_t i = 0; i < l->len; i++) {
        MeshList *part = meshP_s2p(meshP_call1(ctx, f, meshP_list_at(l, i)));
        out = mesh_list_concat(ctx, out, part);
    }
    return out;
}

MeshList *mesh_list_flatten(MeshCtx *ctx, MeshList *l, MeshTypeId result_type)
{
    MeshList *out = mesh_list_new(ctx, result_type);
    for (int64_t i = 0; i < l->len; i++) out = mesh_list_concat(ctx, out, meshP_s2p(meshP_list_at(l, i)));
    return out;
}

MeshList *mesh_list_take(MeshCtx *ctx, MeshList *l, MeshInt n)
{
    if (n >= l->len) return l;
    if (n < 0) n = 0;
    /* a prefix view: appending to it later copies (its end is not buf->used) */
    return view(ctx, l->hdr.type_id, l->buf, l->off, n);
}

MeshList *mesh_list_drop(MeshCtx *ctx, MeshList *l, MeshInt n)
{
    if (n <= 0) return l;
    if (n > l->len) n = l->len;
    return view(ctx, l->hdr.type_id, l->buf, l->off + n, l->len - n);
}
