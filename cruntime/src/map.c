/*
 * map.c -- persistent insertion-ordered hash tables shared by Map and Set
 * (prefixes mesh_map_ and meshP_table_). Design notes and measurements:
 * docs/internals/maps.md.
 *
 * A table is two persistent structures sharing nothing mutable:
 *   - a CHAMP hash trie (64-way, 6 hash bits per level, collision buckets
 *     below 64 bits) whose entries are (key, position) for sets and
 *     (key, position, value) for maps, and
 *   - an order vector: a persistent 32-way vector of (key, value) entries in
 *     insertion order, each leaf with a live mask (deleted entries become
 *     tombstones).
 * Lookups (get, has_key, contains) walk the trie only: a map's value sits
 * next to its key, so a get is one trie walk with no second chain of misses
 * through the vector; the vector is only read to iterate (and written by
 * updates: both copies of a value stay equal).
 * put of a new key appends to the vector and inserts into the trie; put of
 * an existing key keeps its position (the reference prints in insertion
 * order) and rewrites the value in the trie entry and in its vector entry;
 * delete removes the key from the trie and clears its entry. When tombstones
 * outnumber live entries the table is rebuilt. Every operation is O(log n)
 * (amortised for delete) with path copying; iteration walks the vector in
 * order. Int and Pid keys are hashed (splitmix64) and compared by value in
 * place; String keys use the string hash; other keys go through the key
 * type's descriptor (mesh_value_hash / mesh_value_eq). Lookups are bound by
 * dependent cache misses; what the code controls is how few instructions a
 * lookup takes (so the processor overlaps consecutive lookups' misses): Int
 * keys get their own walk, and on x86-64 a popcnt copy is chosen by cpuid.
 *
 * Transient sessions: the *_owned operations take a session token (from
 * mesh_session_token; 0 = none). Trie nodes, vector nodes and table headers
 * created by an owned operation carry the token in their spare 32-bit word
 * (`tok`; 0 in every persistent node) and later owned operations of the same
 * session mutate them in place instead of path-copying (session trie nodes
 * are allocated with room to grow by half again, so in-place inserts rarely
 * reallocate); anything else is copied first and the copy carries the token.
 * Sound as long as every version an owned operation returns is used at most
 * by reads and then by exactly one further owned operation of its session
 * (or leaves the session): the compiler proves that
 * (toolchain/lower/linear.py), and the runtime's own
 * builders (from_list, merge, rebuilds) keep their intermediate versions
 * private. Tokens are never reused, so a finished session's nodes are
 * ordinary immutable nodes.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "internal.h"

/* order vector: 32-way (the collector traces its nodes as 32 slots) */
#define BITS 5
#define WIDTH 32
#define MASK 31
/* hash trie: 2^TBITS-way, 3 <= TBITS <= 6 (bitmaps are 64 bits). 64-way
 * nodes keep a 1M-key trie at four levels whose last is mostly entries, where
 * 32-way needed a fifth for most keys: every level below the cached top is a
 * dependent cache (and TLB) miss on each lookup and insert. */
#ifndef MESH_TRIE_BITS
#define MESH_TRIE_BITS 6
#endif
#define TBITS MESH_TRIE_BITS
#define TWIDTH (1u << TBITS)
#define TMASK (TWIDTH - 1)
/* slots per entry in a map's trie: 3 stores the value next to the key, so a
 * lookup is one trie walk (the order vector is then only read to iterate) */
#ifndef MESH_MAP_EW
#define MESH_MAP_EW 3
#endif

/* ------------------------------------------------------------ trie nodes */

typedef MeshTrieNode Node;
typedef MeshTrieColl Coll;

/* What every trie operation of one table update needs. */
typedef struct Tc {
    MeshCtx *ctx;
    uint32_t kt, vt;
    uint32_t ew;           /* slots per entry */
    uint32_t tok;          /* session of the update, 0 = persistent */
} Tc;

/* Session nodes get spare room so that in-place inserts rarely reallocate
 * them: half their size again (at least NODE_SLACK slots). Each reallocation
 * leaves the old node as garbage, and the collector's work grows with the
 * bytes allocated, so growing geometrically trades a little peak RSS for
 * fewer copies and collections. */
#ifndef NODE_SLACK
#define NODE_SLACK 2
#endif
#ifndef NODE_GROWTH
#define NODE_GROWTH 2
#endif

static Node *node_alloc(const Tc *c, uint32_t nd, uint32_t nn)
{
    uint64_t slots = (uint64_t)c->ew * nd + nn, max = (uint64_t)c->ew * TWIDTH;
    if (c->tok) {
        uint64_t extra = slots / NODE_GROWTH > NODE_SLACK ? slots / NODE_GROWTH : NODE_SLACK;
        slots = slots + extra > max ? max : slots + extra;
    }
    Node *n = (Node *)meshP_alloc_priv(c->ctx, sizeof(Node) + 8 * slots, MESH_SUB_HAMT, MESH_KIND_INTERNAL);
    n->kt = c->kt;
    n->vt = c->vt;
    n->ew = c->ew;
    n->tok = c->tok;
    return n;
}

