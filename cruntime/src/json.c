/*
 * json.c -- JSON parsing, encoding and descriptor-driven (de)serialisation
 * (see mesh/json.h).
 *
 * Parsing is iterative: open arrays and objects live on a malloc'd frame
 * stack and finished children on a malloc'd value stack, so nesting depth is
 * bounded by memory, not by the C stack. Because those stacks are invisible
 * to the collector, the parser switches collection off for its own duration
 * (it only allocates; it never runs Mesh code).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

enum { J_NULL = 0, J_BOOL = 1, J_INT = 2, J_STR = 3, J_ARR = 4, J_OBJ = 5, J_FLOAT = 6 };

struct MeshJson {
    MeshObj  hdr;     /* kind JSON, aux = size in words (or BIG) */
    uint64_t big;     /* size in bytes when aux == BIG; unused otherwise */
    int64_t  tag;
    int64_t  n;       /* array: items, object: pairs */
    MeshSlot v[];     /* scalar: v[0]; array: n items; object: key, value pairs */
};

static MeshJson *jnew(MeshCtx *ctx, int64_t tag, int64_t nslots)
{
    uint64_t size = sizeof(MeshJson) + 8 * (uint64_t)(nslots < 1 ? 1 : nslots);
    MeshJson *j = (MeshJson *)meshP_alloc_priv(ctx, size, MESH_TYPE_ANY, MESH_KIND_JSON);
    j->tag = tag;
    return j;
}

static MeshJson *jscalar(MeshCtx *ctx, int64_t tag, MeshSlot v)
{
    MeshJson *j = jnew(ctx, tag, 1);
    j->v[0] = v;
    return j;
}

/* ------------------------------------------------------------- parsing */

typedef struct {
    const unsigned char *p, *start, *end;
    MeshCtx *ctx;
    const char *why;
    const unsigned char *at;
    MeshBuf sbuf;
} P;

static int fail(P *ps, const unsigned char *at, const char *why)
{
    if (!ps->why) {
        ps->why = why;
        ps->at = at;
    }
    return 0;
}

static void skip_ws(P *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int hex4(const unsigned char *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return 0;
    }
    *out = v;
    return 1;
}

static void put_utf8(MeshBuf *b, uint32_t c)
{
    char t[4];
    int n;
    if (c < 0x80) { t[0] = (char)c; n = 1; }
    else if (c < 0x800) { t[0] = (char)(0xC0 | (c >> 6)); t[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        t[0] = (char)(0xE0 | (c >> 12)); t[1] = (char)(0x80 | ((c >> 6) & 0x3F)); t[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        t[0] = (char)(0xF0 | (c >> 18)); t[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((c >> 6) & 0x3F)); t[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    meshP_buf_put(b, t, (uint64_t)n);
}

/* Length of the valid UTF-8 sequence at p (non-ASCII lead byte), 0 if invalid. */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    int n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
    else return 0;
    if (end - p < n) return 0;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return n;
}

/* p at the opening quote; on success ps->p is after the closing quote. */
static MeshString *parse_string(P *ps)
{
    const unsigned char *p = ps->p + 1, *end = ps->end;
    /* fast path: no escapes */
    const unsigned char *q = p;
    while (q < end && *q != '"' && *q != '\\' && *q >= 0x20 && *q < 0x80) q++;
    if (q < end && *q == '"') {
        ps->p = q + 1;
        return mesh_string_new(ps->ctx, (const char *)p, q - p);
    }
    MeshBuf *b = &ps->sbuf;
    b->len = 0;
    meshP_buf_put(b, (const char *)p, (uint64_t)(q - p));
    p = q;
    for (;;) {
        if (p >= end) { fail(ps, ps->p, "unterminated string"); return NULL; }
        unsigned c = *p;
        if (c == '"') break;
        if (c < 0x20) { fail(ps, p, "control character in string (must be escaped)"); return NULL; }
        if (c == '\\') {
            if (p + 1 >= end) { fail(ps, p, "unterminated string"); return NULL; }
            unsigned e = p[1];
            char o;
            switch (e) {
            case '"': o = '"'; break;
            case '\\': o = '\\'; break;
            case '/': o = '/'; break;
            case 'b': o = '\b'; break;
            case 'f': o = '\f'; break;
            case 'n': o = '\n'; break;
            case 'r': o = '\r'; break;
            case 't': o = '\t'; break;
            case 'u': {
                uint32_t u, lo;
                if (end - p < 6 || !hex4(p + 2, &u)) { fail(ps, p, "invalid \\u escape (4 hex digits expected)"); return NULL; }
                p += 6;
                if (u >= 0xD800 && u <= 0xDBFF) {
                    if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                        p += 6;
                    } else {
                        fail(ps, p - 6, "unpaired UTF-16 surrogate in \\u escape");
                        return NULL;
                    }
                } else if (u >= 0xDC00 && u <= 0xDFFF) {
                    fail(ps, p - 6, "unpaired UTF-16 surrogate in \\u escape");
                    return NULL;
                }
                put_utf8(b, u);
                continue;
            }
            default:
                fail(ps, p, "invalid escape in string");
                return NULL;
            }
            meshP_buf_putc(b, o);
            p += 2;
            continue;
        }
        if (c < 0x80) {
            meshP_buf_putc(b, (char)c);
            p++;
            continue;
        }
        int n = utf8_len(p, end);
        if (!n) { fail(ps, p, "invalid UTF-8 in string"); return NULL; }
        meshP_buf_put(b, (const char *)p, (uint64_t)n);
        p += n;
    }
    ps->p = p + 1;
    return mesh_string_new(ps->ctx, b->data ? b->data : "", (int64_t)b->len);
}

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

static MeshJson *parse_number(P *ps)
{
    const unsigned char *s = ps->p, *p = s, *end = ps->end;
    int is_float = 0;
    if (p < end && *p == '-') p++;
    if (p >= end || !is_digit(*p)) { fail(ps, s, "invalid number"); return NULL; }
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p)) { fail(ps, s, "invalid number (leading zero)"); return NULL; }
    } else {
        while (p < end && is_digit(*p)) p++;
    }
    if (p < end && *p == '.') {
        is_float = 1;
        p++;
        if (p >= end || !is_digit(*p)) { fail(ps, p, "invalid number (digit expected after '.')"); return NULL; }
        while (p < end && is_digit(*p)) p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        is_float = 1;
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end || !is_digit(*p)) { fail(ps, p, "invalid number (digit expected in exponent)"); return NULL; }
        while (p < end && is_digit(*p)) p++;
    }
    ps->p = p;
    char tmp[64];
    char *txt = tmp;
    size_t n = (size_t)(p - s);
    if (n >= sizeof tmp) txt = malloc(n + 1);
    memcpy(txt, s, n);
    txt[n] = 0;
    MeshJson *j;
    if (!is_float) {
        errno = 0;
        long long v = strtoll(txt, NULL, 10);
        if (errno == ERANGE) j = jscalar(ps->ctx, J_FLOAT, meshP_f2s(strtod(txt, NULL)));
        else j = jscalar(ps->ctx, J_INT, (MeshSlot)(int64_t)v);
    } else {
        j = jscalar(ps->ctx, J_FLOAT, meshP_f2s(strtod(txt, NULL)));
    }
    if (txt != tmp) free(txt);
    return j;
}