/* Slots a node has room for (nodes are small: aux holds the word count). */
static inline uint32_t node_cap(const Node *n) { return (uint32_t)n->hdr.aux - (uint32_t)(sizeof(Node) / 8); }
static inline int node_owned(const Node *n, uint32_t tok) { return tok != 0 && n->tok == tok; }

static Coll *coll_alloc(const Tc *c, uint32_t n)
{
    Coll *r = (Coll *)meshP_alloc_priv(c->ctx, sizeof(Coll) + 8 * (uint64_t)c->ew * n, MESH_SUB_COLL,
                                       MESH_KIND_INTERNAL);
    r->n = n;
    r->kt = c->kt;
    r->vt = c->vt;
    r->ew = c->ew;
    return r;
}

static inline uint32_t frag(uint64_t h, uint32_t shift) { return (uint32_t)(h >> shift) & TMASK; }
/* Bitmap population count. x86-64 compilers without -mpopcnt make
 * __builtin_popcountll a libgcc call, so the generic code counts branch-free;
 * lookups (below) have a second copy compiled for popcnt, chosen at run time. */
#if defined(__POPCNT__) || !defined(__x86_64__)
static inline uint32_t npop(uint64_t x) { return (uint32_t)__builtin_popcountll(x); }
#else
static inline uint32_t npop(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}
#endif
/* hw: compiled inside a function that may use the popcnt instruction */
static inline uint32_t npop_hw(uint64_t x, int hw) { return hw ? (uint32_t)__builtin_popcountll(x) : npop(x); }
static inline int is_coll(MeshObj *o) { return o->type_id == MESH_SUB_COLL; }

/* Test hook: trie hashes are and-ed with this mask (0 forces every key into
 * one collision bucket). Only the trie's placement depends on it. */
static uint64_t hash_mask = ~(uint64_t)0;

void mesh_map_debug_set_hash_mask(MeshInt mask) { hash_mask = (uint64_t)mask; }

/* The trie's hash. It only places keys inside one table (iteration follows
 * the order vector, equality/hash of whole maps go through entries), so the
 * runtime's own key types use a cheaper, better-mixed hash than FNV; every
 * other type goes through its descriptor (user hash overrides included). */
static inline uint64_t khash(MeshCtx *ctx, uint32_t kt, MeshSlot k)
{
    uint64_t h;
    if (kt == MESH_TYPE_INT || kt == MESH_TYPE_PID || kt == MESH_TYPE_ANY) {
        h = (uint64_t)k;                      /* splitmix64 finaliser */
        h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
        h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
        h ^= h >> 31;
    } else if (kt == MESH_TYPE_STRING) {
        h = (uint64_t)mesh_hash_string(meshP_s2p(k));
    } else {
        h = (uint64_t)mesh_value_hash(ctx, kt, k);
    }
    return h & hash_mask;
}

/* Int-like keys compare by value without the descriptor. */
static inline int keq(MeshCtx *ctx, uint32_t kt, MeshSlot a, MeshSlot b)
{
    if (kt == MESH_TYPE_INT || kt == MESH_TYPE_PID || kt == MESH_TYPE_ANY || kt == MESH_TYPE_BOOL) return a == b;
    if (kt == MESH_TYPE_STRING) return a == b || mesh_string_eq(meshP_s2p(a), meshP_s2p(b));
    return mesh_value_eq(ctx, kt, a, b) != 0;
}

/* The entry of key k, or NULL (ew: the table's slots per entry). Inlined into
 * its callers, which pass constants for the common key types and entry sizes. */
static inline __attribute__((always_inline)) MeshSlot *trie_find(MeshCtx *ctx, MeshObj *o, uint32_t kt, MeshSlot k,
                                                                 uint64_t h, uint32_t ew, int hw)
{
    if (!o) return NULL;
    /* a child is never NULL, and what sits below all 64 hash bits is a collision bucket
     * (merge2), everything above it a node: no type test per level */
    for (uint32_t shift = 0; shift < 64; shift += TBITS) {
        Node *n = (Node *)o;
        uint64_t bit = (uint64_t)1 << frag(h, shift);
        if (n->datamap & bit) {
            MeshSlot *e = n->s + ew * npop_hw(n->datamap & (bit - 1), hw);
            return keq(ctx, kt, e[0], k) ? e : NULL;
        }
        if (!(n->nodemap & bit)) return NULL;
        o = meshP_s2p(n->s[ew * npop_hw(n->datamap, hw) + npop_hw(n->nodemap & (bit - 1), hw)]);
    }
    Coll *c = (Coll *)o;
    for (uint32_t i = 0; i < c->n; i++)
        if (keq(ctx, kt, c->s[ew * i], k)) return c->s + ew * i;
    return NULL;
}