typedef struct { int obj; int64_t base; } Frame;

static int lit(P *ps, const char *w, size_t n)
{
    if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, w, n) == 0) {
        ps->p += n;
        return 1;
    }
    return fail(ps, ps->p, "invalid literal");
}

static MeshJson *parse_doc(P *ps)
{
    MeshCtx *ctx = ps->ctx;
    Frame *fr = NULL;
    int64_t nfr = 0, capfr = 0;
    MeshSlot *vals = NULL;
    int64_t nv = 0, capv = 0;
    MeshJson *result = NULL;
    MeshHeap *h = &ctx->proc->heap;
    int was_disabled = h->gc_disabled;
    h->gc_disabled = 1;

#define PUSHV(x)                                                        \
    do {                                                                \
        if (nv == capv) {                                               \
            capv = capv ? capv * 2 : 64;                                \
            vals = realloc(vals, sizeof *vals * (size_t)capv);          \
        }                                                               \
        vals[nv++] = (x);                                               \
    } while (0)

    for (;;) {
        /* expect a value (or, in an object, a key first) */
        skip_ws(ps);
        if (ps->p >= ps->end) { fail(ps, ps->p, "unexpected end of input (value expected)"); goto out; }
        MeshJson *v = NULL;
        unsigned c = *ps->p;
        if (c == '[' || c == '{') {
            if (nfr == capfr) {
                capfr = capfr ? capfr * 2 : 16;
                fr = realloc(fr, sizeof *fr * (size_t)capfr);
            }
            fr[nfr].obj = c == '{';
            fr[nfr].base = nv;
            nfr++;
            ps->p++;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == (c == '[' ? ']' : '}')) {
                ps->p++;
                nfr--;
                v = jnew(ctx, c == '[' ? J_ARR : J_OBJ, 0);
                goto have_value;
            }
            if (c == '{') goto want_key;
            continue;
        }
        if (c == '"') {
            MeshString *s = parse_string(ps);
            if (!s) goto out;
            v = jscalar(ctx, J_STR, meshP_p2s(s));
        } else if (c == '-' || is_digit(c)) {
            v = parse_number(ps);
            if (!v) goto out;
        } else if (c == 't') {
            if (!lit(ps, "true", 4)) goto out;
            v = jscalar(ctx, J_BOOL, 1);
        } else if (c == 'f') {
            if (!lit(ps, "false", 5)) goto out;
            v = jscalar(ctx, J_BOOL, 0);
        } else if (c == 'n') {
            if (!lit(ps, "null", 4)) goto out;
            v = jscalar(ctx, J_NULL, 0);
        } else {
            fail(ps, ps->p, nfr && !fr[nfr - 1].obj && c == ']' ? "trailing comma in array" : "unexpected character (value expected)");
            goto out;
        }
    have_value:
        PUSHV(meshP_p2s(v));
        /* after a value: close containers or continue with ',' */
        for (;;) {
            if (nfr == 0) {
                skip_ws(ps);
                if (ps->p != ps->end) { fail(ps, ps->p, "trailing characters after the JSON value"); goto out; }
                result = (MeshJson *)meshP_s2p(vals[0]);
                goto out;
            }
            Frame *f = &fr[nfr - 1];
            skip_ws(ps);
            if (ps->p >= ps->end) { fail(ps, ps->p, f->obj ? "unexpected end of input (',' or '}' expected)" : "unexpected end of input (',' or ']' expected)"); goto out; }
            c = *ps->p;
            if (c == ',') {
                ps->p++;
                if (f->obj) goto want_key;
                break;
            }
            if (c == (f->obj ? '}' : ']')) {
                ps->p++;
                int64_t k = nv - f->base;
                MeshJson *j = jnew(ctx, f->obj ? J_OBJ : J_ARR, k);
                j->n = f->obj ? k / 2 : k;
                memcpy(j->v, vals + f->base, sizeof(MeshSlot) * (size_t)k);
                nv = f->base;
                nfr--;
                PUSHV(meshP_p2s(j));
                continue;
            }
            fail(ps, ps->p, f->obj ? "',' or '}' expected after an object member" : "',' or ']' expected after an array element");
            goto out;
        }
        continue;
    want_key:
        skip_ws(ps);
        if (ps->p >= ps->end) { fail(ps, ps->p, "unexpected end of input (object key expected)"); goto out; }
        if (*ps->p != '"') { fail(ps, ps->p, *ps->p == '}' ? "trailing comma in object" : "object key (a string) expected"); goto out; }
        {
            MeshString *k = parse_string(ps);
            if (!k) goto out;
            PUSHV(meshP_p2s(k));
        }
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') { fail(ps, ps->p, "':' expected after an object key"); goto out; }
        ps->p++;
    }