/* A sub-trie holding two entries with distinct keys. */
static MeshObj *merge2(const Tc *c, const MeshSlot *e1, uint64_t h1, const MeshSlot *e2, uint64_t h2,
                       uint32_t shift)
{
    size_t esz = 8 * (size_t)c->ew;
    if (shift >= 64) {
        Coll *r = coll_alloc(c, 2);
        memcpy(r->s, e1, esz);
        memcpy(r->s + c->ew, e2, esz);
        return &r->hdr;
    }
    uint32_t f1 = frag(h1, shift), f2 = frag(h2, shift);
    if (f1 == f2) {
        MeshObj *child = merge2(c, e1, h1, e2, h2, shift + TBITS);
        Node *n = node_alloc(c, 0, 1);
        n->nodemap = (uint64_t)1 << f1;
        n->s[0] = meshP_p2s(child);
        return &n->hdr;
    }
    Node *n = node_alloc(c, 2, 0);
    n->datamap = ((uint64_t)1 << f1) | ((uint64_t)1 << f2);
    memcpy(n->s, f1 < f2 ? e1 : e2, esz);
    memcpy(n->s + c->ew, f1 < f2 ? e2 : e1, esz);
    return &n->hdr;
}

static Node *node_copy(const Tc *c, const Node *n, uint32_t nd, uint32_t nn)
{
    Node *r = node_alloc(c, nd, nn);
    r->datamap = n->datamap;
    r->nodemap = n->nodemap;
    memcpy(r->s, n->s, 8 * ((size_t)c->ew * nd + nn));
    return r;
}

/* Insert entry e (key, index[, value]) in one walk and return the new
 * sub-trie. When the key is present, *old gets a copy of its entry; its index
 * stays, and for 3-slot entries a different value replaces the stored one.
 * When nothing changes (or only nodes of session c->tok, updated in place)
 * the result is o itself, and path copying stops there. */
/* n (object o, nd entries, nn children) with child slot j replaced by child:
 * in place when the session owns n, else in a copy. */
static MeshObj *with_child(const Tc *c, MeshObj *o, Node *n, uint32_t nd, uint32_t nn, uint32_t j, MeshObj *child)
{
    uint32_t at = c->ew * nd + j;
    if (node_owned(n, c->tok)) {
        n->s[at] = meshP_p2s(child);
        return o;
    }
    Node *r = node_copy(c, n, nd, nn);
    r->s[at] = meshP_p2s(child);
    return &r->hdr;
}

static MeshObj *trie_insert(const Tc *c, MeshObj *o, const MeshSlot *e, uint64_t h, uint32_t shift, MeshSlot *old,
                            int *hit)
{
    uint32_t ew = c->ew;
    size_t esz = 8 * (size_t)ew;
    if (!o) {
        Node *n = node_alloc(c, 1, 0);
        n->datamap = (uint64_t)1 << frag(h, shift);
        memcpy(n->s, e, esz);
        return &n->hdr;
    }
    if (is_coll(o)) {
        Coll *cl = (Coll *)o;
        for (uint32_t i = 0; i < cl->n; i++) {
            MeshSlot *x = cl->s + ew * i;
            if (!keq(c->ctx, c->kt, x[0], e[0])) continue;
            memcpy(old, x, esz);
            *hit = 1;
            if (ew < 3 || x[2] == e[2]) return o;
            Coll *r = coll_alloc(c, cl->n);
            memcpy(r->s, cl->s, esz * cl->n);
            r->s[ew * i + 2] = e[2];
            return &r->hdr;
        }
        Coll *r = coll_alloc(c, cl->n + 1);
        memcpy(r->s, cl->s, esz * cl->n);
        memcpy(r->s + ew * cl->n, e, esz);
        return &r->hdr;
    }
    Node *n = (Node *)o;
    uint64_t bit = (uint64_t)1 << frag(h, shift);
    uint32_t nd = npop(n->datamap), nn = npop(n->nodemap);
    int own = node_owned(n, c->tok);
    if (n->datamap & bit) {
        uint32_t i = npop(n->datamap & (bit - 1));
        MeshSlot *x = n->s + ew * i;
        if (keq(c->ctx, c->kt, x[0], e[0])) {
            memcpy(old, x, esz);
            *hit = 1;
            if (ew < 3 || x[2] == e[2]) return o;
            if (own) {
                x[2] = e[2];
                return o;
            }
            Node *r = node_copy(c, n, nd, nn);
            r->s[ew * i + 2] = e[2];
            return &r->hdr;
        }
        MeshObj *child = merge2(c, x, khash(c->ctx, c->kt, x[0]), e, h, shift + TBITS);
        uint32_t j = npop(n->nodemap & (bit - 1));
        if (own) {
            /* entry i leaves (those after it move down ew slots), the child goes in at rank j
             * (children before it move down ew, the rest ew - 1) */
            MeshSlot *s = n->s;
            memmove(s + ew * i, s + ew * (i + 1), esz * (nd - 1 - i));
            memmove(s + ew * (nd - 1), s + ew * nd, 8 * (size_t)j);
            memmove(s + ew * (nd - 1) + j + 1, s + ew * nd + j, 8 * (size_t)(nn - j));
            s[ew * (nd - 1) + j] = meshP_p2s(child);
            n->datamap &= ~bit;
            n->nodemap |= bit;
            return o;
        }
        Node *r = node_alloc(c, nd - 1, nn + 1);
        r->datamap = n->datamap & ~bit;
        r->nodemap = n->nodemap | bit;
        memcpy(r->s, n->s, esz * i);
        memcpy(r->s + ew * i, n->s + ew * (i + 1), esz * (nd - 1 - i));
        MeshSlot *src = n->s + ew * nd, *dst = r->s + ew * (nd - 1);
        memcpy(dst, src, 8 * (size_t)j);
        dst[j] = meshP_p2s(child);
        memcpy(dst + j + 1, src + j, 8 * (size_t)(nn - j));
        return &r->hdr;
    }
    if (n->nodemap & bit) {
        uint32_t j = npop(n->nodemap & (bit - 1));
        MeshObj *prev = meshP_s2p(n->s[ew * nd + j]);
        MeshObj *child = trie_insert(c, prev, e, h, shift + TBITS, old, hit);
        if (child == prev) return o;
        return with_child(c, o, n, nd, nn, j, child);
    }
    uint32_t i = npop(n->datamap & (bit - 1));
    if (own && ew * nd + nn + ew <= node_cap(n)) {
        memmove(n->s + ew * (i + 1), n->s + ew * i, 8 * ((size_t)ew * (nd - i) + nn));
        memcpy(n->s + ew * i, e, esz);
        n->datamap |= bit;
        return o;
    }
    Node *r = node_alloc(c, nd + 1, nn);
    r->datamap = n->datamap | bit;
    r->nodemap = n->nodemap;
    memcpy(r->s, n->s, esz * i);
    memcpy(r->s + ew * i, e, esz);
    memcpy(r->s + ew * (i + 1), n->s + ew * i, 8 * ((size_t)ew * (nd - i) + nn));
    return &r->hdr;
}