out:
#undef PUSHV
    free(fr);
    free(vals);
    h->gc_disabled = was_disabled;
    return result;
}

/* Parse; on failure *err is the message (a Mesh string). */
static MeshJson *parse_text(MeshCtx *ctx, MeshString *text, MeshString **err)
{
    P ps = {0};
    ps.ctx = ctx;
    ps.start = ps.p = (const unsigned char *)text->bytes;
    ps.end = ps.start + text->len;
    MeshJson *j = parse_doc(&ps);
    free(ps.sbuf.data);
    if (j) return j;
    if (err) {
        int64_t line = 1, col = 1;
        for (const unsigned char *q = ps.start; q < ps.at; q++) {
            if (*q == '\n') { line++; col = 1; }
            else if ((*q & 0xC0) != 0x80) col++;
        }
        char buf[200];
        int n = snprintf(buf, sizeof buf, "JSON parse error at line %lld, column %lld: %s",
                         (long long)line, (long long)col, ps.why ? ps.why : "invalid JSON");
        *err = mesh_string_new(ctx, buf, n);
    }
    return NULL;
}

MeshObj *mesh_json_parse(MeshCtx *ctx, MeshString *text, MeshTypeId result_type)
{
    MeshString *err = NULL;
    MeshJson *j = parse_text(ctx, text, &err);
    if (!j) return mesh_result_err(ctx, result_type, meshP_p2s(err));
    return mesh_result_ok(ctx, result_type, meshP_p2s(j));
}

/* ------------------------------------------------------------ encoding */

static void put_str(MeshBuf *b, const char *s, uint64_t n)
{
    static const char hexd[] = "0123456789abcdef";
    meshP_buf_putc(b, '"');
    uint64_t run = 0;
    for (uint64_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        meshP_buf_put(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': meshP_buf_put(b, "\\\"", 2); break;
        case '\\': meshP_buf_put(b, "\\\\", 2); break;
        case '\n': meshP_buf_put(b, "\\n", 2); break;
        case '\r': meshP_buf_put(b, "\\r", 2); break;
        case '\t': meshP_buf_put(b, "\\t", 2); break;
        case '\b': meshP_buf_put(b, "\\b", 2); break;
        case '\f': meshP_buf_put(b, "\\f", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15]};
            meshP_buf_put(b, u, 6);
        }
        }
    }
    meshP_buf_put(b, s + run, n - run);
    meshP_buf_putc(b, '"');
}

static void put_int(MeshBuf *b, int64_t v)
{
    char t[32];
    int64_t n = mesh_int_format(v, t, sizeof t);
    meshP_buf_put(b, t, (uint64_t)n);
}

static void put_float(MeshBuf *b, double d)
{
    if (!isfinite(d)) {
        meshP_buf_put(b, "null", 4);
        return;
    }
    char t[64];
    int64_t n = mesh_float_format_json(d, t, sizeof t);
    meshP_buf_put(b, t, (uint64_t)n);
}

static void enc_json(MeshBuf *b, const MeshJson *j)
{
    switch (j->tag) {
    case J_NULL: meshP_buf_put(b, "null", 4); return;
    case J_BOOL: if (j->v[0]) meshP_buf_put(b, "true", 4); else meshP_buf_put(b, "false", 5); return;
    case J_INT: put_int(b, (int64_t)j->v[0]); return;
    case J_FLOAT: put_float(b, meshP_s2f(j->v[0])); return;
    case J_STR: {
        const MeshString *s = meshP_s2p(j->v[0]);
        put_str(b, s->bytes, s->len);
        return;
    }
    case J_ARR:
        meshP_buf_putc(b, '[');
        for (int64_t i = 0; i < j->n; i++) {
            if (i) meshP_buf_putc(b, ',');
            enc_json(b, meshP_s2p(j->v[i]));
        }
        meshP_buf_putc(b, ']');
        return;
    case J_OBJ:
        meshP_buf_putc(b, '{');
        for (int64_t i = 0; i < j->n; i++) {
            const MeshString *k = meshP_s2p(j->v[2 * i]);
            if (i) meshP_buf_putc(b, ',');
            put_str(b, k->bytes, k->len);
            meshP_buf_putc(b, ':');
            enc_json(b, meshP_s2p(j->v[2 * i + 1]));
        }
        meshP_buf_putc(b, '}');
        return;
    default:
        meshP_buf_put(b, "null", 4);
    }
}

/* ------------------------------------------------- equality, hashing */

/* An object's members as lookups see them: the last occurrence of each key,
 * sorted by key bytes (so two objects compare and hash alike whatever their
 * member order). */
typedef struct { const MeshString *k; int64_t i; } JMember;