/* Remove a key known to be present; returns the new sub-trie (NULL if empty).
 * Nodes of session c->tok shrink in place. */
static MeshObj *trie_delete(const Tc *c, MeshObj *o, MeshSlot k, uint64_t h, uint32_t shift)
{
    uint32_t ew = c->ew;
    size_t esz = 8 * (size_t)ew;
    if (is_coll(o)) {
        Coll *cl = (Coll *)o;
        if (cl->n == 1) return NULL;
        Coll *r = coll_alloc(c, cl->n - 1);
        uint32_t j = 0;
        int gone = 0;
        for (uint32_t i = 0; i < cl->n; i++) {
            if (!gone && keq(c->ctx, c->kt, cl->s[ew * i], k)) {
                gone = 1;
                continue;
            }
            if (j < r->n) memcpy(r->s + ew * j, cl->s + ew * i, esz);
            j++;
        }
        return &r->hdr;
    }
    Node *n = (Node *)o;
    uint64_t bit = (uint64_t)1 << frag(h, shift);
    uint32_t nd = npop(n->datamap), nn = npop(n->nodemap);
    int own = node_owned(n, c->tok);
    if (n->datamap & bit) {
        if (nd == 1 && nn == 0) return NULL;
        uint32_t i = npop(n->datamap & (bit - 1));
        size_t rest = 8 * ((size_t)ew * (nd - 1 - i) + nn);
        if (own) {
            memmove(n->s + ew * i, n->s + ew * (i + 1), rest);
            n->datamap &= ~bit;
            return o;
        }
        Node *r = node_alloc(c, nd - 1, nn);
        r->datamap = n->datamap & ~bit;
        r->nodemap = n->nodemap;
        memcpy(r->s, n->s, esz * i);
        memcpy(r->s + ew * i, n->s + ew * (i + 1), rest);
        return &r->hdr;
    }
    uint32_t j = npop(n->nodemap & (bit - 1));
    MeshObj *prev = meshP_s2p(n->s[ew * nd + j]);
    MeshObj *child = trie_delete(c, prev, k, h, shift + TBITS);
    if (child) {
        if (child == prev) return o;
        return with_child(c, o, n, nd, nn, j, child);
    }
    if (nd == 0 && nn == 1) return NULL;
    if (own) {
        memmove(n->s + ew * nd + j, n->s + ew * nd + j + 1, 8 * (size_t)(nn - 1 - j));
        n->nodemap &= ~bit;
        return o;
    }
    Node *r = node_alloc(c, nd, nn - 1);
    r->datamap = n->datamap;
    r->nodemap = n->nodemap & ~bit;
    memcpy(r->s, n->s, 8 * ((size_t)ew * nd + j));
    memcpy(r->s + ew * nd + j, n->s + ew * nd + j + 1, 8 * (size_t)(nn - 1 - j));
    return &r->hdr;
}

/* ------------------------------------------------------------ order vector */

typedef struct Vec {
    MeshObj  hdr;          /* INTERNAL, MESH_SUB_VEC */
    uint32_t live, leaf, kt, vt;
    uint32_t fill, tok;    /* fill (leaf): entries ever written (only grows); tok: owning session */
    MeshSlot s[];          /* leaf: 32 (key, value) pairs; inner: 32 children */
} Vec;

/* v itself when it belongs to session tok, else a copy of v (or a new node) owned by tok. */
static Vec *vec_copy(MeshCtx *ctx, Vec *v, int leaf, uint32_t kt, uint32_t vt, uint32_t tok)
{
    if (v && tok && v->tok == tok) return v;
    uint64_t n = leaf ? 2 * WIDTH : WIDTH;
    Vec *r = (Vec *)meshP_alloc_priv(ctx, sizeof(Vec) + 8 * n, MESH_SUB_VEC, MESH_KIND_INTERNAL);
    r->leaf = (uint32_t)leaf;
    r->kt = kt;
    r->vt = vt;
    r->tok = tok;
    if (v) {
        r->live = v->live;
        r->fill = v->fill;
        memcpy(r->s, v->s, 8 * n);
    }
    return r;
}

/* Set entry i (live or tombstone) below node v (may be NULL: created). */
static Vec *vec_assoc(MeshCtx *ctx, Vec *v, uint32_t shift, int64_t i, MeshSlot k, MeshSlot val, int live,
                      uint32_t kt, uint32_t vt, uint32_t tok)
{
    if (shift == 0) {
        Vec *r = vec_copy(ctx, v, 1, kt, vt, tok);
        uint32_t e = (uint32_t)(i & MASK);
        r->s[2 * e] = live ? k : 0;
        r->s[2 * e + 1] = live ? val : 0;
        if (live) r->live |= 1u << e;
        else r->live &= ~(1u << e);
        if (r->fill < e + 1) r->fill = e + 1;
        return r;
    }
    uint32_t c = (uint32_t)(i >> shift) & MASK;
    Vec *child = vec_assoc(ctx, v ? meshP_s2p(v->s[c]) : NULL, shift - BITS, i, k, val, live, kt, vt, tok);
    Vec *r = vec_copy(ctx, v, 0, kt, vt, tok);
    r->s[c] = meshP_p2s(child);
    return r;
}

/* Append entry i (= the table's count) by writing into the shared vector in
 * place. Safe because a version only reads entries below its own count, and
 * a leaf's `fill` (entries ever written) tells whether another version has
 * already claimed slot i; then the caller path-copies instead (returns 0). */
static int vec_append_inplace(MeshCtx *ctx, Vec *root, uint32_t shift, int64_t i, MeshSlot k, MeshSlot val,
                              uint32_t kt, uint32_t vt, uint32_t tok)
{
    Vec *v = root;
    for (uint32_t s = shift; s > 0; s -= BITS) {
        uint32_t c = (uint32_t)(i >> s) & MASK;
        Vec *child = meshP_s2p(v->s[c]);
        if (!child) {
            /* a new path: build it bottom-up, then link it in (nobody else can see slot c) */
            Vec *leaf = vec_copy(ctx, NULL, 1, kt, vt, tok);
            Vec *sub = leaf;
            for (uint32_t t = BITS; t < s; t += BITS) {
                Vec *inner = vec_copy(ctx, NULL, 0, kt, vt, tok);
                inner->s[(i >> t) & MASK] = meshP_p2s(sub);
                sub = inner;
            }
            if (v->s[c]) return 0;
            uint32_t e = (uint32_t)(i & MASK);
            leaf->s[2 * e] = k;
            leaf->s[2 * e + 1] = val;
            leaf->live |= 1u << e;
            leaf->fill = e + 1;
            v->s[c] = meshP_p2s(sub);
            return 1;
        }
        v = child;
    }
    uint32_t e = (uint32_t)(i & MASK);
    if (v->fill != e) return 0;
    v->s[2 * e] = k;
    v->s[2 * e + 1] = val;
    v->live |= 1u << e;
    v->fill = e + 1;
    return 1;
}

static Vec *vec_leaf(Vec *root, uint32_t shift, int64_t i)
{
    Vec *v = root;
    for (uint32_t s = shift; s > 0 && v; s -= BITS) v = meshP_s2p(v->s[(i >> s) & MASK]);
    return v;
}

/* ------------------------------------------------------------ tables */

#define TABLE_SIZE ((uint64_t)sizeof(MeshTable))

MeshTable *meshP_table_new(MeshCtx *ctx, MeshTypeId type_id, uint32_t kind, MeshTypeId kt, MeshTypeId vt)
{
    MeshTable *t = (MeshTable *)meshP_alloc_priv(ctx, TABLE_SIZE, type_id, kind);
    t->key_type = kt;
    t->val_type = vt;
    return t;
}

/* The table after an update: t itself when it belongs to session tok, else a new header. */
static MeshTable *table_with(MeshCtx *ctx, MeshTable *t, MeshObj *root, Vec *order, uint32_t shift, int64_t size,
                             int64_t count, uint32_t tok)
{
    MeshTable *r = t;
    if (!tok || t->pad != tok) {
        r = (MeshTable *)meshP_alloc_priv(ctx, TABLE_SIZE, t->hdr.type_id, t->hdr.kind);
        r->key_type = t->key_type;
        r->val_type = t->val_type;
        r->pad = tok;       /* MeshTable.pad holds the owning session's token */
    }
    r->root = root;
    r->order = &order->hdr;
    r->shift = shift;
    r->size = size;
    r->count = count;
    return r;
}

/* Slots per trie entry: maps keep the value in the trie too. */
static inline uint32_t table_ew(const MeshTable *t) { return t->hdr.kind == MESH_KIND_MAP ? MESH_MAP_EW : 2; }

static inline Tc table_tc(MeshCtx *ctx, const MeshTable *t, uint32_t tok)
{
    return (Tc){ctx, t->key_type, t->val_type, table_ew(t), tok};
}