static int jmember_cmp(const void *a, const void *b)
{
    const JMember *x = a, *y = b;
    uint64_t n = x->k->len < y->k->len ? x->k->len : y->k->len;
    int c = memcmp(x->k->bytes, y->k->bytes, n);
    if (c) return c;
    if (x->k->len != y->k->len) return x->k->len < y->k->len ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int same_key(const MeshString *a, const MeshString *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

static JMember *jmembers(const MeshJson *j, int64_t *count)
{
    JMember *m = malloc(sizeof *m * (size_t)(j->n > 0 ? j->n : 1));
    if (!m) meshP_fatal("out of memory comparing Json objects");
    for (int64_t i = 0; i < j->n; i++) m[i] = (JMember){meshP_s2p(j->v[2 * i]), i};
    qsort(m, (size_t)j->n, sizeof *m, jmember_cmp);
    int64_t n = 0;
    for (int64_t i = 0; i < j->n; i++)
        if (i + 1 == j->n || !same_key(m[i].k, m[i + 1].k)) m[n++] = m[i];
    *count = n;
    return m;
}

static int jscalar_eq(const MeshJson *a, const MeshJson *b)
{
    switch (a->tag) {
    case J_NULL: return 1;
    case J_BOOL:
    case J_INT: return a->v[0] == b->v[0];
    case J_FLOAT: return meshP_s2f(a->v[0]) == meshP_s2f(b->v[0]);
    case J_STR: return same_key(meshP_s2p(a->v[0]), meshP_s2p(b->v[0]));
    default: return 0;
    }
}

/* Iterative (documents nest to any depth; process stacks are small): a work
 * list of value pairs still to compare. */
MeshBool mesh_json_eq(const MeshJson *a, const MeshJson *b)
{
    int64_t cap = 64, top = 0;
    const MeshJson **work = malloc(sizeof *work * (size_t)cap);
    if (!work) meshP_fatal("out of memory comparing Json values");
    work[top++] = a;
    work[top++] = b;
    int eq = 1;
    while (eq && top > 0) {
        const MeshJson *y = work[--top], *x = work[--top];
        if (x == y) continue;
        if (x->tag != y->tag) { eq = 0; break; }
        if (x->tag != J_ARR && x->tag != J_OBJ) { eq = jscalar_eq(x, y); continue; }
        int64_t nx = x->n, ny = y->n;
        JMember *mx = NULL, *my = NULL;
        if (x->tag == J_OBJ) {
            mx = jmembers(x, &nx);
            my = jmembers(y, &ny);
        }
        if (nx != ny) eq = 0;
        if (eq && top + 2 * nx > cap) {
            while (top + 2 * nx > cap) cap *= 2;
            const MeshJson **w = realloc(work, sizeof *work * (size_t)cap);
            if (!w) meshP_fatal("out of memory comparing Json values");
            work = w;
        }
        for (int64_t i = 0; eq && i < nx; i++) {
            if (mx) {
                if (!same_key(mx[i].k, my[i].k)) { eq = 0; break; }
                work[top++] = meshP_s2p(x->v[2 * mx[i].i + 1]);
                work[top++] = meshP_s2p(y->v[2 * my[i].i + 1]);
            } else {
                work[top++] = meshP_s2p(x->v[i]);
                work[top++] = meshP_s2p(y->v[i]);
            }
        }
        free(mx);
        free(my);
    }
    free(work);
    return (MeshBool)eq;
}

/* A total order agreeing with mesh_json_eq: by kind (null, Bool, Int,
 * Float, String, array, object), then by value; arrays lexicographically,
 * objects by their sorted members (key, then value). Iterative like the
 * equality: the work list holds value pairs and already-decided key or
 * length comparisons, in the order lexicographic comparison visits them. */
typedef struct { const MeshJson *x, *y; MeshInt decided; } JCmp;

static MeshInt jcmp3(int64_t a, int64_t b) { return a < b ? -1 : a > b ? 1 : 0; }

static MeshInt jkey_cmp(const MeshString *a, const MeshString *b)
{
    uint64_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->bytes, b->bytes, n);
    return c ? (c < 0 ? -1 : 1) : jcmp3((int64_t)a->len, (int64_t)b->len);
}

MeshInt mesh_json_compare(const MeshJson *a, const MeshJson *b)
{
    int64_t cap = 64, top = 0;
    JCmp *work = malloc(sizeof *work * (size_t)cap);
    if (!work) meshP_fatal("out of memory comparing Json values");
    work[top++] = (JCmp){a, b, 0};
    MeshInt r = 0;
    while (!r && top > 0) {
        JCmp it = work[--top];
        if (!it.x) { r = it.decided; continue; }
        const MeshJson *x = it.x, *y = it.y;
        if (x == y) continue;
        if (x->tag != y->tag) {
            static const int rank[] = {[J_NULL] = 0, [J_BOOL] = 1, [J_INT] = 2, [J_FLOAT] = 3,
                                       [J_STR] = 4, [J_ARR] = 5, [J_OBJ] = 6};
            r = jcmp3(rank[x->tag], rank[y->tag]);
            break;
        }
        switch (x->tag) {
        case J_NULL: continue;
        case J_BOOL:
        case J_INT: r = jcmp3((int64_t)x->v[0], (int64_t)y->v[0]); continue;
        case J_FLOAT: {
            double f = meshP_s2f(x->v[0]), g = meshP_s2f(y->v[0]);
            r = f < g ? -1 : f > g ? 1 : 0;
            continue;
        }
        case J_STR: r = jkey_cmp(meshP_s2p(x->v[0]), meshP_s2p(y->v[0])); continue;
        default: break;
        }
        int64_t nx = x->n, ny = y->n;
        JMember *mx = NULL, *my = NULL;
        if (x->tag == J_OBJ) {
            mx = jmembers(x, &nx);
            my = jmembers(y, &ny);
        }
        int64_t n = nx < ny ? nx : ny;
        if (top + 2 * n + 1 > cap) {
            while (top + 2 * n + 1 > cap) cap *= 2;
            JCmp *w = realloc(work, sizeof *work * (size_t)cap);
            if (!w) meshP_fatal("out of memory comparing Json values");
            work = w;
        }
        work[top++] = (JCmp){NULL, NULL, jcmp3(nx, ny)};
        for (int64_t i = n - 1; i >= 0; i--) {
            if (mx) {
                work[top++] = (JCmp){meshP_s2p(x->v[2 * mx[i].i + 1]), meshP_s2p(y->v[2 * my[i].i + 1]), 0};
                work[top++] = (JCmp){NULL, NULL, jkey_cmp(mx[i].k, my[i].k)};
            } else {
                work[top++] = (JCmp){meshP_s2p(x->v[i]), meshP_s2p(y->v[i]), 0};
            }
        }
        free(mx);
        free(my);
    }
    free(work);
    return r;
}

/* Deep documents hash by their first levels only (equal values still hash
 * alike), which bounds the recursion. */
enum { JHASH_DEPTH = 24 };

static MeshInt jhash(const MeshJson *j, int depth)
{
    MeshInt h = mesh_hash_int(j->tag);
    switch (j->tag) {
    case J_NULL: return h;
    case J_BOOL:
    case J_INT: return mesh_hash_combine(h, (MeshInt)j->v[0]);
    case J_FLOAT: {
        double f = meshP_s2f(j->v[0]);
        return mesh_hash_combine(h, mesh_hash_float(f == 0 ? 0.0 : f));  /* -0.0 == 0.0 */
    }
    case J_STR: return mesh_hash_combine(h, mesh_hash_string(meshP_s2p(j->v[0])));
    case J_ARR:
        h = mesh_hash_combine(h, j->n);
        if (depth >= JHASH_DEPTH) return h;
        for (int64_t i = 0; i < j->n; i++) h = mesh_hash_combine(h, jhash(meshP_s2p(j->v[i]), depth + 1));
        return h;
    case J_OBJ: {
        if (depth >= JHASH_DEPTH) return h;
        int64_t n;
        JMember *m = jmembers(j, &n);
        for (int64_t i = 0; i < n; i++) {
            h = mesh_hash_combine(h, mesh_hash_string((MeshString *)m[i].k));
            h = mesh_hash_combine(h, jhash(meshP_s2p(j->v[2 * m[i].i + 1]), depth + 1));
        }
        free(m);
        return h;
    }
    default: return h;
    }
}

MeshInt mesh_json_hash(const MeshJson *j) { return jhash(j, 0); }

MeshString *mesh_json_encode(MeshCtx *ctx, MeshJson *j)
{
    MeshBuf b = {0};
    if (j && j->hdr.kind == MESH_KIND_JSON) enc_json(&b, j);
    else meshP_buf_put(&b, "null", 4);
    return meshP_buf_finish(ctx, &b);
}

MeshString *mesh_json_encode_string(MeshCtx *ctx, MeshString *s)
{
    MeshBuf b = {0};
    put_str(&b, s->bytes, s->len);
    return meshP_buf_finish(ctx, &b);
}

MeshString *mesh_json_encode_int(MeshCtx *ctx, MeshInt v) { return mesh_int_to_string(ctx, v); }

MeshString *mesh_json_encode_bool(MeshCtx *ctx, MeshBool v) { return mesh_bool_to_string(ctx, v); }

MeshString *mesh_json_encode_float(MeshCtx *ctx, MeshFloat v)
{
    MeshBuf b = {0};
    put_float(&b, v);
    return meshP_buf_finish(ctx, &b);
}

static int is_named(const MeshType *d, const char *name) { return d && d->name && strcmp(d->name, name) == 0; }

static void enc_value(MeshCtx *ctx, MeshBuf *b, MeshTypeId t, MeshSlot v);

static void enc_key(MeshCtx *ctx, MeshBuf *b, MeshTypeId kt, MeshSlot k)
{
    if (kt == MESH_TYPE_STRING) {
        const MeshString *s = meshP_s2p(k);
        put_str(b, s->bytes, s->len);
        return;
    }
    MeshBuf kb = {0};
    meshP_show(ctx, &kb, kt, k, 0);
    put_str(b, kb.data ? kb.data : "", kb.len);
    free(kb.data);
}

static void enc_value(MeshCtx *ctx, MeshBuf *b, MeshTypeId t, MeshSlot v)
{
    switch (t) {
    case MESH_TYPE_UNIT: meshP_buf_put(b, "null", 4); return;
    case MESH_TYPE_INT:
    case MESH_TYPE_PID: put_int(b, (int64_t)v); return;
    case MESH_TYPE_FLOAT: put_float(b, meshP_s2f(v)); return;
    case MESH_TYPE_BOOL: if (v & 1) meshP_buf_put(b, "true", 4); else meshP_buf_put(b, "false", 5); return;
    case MESH_TYPE_STRING: {
        const MeshString *s = meshP_s2p(v);
        put_str(b, s->bytes, s->len);
        return;
    }
    default:
        break;
    }
    MeshObj *o = meshP_s2p(v);
    if (o && o->kind == MESH_KIND_JSON) { enc_json(b, (MeshJson *)o); return; }
    const MeshType *d = meshP_type(t);
    if (!o || !d) {
        if (!o) meshP_buf_put(b, "null", 4);
        else if (o->kind == MESH_KIND_STRING) put_str(b, ((MeshString *)o)->bytes, ((MeshString *)o)->len);
        else meshP_buf_put(b, "null", 4);
        return;
    }
    switch (d->kind) {
    case MESH_KIND_LIST: {
        MeshList *l = (MeshList *)o;
        meshP_buf_putc(b, '[');
        for (int64_t i = 0; i < l->len; i++) {
            if (i) meshP_buf_putc(b, ',');
            enc_value(ctx, b, d->elem, meshP_list_at(l, i));
        }
        meshP_buf_putc(b, ']');
        return;
    }
    case MESH_KIND_SET:
    case MESH_KIND_MAP: {
        MeshTable *tb = (MeshTable *)o;
        int64_t pos = 0;
        MeshSlot k, x;
        int first = 1;
        meshP_buf_putc(b, d->kind == MESH_KIND_MAP ? '{' : '[');
        while (meshP_table_next(tb, &pos, &k, &x)) {
            if (!first) meshP_buf_putc(b, ',');
            first = 0;
            if (d->kind == MESH_KIND_SET) {
                enc_value(ctx, b, d->elem, k);
            } else {
                enc_key(ctx, b, d->elem, k);
                meshP_buf_putc(b, ':');
                enc_value(ctx, b, d->elem2, x);
            }
        }
        meshP_buf_putc(b, d->kind == MESH_KIND_MAP ? '}' : ']');
        return;
    }
    case MESH_KIND_TUPLE: {
        MeshFields *f = (MeshFields *)o;
        meshP_buf_putc(b, '[');
        for (uint32_t i = 0; i < o->aux; i++) {
            if (i) meshP_buf_putc(b, ',');
            enc_value(ctx, b, d->fields && i < d->nfields ? d->fields[i].type_id : MESH_TYPE_ANY, f->slots[i]);
        }
        meshP_buf_putc(b, ']');
        return;
    }
    case MESH_KIND_STRUCT: {
        MeshFields *f = (MeshFields *)o;
        meshP_buf_putc(b, '{');
        for (uint32_t i = 0; i < d->nfields && i < o->aux; i++) {
            if (i) meshP_buf_putc(b, ',');
            const char *name = d->fields[i].name ? d->fields[i].name : "";
            put_str(b, name, strlen(name));
            meshP_buf_putc(b, ':');
            enc_value(ctx, b, d->fields[i].type_id, f->slots[i]);
        }
        meshP_buf_putc(b, '}');
        return;
    }
    case MESH_KIND_VARIANT: {
        MeshFields *f = (MeshFields *)o;
        if (o->aux >= d->nvariants) { meshP_buf_put(b, "null", 4); return; }
        const MeshVariant *var = &d->variants[o->aux];
        if (is_named(d, "Option")) {
            if (o->aux == 0 && var->nfields == 1) enc_value(ctx, b, var->fields[0].type_id, f->slots[0]);
            else meshP_buf_put(b, "null", 4);
            return;
        }
        meshP_buf_put(b, "{\"tag\":", 7);
        put_str(b, var->name, strlen(var->name));
        meshP_buf_put(b, ",\"fields\":[", 11);
        for (uint32_t i = 0; i < var->nfields; i++) {
            if (i) meshP_buf_putc(b, ',');
            enc_value(ctx, b, var->fields[i].type_id, f->slots[i]);
        }
        meshP_buf_put(b, "]}", 2);
        return;
    }
    case MESH_KIND_RANGE:
        meshP_buf_putc(b, '[');
        put_int(b, mesh_range_start((MeshRange *)o));
        meshP_buf_putc(b, ',');
        put_int(b, mesh_range_end((MeshRange *)o));
        meshP_buf_putc(b, ']');
        return;
    default: {
        /* anything else: its Display text as a string */
        MeshBuf sb = {0};
        meshP_show(ctx, &sb, t, v, 0);
        put_str(b, sb.data ? sb.data : "", sb.len);
        free(sb.data);
        return;
    }
    }
}

MeshString *mesh_json_encode_value(MeshCtx *ctx, MeshTypeId type_id, MeshSlot v)
{
    MeshBuf b = {0};
    enc_value(ctx, &b, type_id, v);
    return meshP_buf_finish(ctx, &b);
}

MeshString *mesh_json_encode_map(MeshCtx *ctx, MeshMap *m)
{
    return mesh_json_encode_value(ctx, ((MeshObj *)m)->type_id, meshP_p2s(m));
}

MeshString *mesh_json_encode_list(MeshCtx *ctx, MeshList *l)
{
    return mesh_json_encode_value(ctx, l->hdr.type_id, meshP_p2s(l));
}

/* ------------------------------------------------------------ lookup */

static MeshJson *obj_get(const MeshJson *j, const char *key, uint64_t klen)
{
    if (!j || j->tag != J_OBJ) return NULL;
    for (int64_t i = j->n - 1; i >= 0; i--) {   /* the last duplicate wins */
        const MeshString *k = meshP_s2p(j->v[2 * i]);
        if (k->len == klen && memcmp(k->bytes, key, klen) == 0) return meshP_s2p(j->v[2 * i + 1]);
    }
    return NULL;
}

static MeshString *field_text(MeshCtx *ctx, const MeshJson *v)
{
    if (!v) return mesh_string_new(ctx, "", 0);
    if (v->tag == J_STR) return meshP_s2p(v->v[0]);
    if (v->tag == J_NULL) return mesh_string_new(ctx, "", 0);
    return mesh_json_encode(ctx, (MeshJson *)v);
}

MeshString *mesh_json_get(MeshCtx *ctx, MeshString *text, MeshString *key)
{
    MeshJson *j = parse_text(ctx, text, NULL);
    return field_text(ctx, obj_get(j, key->bytes, key->len));
}

MeshString *mesh_json_get_nested(MeshCtx *ctx, MeshString *text, MeshString *k1, MeshString *k2)
{
    MeshJson *j = parse_text(ctx, text, NULL);
    return field_text(ctx, obj_get(obj_get(j, k1->bytes, k1->len), k2->bytes, k2->len));
}

/* ------------------------------------------------------------ decoding */

typedef struct {
    MeshCtx *ctx;
    MeshBuf err;
    char path[256];
} Dec;

static const char *jkind(const MeshJson *j)
{
    static const char *names[] = {"null", "Bool", "Int", "String", "array", "object", "Float"};
    return j && j->tag >= 0 && j->tag <= 6 ? names[j->tag] : "nothing";
}

static int derr(Dec *d, const char *fmt, const char *a, const char *b2)
{
    if (d->err.len) return 0;
    char t[512];
    int n = snprintf(t, sizeof t, fmt, a, b2);
    if (n > (int)sizeof t - 1) n = (int)sizeof t - 1;
    if (d->path[0]) {
        meshP_buf_putc(&d->err, '$');
        meshP_buf_puts(&d->err, d->path);
        meshP_buf_puts(&d->err, ": ");
    }
    meshP_buf_put(&d->err, t, (uint64_t)n);
    return 0;
}

static const char *tname(MeshTypeId t)
{
    switch (t) {
    case MESH_TYPE_INT: return "Int";
    case MESH_TYPE_FLOAT: return "Float";
    case MESH_TYPE_BOOL: return "Bool";
    case MESH_TYPE_STRING: return "String";
    case MESH_TYPE_UNIT: return "()";
    default: {
        const MeshType *d = meshP_type(t);
        return d && d->name ? d->name : "value";
    }
    }
}

static int dec_value(Dec *d, MeshTypeId t, const MeshJson *j, MeshSlot *out);

/* path helpers: append ".name" / "[i]" and restore afterwards */
static size_t path_push(Dec *d, const char *fmt, const char *s, int64_t i)
{
    size_t old = strlen(d->path);
    if (s) snprintf(d->path + old, sizeof d->path - old, fmt, s);
    else snprintf(d->path + old, sizeof d->path - old, fmt, (long long)i);
    return old;
}

static int dec_value(Dec *d, MeshTypeId t, const MeshJson *j, MeshSlot *out)
{
    MeshCtx *ctx = d->ctx;
    switch (t) {
    case MESH_TYPE_INT:
        if (j->tag == J_INT) { *out = j->v[0]; return 1; }
        if (j->tag == J_FLOAT) {
            double f = meshP_s2f(j->v[0]);
            if (f == floor(f) && fabs(f) < 9.2e18) { *out = (MeshSlot)(int64_t)f; return 1; }
        }
        return derr(d, "expected Int, found %s%s", jkind(j), "");
    case MESH_TYPE_FLOAT:
        if (j->tag == J_FLOAT) { *out = j->v[0]; return 1; }
        if (j->tag == J_INT) { *out = meshP_f2s((double)(int64_t)j->v[0]); return 1; }
        return derr(d, "expected Float, found %s%s", jkind(j), "");
    case MESH_TYPE_BOOL:
        if (j->tag == J_BOOL) { *out = j->v[0]; return 1; }
        return derr(d, "expected Bool, found %s%s", jkind(j), "");
    case MESH_TYPE_STRING:
        if (j->tag == J_STR) { *out = j->v[0]; return 1; }
        return derr(d, "expected String, found %s%s", jkind(j), "");
    case MESH_TYPE_UNIT:
        *out = 0;
        return 1;
    default:
        break;
    }
    const MeshType *ty = meshP_type(t);
    if (!ty || t == MESH_TYPE_ANY) return derr(d, "cannot decode a value of unknown type%s%s", "", "");
    if (is_named(ty, "Json")) { *out = meshP_p2s(j); return 1; }
    switch (ty->kind) {
    case MESH_KIND_LIST: {
        if (j->tag != J_ARR) return derr(d, "expected a list (JSON array), found %s%s", jkind(j), "");
        MeshList *l = meshP_list_with_capacity(ctx, t, j->n);
        for (int64_t i = 0; i < j->n; i++) {
            MeshSlot x;
            size_t old = path_push(d, "[%lld]", NULL, i);
            int ok = dec_value(d, ty->elem, meshP_s2p(j->v[i]), &x);
            d->path[old] = 0;
            if (!ok) return 0;
            l = mesh_list_append(ctx, l, x);
        }
        *out = meshP_p2s(l);
        return 1;
    }
    case MESH_KIND_SET: {
        if (j->tag != J_ARR) return derr(d, "expected a set (JSON array), found %s%s", jkind(j), "");
        MeshSet *s = mesh_set_new(ctx, t);
        MeshInt tok = mesh_session_token();   /* built in place */
        for (int64_t i = 0; i < j->n; i++) {
            MeshSlot x;
            size_t old = path_push(d, "[%lld]", NULL, i);
            int ok = dec_value(d, ty->elem, meshP_s2p(j->v[i]), &x);
            d->path[old] = 0;
            if (!ok) return 0;
            s = mesh_set_add_owned(ctx, s, x, tok);
        }
        *out = meshP_p2s(s);
        return 1;
    }
    case MESH_KIND_MAP: {
        if (j->tag != J_OBJ) return derr(d, "expected a map (JSON object), found %s%s", jkind(j), "");
        MeshMap *m = mesh_map_new(ctx, t);
        MeshInt tok = mesh_session_token();   /* built in place */
        for (int64_t i = 0; i < j->n; i++) {
            MeshString *ks = meshP_s2p(j->v[2 * i]);
            MeshSlot k, x;
            if (ty->elem == MESH_TYPE_STRING) {
                k = meshP_p2s(ks);
            } else if (ty->elem == MESH_TYPE_INT) {
                MeshObj *o = mesh_string_to_int(ctx, ks);
                if (!mesh_option_is_some(o)) return derr(d, "map key \"%s\" is not an Int%s", ks->bytes, "");
                k = ((MeshFields *)o)->slots[0];
            } else {
                return derr(d, "maps decode only with String or Int keys%s%s", "", "");
            }
            size_t old = path_push(d, ".%s", ks->bytes, 0);
            int ok = dec_value(d, ty->elem2, meshP_s2p(j->v[2 * i + 1]), &x);
            d->path[old] = 0;
            if (!ok) return 0;
            m = mesh_map_put_owned(ctx, m, k, x, tok);
        }
        *out = meshP_p2s(m);
        return 1;
    }
    case MESH_KIND_TUPLE: {
        if (j->tag != J_ARR || j->n != (int64_t)ty->nfields)
            return derr(d, "expected an array of %s elements, found %s", ty->nfields == 2 ? "2" : "the tuple's", jkind(j));
        MeshObj *tup = mesh_gc_alloc(ctx, 8 + 8 * (uint64_t)ty->nfields, t, MESH_KIND_TUPLE, ty->nfields);
        for (uint32_t i = 0; i < ty->nfields; i++) {
            MeshSlot x;
            size_t old = path_push(d, "[%lld]", NULL, i);
            int ok = dec_value(d, ty->fields[i].type_id, meshP_s2p(j->v[i]), &x);
            d->path[old] = 0;
            if (!ok) return 0;
            ((MeshFields *)tup)->slots[i] = x;
        }
        *out = meshP_p2s(tup);
        return 1;
    }
    case MESH_KIND_STRUCT: {
        if (j->tag != J_OBJ) return derr(d, "expected %s (a JSON object), found %s", tname(t), jkind(j));
        MeshObj *st = mesh_gc_alloc(ctx, 8 + 8 * (uint64_t)ty->nfields, t, MESH_KIND_STRUCT, ty->nfields);
        for (uint32_t i = 0; i < ty->nfields; i++) {
            const char *name = ty->fields[i].name ? ty->fields[i].name : "";
            MeshTypeId ft = ty->fields[i].type_id;
            const MeshJson *fj = obj_get(j, name, strlen(name));
            MeshSlot x;
            if (!fj) {
                if (is_named(meshP_type(ft), "Option")) {
                    ((MeshFields *)st)->slots[i] = meshP_p2s(mesh_option_none());
                    continue;
                }
                return derr(d, "missing field `%s` of %s", name, tname(t));
            }
            size_t old = path_push(d, ".%s", name, 0);
            int ok = dec_value(d, ft, fj, &x);
            d->path[old] = 0;
            if (!ok) return 0;
            ((MeshFields *)st)->slots[i] = x;
        }
        *out = meshP_p2s(st);
        return 1;
    }
    case MESH_KIND_VARIANT: {
        if (is_named(ty, "Option") && ty->nvariants == 2) {
            if (j->tag == J_NULL) { *out = meshP_p2s(mesh_option_none()); return 1; }
            MeshSlot x;
            if (!dec_value(d, ty->variants[0].fields[0].type_id, j, &x)) return 0;
            *out = meshP_p2s(mesh_option_some(ctx, t, x));
            return 1;
        }
        if (j->tag != J_OBJ) return derr(d, "expected %s (an object {\"tag\": ..., \"fields\": [...]}), found %s", tname(t), jkind(j));
        const MeshJson *tag = obj_get(j, "tag", 3);
        if (!tag || tag->tag != J_STR) return derr(d, "missing string field `tag` for %s%s", tname(t), "");
        const MeshString *tn = meshP_s2p(tag->v[0]);
        uint32_t vi = 0;
        while (vi < ty->nvariants && !(strlen(ty->variants[vi].name) == tn->len && memcmp(ty->variants[vi].name, tn->bytes, tn->len) == 0)) vi++;
        if (vi == ty->nvariants) return derr(d, "unknown variant \"%s\" of %s", tn->bytes, tname(t));
        const MeshVariant *var = &ty->variants[vi];
        const MeshJson *fs = obj_get(j, "fields", 6);
        if (!fs && var->nfields == 0) {
            *out = meshP_p2s(mesh_gc_alloc(ctx, 8, t, MESH_KIND_VARIANT, vi));
            return 1;
        }
        if (!fs || fs->tag != J_ARR || fs->n != (int64_t)var->nfields)
            return derr(d, "variant %s: `fields` must be an array of its %s", var->name, "payload values");
        MeshObj *vo = mesh_gc_alloc(ctx, 8 + 8 * (uint64_t)var->nfields, t, MESH_KIND_VARIANT, vi);
        for (uint32_t i = 0; i < var->nfields; i++) {
            MeshSlot x;
            size_t old = path_push(d, ".fields[%lld]", NULL, i);
            int ok = dec_value(d, var->fields[i].type_id, meshP_s2p(fs->v[i]), &x);
            d->path[old] = 0;
            if (!ok) return 0;
            ((MeshFields *)vo)->slots[i] = x;
        }
        *out = meshP_p2s(vo);
        return 1;
    }
    default:
        return derr(d, "cannot decode %s from JSON%s", tname(t), "");
    }
}

MeshObj *mesh_json_decode_value(MeshCtx *ctx, MeshString *text, MeshTypeId result_type)
{
    MeshString *err = NULL;
    MeshJson *j = parse_text(ctx, text, &err);
    if (!j) return mesh_result_err(ctx, result_type, meshP_p2s(err));
    const MeshType *rt = meshP_type(result_type);
    MeshTypeId t = MESH_TYPE_ANY;
    if (rt && rt->kind == MESH_KIND_VARIANT && rt->nvariants >= 1 && rt->variants[0].nfields == 1)
        t = rt->variants[0].fields[0].type_id;
    Dec d = {0};
    d.ctx = ctx;
    MeshSlot v;
    if (!dec_value(&d, t, j, &v)) {
        MeshString *e = meshP_buf_finish(ctx, &d.err);
        return mesh_result_err(ctx, result_type, meshP_p2s(e));
    }
    free(d.err.data);
    return mesh_result_ok(ctx, result_type, v);
}