/* Every lookup (get, lookup, has_key, contains) comes here. Int-like keys of
 * maps and sets get their own copies of the walk with the hash, the key
 * comparison and the entry size fixed: the fewer instructions a lookup takes,
 * the more of consecutive lookups' cache misses the processor overlaps. */
static inline __attribute__((always_inline)) int table_find(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot *v_out,
                                                            int hw)
{
    if (!t->size) return 0;
    uint32_t kt = t->key_type, ew = table_ew(t);
    MeshSlot *e;
    if (kt == MESH_TYPE_INT || kt == MESH_TYPE_PID || kt == MESH_TYPE_ANY) {
        uint64_t h = khash(ctx, MESH_TYPE_INT, k);
        e = ew == 3 ? trie_find(ctx, t->root, MESH_TYPE_INT, k, h, 3, hw)
                    : trie_find(ctx, t->root, MESH_TYPE_INT, k, h, 2, hw);
    } else {
        e = trie_find(ctx, t->root, kt, k, khash(ctx, kt, k), ew, hw);
    }
    if (!e) return 0;
    if (v_out) {
        if (ew >= 3) {
            *v_out = e[2];
        } else {
            int64_t idx = (int64_t)e[1];
            *v_out = vec_leaf((Vec *)t->order, t->shift, idx)->s[2 * (idx & MASK) + 1];
        }
    }
    return 1;
}

/* On x86-64 without -mpopcnt, a copy of the lookup that uses the popcnt
 * instruction, taken when cpuid reports it (the branch-free count made a
 * lookup long enough that the processor could no longer overlap one lookup's
 * misses with the next one's: 1M Int gets -28%, Set.contains -40%). Not
 * target_clones: its resolver needs libgcc's __cpu_model, which the bundled
 * linker's compiler-rt lacks. */
#if defined(__x86_64__) && !defined(__POPCNT__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

__attribute__((target("popcnt"))) static int table_find_popcnt(MeshCtx *ctx, MeshTable *t, MeshSlot k,
                                                               MeshSlot *v_out)
{
    return table_find(ctx, t, k, v_out, 1);
}

__attribute__((noinline)) static int table_find_generic(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot *v_out)
{
    return table_find(ctx, t, k, v_out, 0);
}

static _Atomic int popcnt_state;   /* 0 unknown, 1 absent, 2 present */

/* MESH_NO_POPCNT=1 keeps the generic copy: how tests reach it on CPUs that have popcnt. */
__attribute__((noinline)) static int probe_popcnt(void)
{
    const char *off = getenv("MESH_NO_POPCNT");
    unsigned a, b, c, d;
    int st = !(off && *off == '1') && __get_cpuid(1, &a, &b, &c, &d) && (c & bit_POPCNT) ? 2 : 1;
    atomic_store_explicit(&popcnt_state, st, memory_order_relaxed);
    return st;
}

/* Kept to a flag test and a tail call: a bigger entry would cost back what popcnt saves. */
int meshP_table_find(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot *v_out)
{
    int st = atomic_load_explicit(&popcnt_state, memory_order_relaxed);
    if (MESH_UNLIKELY(st == 0)) st = probe_popcnt();
    return st == 2 ? table_find_popcnt(ctx, t, k, v_out) : table_find_generic(ctx, t, k, v_out);
}
#else
int meshP_table_find(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot *v_out)
{
    return table_find(ctx, t, k, v_out, 1);
}
#endif

int meshP_table_next(MeshTable *t, int64_t *pos, MeshSlot *k, MeshSlot *v)
{
    while (*pos < t->count) {
        int64_t i = (*pos)++;
        Vec *leaf = vec_leaf((Vec *)t->order, t->shift, i);
        uint32_t e = (uint32_t)(i & MASK);
        if (leaf && (leaf->live & (1u << e))) {
            *k = leaf->s[2 * e];
            *v = leaf->s[2 * e + 1];
            return 1;
        }
    }
    return 0;
}

static MeshTable *table_put(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot v, uint32_t tok)
{
    uint32_t kt = t->key_type, vt = t->val_type;
    Tc c = table_tc(ctx, t, tok);
    uint64_t h = khash(ctx, kt, k);
    int64_t i = t->count;
    MeshSlot e[3] = {k, (MeshSlot)i, v}, old[3] = {0, 0, 0};
    int hit = 0;
    MeshObj *root = trie_insert(&c, t->size ? t->root : NULL, e, h, 0, old, &hit);
    if (hit) {
        /* a present key keeps its position; only a different value changes anything */
        int64_t idx = (int64_t)old[1];
        if (t->hdr.kind == MESH_KIND_SET) return t;
        if (c.ew >= 3 ? old[2] == v : vec_leaf((Vec *)t->order, t->shift, idx)->s[2 * (idx & MASK) + 1] == v)
            return t;
        Vec *order = vec_assoc(ctx, (Vec *)t->order, t->shift, idx, old[0], v, 1, kt, vt, tok);
        return table_with(ctx, t, root, order, t->shift, t->size, t->count, tok);
    }
    Vec *order = (Vec *)t->order;
    uint32_t shift = t->shift;
    if (order && (i >> (shift + BITS)) > 0) {
        /* root full: grow a level */
        Vec *nr = vec_copy(ctx, NULL, 0, kt, vt, tok);
        nr->s[0] = meshP_p2s(order);
        order = nr;
        shift += BITS;
    }
    if (!order || !vec_append_inplace(ctx, order, shift, i, k, v, kt, vt, tok))
        order = vec_assoc(ctx, order, shift, i, k, v, 1, kt, vt, tok);
    return table_with(ctx, t, root, order, shift, t->size + 1, t->count + 1, tok);
}

MeshTable *meshP_table_put(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot v) { return table_put(ctx, t, k, v, 0); }

MeshTable *meshP_table_put_owned(MeshCtx *ctx, MeshTable *t, MeshSlot k, MeshSlot v, MeshInt token)
{
    return table_put(ctx, t, k, v, (uint32_t)token);
}

static MeshTable *table_rebuild(MeshCtx *ctx, MeshTable *t)
{
    uint32_t tok = (uint32_t)mesh_session_token();
    MeshTable *r = meshP_table_new(ctx, t->hdr.type_id, t->hdr.kind, t->key_type, t->val_type);
    int64_t pos = 0;
    MeshSlot k, v;
    while (meshP_table_next(t, &pos, &k, &v)) r = table_put(ctx, r, k, v, tok);
    return r;
}

static MeshTable *table_delete(MeshCtx *ctx, MeshTable *t, MeshSlot k, uint32_t tok)
{
    if (!t->size) return t;
    uint32_t kt = t->key_type;
    Tc c = table_tc(ctx, t, tok);
    uint64_t h = khash(ctx, kt, k);
    MeshSlot *e = trie_find(ctx, t->root, kt, k, h, c.ew, 0);
    if (!e) return t;
    int64_t idx = (int64_t)e[1];
    MeshObj *root = trie_delete(&c, t->root, k, h, 0);
    Vec *order = vec_assoc(ctx, (Vec *)t->order, t->shift, idx, 0, 0, 0, kt, t->val_type, tok);
    MeshTable *r = table_with(ctx, t, root, order, t->shift, t->size - 1, t->count, tok);
    if (r->count > 32 && r->count - r->size > r->size) r = table_rebuild(ctx, r);
    if (r->size == 0) r = meshP_table_new(ctx, t->hdr.type_id, t->hdr.kind, t->key_type, t->val_type);
    return r;
}

MeshTable *meshP_table_delete(MeshCtx *ctx, MeshTable *t, MeshSlot k) { return table_delete(ctx, t, k, 0); }

/* ------------------------------------------------------------ sessions */

/* Tokens are 32 bits (they live in spare words of the nodes) and never
 * reused: once 2^32 - 1 sessions have started, every further session gets 0
 * and its owned operations simply path-copy. */
static _Atomic uint64_t next_token = 1;

MeshInt mesh_session_token(void)
{
    uint64_t t = atomic_fetch_add_explicit(&next_token, 1, memory_order_relaxed);
    return t <= UINT32_MAX ? (MeshInt)t : 0;
}

MeshMap *mesh_map_put_owned(MeshCtx *ctx, MeshMap *m, MeshSlot key, MeshSlot value, MeshInt token)
{
    return (MeshMap *)table_put(ctx, (MeshTable *)m, key, value, (uint32_t)token);
}

MeshMap *mesh_map_delete_owned(MeshCtx *ctx, MeshMap *m, MeshSlot key, MeshInt token)
{
    return (MeshMap *)table_delete(ctx, (MeshTable *)m, key, (uint32_t)token);
}

static int table_at(MeshTable *t, int64_t i, MeshSlot *k, MeshSlot *v)
{
    if (i < 0 || i >= t->size) return 0;
    if (t->size == t->count) {
        Vec *leaf = vec_leaf((Vec *)t->order, t->shift, i);
        *k = leaf->s[2 * (i & MASK)];
        *v = leaf->s[2 * (i & MASK) + 1];
        return 1;
    }
    int64_t pos = 0, n = 0;
    while (meshP_table_next(t, &pos, k, v))
        if (n++ == i) return 1;
    return 0;
}

/* ------------------------------------------------------------ Map API */

static MeshTypeId map_kt(MeshTypeId map_type)
{
    const MeshType *d = meshP_type(map_type);
    return d ? d->elem : MESH_TYPE_ANY;
}

static MeshTypeId map_vt(MeshTypeId map_type)
{
    const MeshType *d = meshP_type(map_type);
    return d ? d->elem2 : MESH_TYPE_ANY;
}

MeshMap *mesh_map_new(MeshCtx *ctx, MeshTypeId map_type)
{
    return (MeshMap *)meshP_table_new(ctx, map_type, MESH_KIND_MAP, map_kt(map_type), map_vt(map_type));
}

MeshMap *mesh_map_put(MeshCtx *ctx, MeshMap *m, MeshSlot key, MeshSlot value)
{
    return (MeshMap *)meshP_table_put(ctx, (MeshTable *)m, key, value);
}

MeshSlot mesh_map_get(MeshCtx *ctx, MeshMap *m, MeshSlot key)
{
    MeshSlot v = 0;
    if (meshP_table_find(ctx, (MeshTable *)m, key, &v)) return v;
    /* The reference returns 0 for a missing key. Scalar values keep that (programs rely on
     * it); a missing String/struct/collection value would be a null object that crashes
     * later, so it stops here with a clear message instead. */
    const MeshType *t = mesh_rt_type(((MeshTable *)m)->hdr.type_id);
    if (t != NULL && t->kind == MESH_KIND_MAP && t->elem2 != MESH_TYPE_ANY) {
        const MeshType *vt = mesh_rt_type(t->elem2);
        if (vt != NULL && vt->boxed) {
            static const char msg[] = "Map.get: key not found (use Map.has_key or Map.lookup first)";
            mesh_panic(ctx, msg, (int64_t)sizeof msg - 1);
        }
    }
    return 0;
}

MeshObj *mesh_map_lookup(MeshCtx *ctx, MeshMap *m, MeshSlot key, MeshTypeId option_type)
{
    MeshSlot v;
    if (!meshP_table_find(ctx, (MeshTable *)m, key, &v)) return mesh_option_none();
    return mesh_option_some(ctx, option_type, v);
}

MeshBool mesh_map_has_key(MeshCtx *ctx, MeshMap *m, MeshSlot key)
{
    return meshP_table_find(ctx, (MeshTable *)m, key, NULL);
}

MeshMap *mesh_map_delete(MeshCtx *ctx, MeshMap *m, MeshSlot key)
{
    return (MeshMap *)meshP_table_delete(ctx, (MeshTable *)m, key);
}

MeshInt mesh_map_size(MeshMap *m) { return ((MeshTable *)m)->size; }

static MeshList *table_list(MeshCtx *ctx, MeshTable *t, MeshTypeId list_type, int what)
{
    MeshList *out = meshP_list_with_capacity(ctx, list_type, t->size);
    MeshTypeId tt = MESH_TYPE_TUPLE_ANY;
    if (what == 2) {
        const MeshType *d = meshP_type(list_type);
        if (d && d->elem != MESH_TYPE_ANY) tt = d->elem;
    }
    int64_t pos = 0;
    MeshSlot k, v;
    while (meshP_table_next(t, &pos, &k, &v)) {
        MeshSlot x = what == 0 ? k : what == 1 ? v : 0;
        if (what == 2) {
            MeshFields *p = (MeshFields *)mesh_gc_alloc(ctx, 24, tt, MESH_KIND_TUPLE, 2);
            p->slots[0] = k;
            p->slots[1] = v;
            x = meshP_p2s(p);
        }
        out = mesh_list_append(ctx, out, x);
    }
    return out;
}

MeshList *mesh_map_keys(MeshCtx *ctx, MeshMap *m, MeshTypeId list_type)
{
    return table_list(ctx, (MeshTable *)m, list_type, 0);
}

MeshList *mesh_map_values(MeshCtx *ctx, MeshMap *m, MeshTypeId list_type)
{
    return table_list(ctx, (MeshTable *)m, list_type, 1);
}

MeshList *mesh_map_to_list(MeshCtx *ctx, MeshMap *m, MeshTypeId list_type)
{
    return table_list(ctx, (MeshTable *)m, list_type, 2);
}

/* The builders below run a private session: their intermediate versions are
 * never seen by anyone else, and `a` itself is only copied from. */
MeshMap *mesh_map_merge(MeshCtx *ctx, MeshMap *a, MeshMap *b)
{
    MeshTable *r = (MeshTable *)a, *tb = (MeshTable *)b;
    uint32_t tok = (uint32_t)mesh_session_token();
    int64_t pos = 0;
    MeshSlot k, v;
    while (meshP_table_next(tb, &pos, &k, &v)) r = table_put(ctx, r, k, v, tok);
    return (MeshMap *)r;
}

MeshMap *mesh_map_from_list(MeshCtx *ctx, MeshList *pairs, MeshTypeId map_type)
{
    MeshTable *r = (MeshTable *)mesh_map_new(ctx, map_type);
    uint32_t tok = (uint32_t)mesh_session_token();
    for (int64_t i = 0; i < pairs->len; i++) {
        MeshFields *p = meshP_s2p(meshP_list_at(pairs, i));
        r = table_put(ctx, r, p->slots[0], p->slots[1], tok);
    }
    return (MeshMap *)r;
}

MeshSlot mesh_map_key_at(MeshCtx *ctx, MeshMap *m, MeshInt i)
{
    MeshSlot k, v;
    if (!table_at((MeshTable *)m, i, &k, &v)) meshP_panicf(ctx, "Map: entry index %lld out of range", (long long)i);
    return k;
}

MeshSlot mesh_map_value_at(MeshCtx *ctx, MeshMap *m, MeshInt i)
{
    MeshSlot k, v;
    if (!table_at((MeshTable *)m, i, &k, &v)) meshP_panicf(ctx, "Map: entry index %lld out of range", (long long)i);
    return v;
}

MeshSlot meshP_table_key_at(MeshCtx *ctx, MeshTable *t, MeshInt i)
{
    MeshSlot k, v;
    if (!table_at(t, i, &k, &v)) meshP_panicf(ctx, "Set: element index %lld out of range", (long long)i);
    return k;
}
