/*
 * str.c -- Mesh strings (prefix mesh_string_) and the byte buffer used to
 * build them (meshP_buf_). Strings are immutable UTF-8 with a cached byte
 * length; Mesh-level lengths and indexes count code points.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <wctype.h>

#include "internal.h"
#include "unicase.h"

/* ------------------------------------------------------------ buffers */

static void buf_reserve(MeshBuf *b, uint64_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    uint64_t ncap = b->cap ? b->cap * 2 : 64;
    while (ncap < b->len + extra + 1) ncap *= 2;
    char *d = realloc(b->data, ncap);
    if (!d) meshP_fatal("out of memory");
    b->data = d;
    b->cap = ncap;
}

void meshP_buf_put(MeshBuf *b, const char *s, uint64_t n)
{
    buf_reserve(b, n);
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
}

void meshP_buf_puts(MeshBuf *b, const char *s) { meshP_buf_put(b, s, strlen(s)); }

void meshP_buf_putc(MeshBuf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
}

MeshString *meshP_buf_finish(MeshCtx *ctx, MeshBuf *b)
{
    MeshString *s = mesh_string_new(ctx, b->data ? b->data : "", (int64_t)b->len);
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

/* ------------------------------------------------------------ basics */

static MeshString *str_alloc(MeshCtx *ctx, uint64_t len)
{
    MeshString *s = (MeshString *)mesh_gc_alloc(ctx, 16 + len + 1, MESH_TYPE_STRING, MESH_KIND_STRING, 0);
    s->len = len;
    return s;
}

MeshString *mesh_string_new(MeshCtx *ctx, const char *bytes, int64_t len)
{
    /* bytes may point into a Mesh string that this allocation could move
     * past a collection: objects never move, and the caller's pointer keeps
     * the source alive (conservative stack scan, interior pointers). */
    MeshString *s = str_alloc(ctx, (uint64_t)len);
    if (len) memcpy(s->bytes, bytes, (size_t)len);
    s->bytes[len] = 0;
    return s;
}

MeshString *mesh_string_concat(MeshCtx *ctx, MeshString *a, MeshString *b)
{
    MeshString *s = str_alloc(ctx, a->len + b->len);
    memcpy(s->bytes, a->bytes, a->len);
    memcpy(s->bytes + a->len, b->bytes, b->len);
    s->bytes[s->len] = 0;
    return s;
}

/* Append buffers. A string built by mesh_string_append_owned may be a buffer
 * of 2^aux bytes (the collector reads the size from aux): header, len, the
 * bytes and their NUL, spare room, and in the last 8 bytes the token of the
 * session that may still append to it in place. Everyone else sees an
 * ordinary string of len bytes. */
#define BUF_MIN_SHIFT 6

static uint64_t *buf_token(MeshString *s) { return (uint64_t *)((char *)s + ((uint64_t)1 << s->hdr.aux) - 8); }

MeshString *mesh_string_append_owned(MeshCtx *ctx, MeshString *a, MeshString *b, MeshInt token)
{
    uint64_t n = a->len + b->len;
    if (token == 0) return mesh_string_concat(ctx, a, b);
    if (a->hdr.aux && *buf_token(a) == (uint64_t)token && 16 + n + 1 + 8 <= ((uint64_t)1 << a->hdr.aux)) {
        memcpy(a->bytes + a->len, b->bytes, b->len);   /* a != b: the compiler never passes one string twice */
        a->len = n;
        a->bytes[n] = 0;
        return a;
    }
    unsigned shift = BUF_MIN_SHIFT;
    while (((uint64_t)1 << shift) < 2 * (16 + n + 1 + 8)) shift++;
    MeshString *s = (MeshString *)mesh_gc_alloc(ctx, (uint64_t)1 << shift, MESH_TYPE_STRING, MESH_KIND_STRING, shift);
    memcpy(s->bytes, a->bytes, a->len);
    memcpy(s->bytes + a->len, b->bytes, b->len);
    s->len = n;
    s->bytes[n] = 0;
    *buf_token(s) = (uint64_t)token;
    return s;
}

static int64_t cp_count(const char *p, uint64_t n)
{
    int64_t c = 0;
    for (uint64_t i = 0; i < n; i++) c += ((unsigned char)p[i] & 0xC0) != 0x80;
    return c;
}

MeshInt mesh_string_length(MeshString *s) { return cp_count(s->bytes, s->len); }

/* Byte offset of code point index i (clamped to the end). */
static uint64_t cp_offset(MeshString *s, int64_t i)
{
    uint64_t off = 0;
    while (i > 0 && off < s->len) {
        off++;
        while (off < s->len && ((unsigned char)s->bytes[off] & 0xC0) == 0x80) off++;
        i--;
    }
    return off;
}

MeshString *mesh_string_slice(MeshCtx *ctx, MeshString *s, MeshInt start, MeshInt end)
{
    if (start < 0) start = 0;
    if (end < start) end = start;
    uint64_t a = cp_offset(s, start);
    uint64_t b = cp_offset(s, end);
    if (b < a) b = a;
    return mesh_string_new(ctx, s->bytes + a, (int64_t)(b - a));
}

static const char *find(const char *h, uint64_t hn, const char *n, uint64_t nn)
{
    if (nn == 0) return h;
    if (nn > hn) return NULL;
    for (uint64_t i = 0; i + nn <= hn; i++)
        if (h[i] == n[0] && memcmp(h + i, n, nn) == 0) return h + i;
    return NULL;
}

MeshBool mesh_string_contains(MeshString *s, MeshString *needle)
{
    return find(s->bytes, s->len, needle->bytes, needle->len) != NULL;
}

MeshBool mesh_string_starts_with(MeshString *s, MeshString *p)
{
    return p->len <= s->len && memcmp(s->bytes, p->bytes, p->len) == 0;
}

MeshBool mesh_string_ends_with(MeshString *s, MeshString *p)
{
    return p->len <= s->len && memcmp(s->bytes + s->len - p->len, p->bytes, p->len) == 0;
}

/* Decode one code point at p (n bytes left); *len receives its byte length. */
static uint32_t utf8_decode(const unsigned char *p, uint64_t n, int *len)
{
    uint32_t c = p[0];
    int l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if ((uint64_t)l > n) l = 1;
    if (l == 1) { *len = 1; return c; }
    c &= (uint32_t)(0x7F >> l);
    for (int i = 1; i < l; i++) c = (c << 6) | (p[i] & 0x3F);
    *len = l;
    return c;
}

static int utf8_encode(uint32_t c, char *out)
{
    if (c < 0x80) { out[0] = (char)c; return 1; }
    if (c < 0x800) { out[0] = (char)(0xC0 | (c >> 6)); out[1] = (char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Unicode White_Space (what Rust's str::trim strips). */
static int is_space(uint32_t c)
{
    return (c >= 9 && c <= 13) || c == 32 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

static void trim_bounds(const char *p, uint64_t n, uint64_t *a_out, uint64_t *b_out)
{
    const unsigned char *u = (const unsigned char *)p;
    uint64_t a = 0, b = n;
    while (a < b) {
        int l;
        uint32_t c = utf8_decode(u + a, b - a, &l);
        if (!is_space(c)) break;
        a += (uint64_t)l;
    }
    while (b > a) {
        uint64_t s = b - 1;
        while (s > a && (u[s] & 0xC0) == 0x80) s--;
        int l;
        uint32_t c = utf8_decode(u + s, b - s, &l);
        if (!is_space(c)) break;
        b = s;
    }
    *a_out = a;
    *b_out = b;
}

MeshString *mesh_string_trim(MeshCtx *ctx, MeshString *s)
{
    uint64_t a, b;
    trim_bounds(s->bytes, s->len, &a, &b);
    if (a == 0 && b == s->len) return s;
    return mesh_string_new(ctx, s->bytes + a, (int64_t)(b - a));
}

static locale_t utf8_locale(void)
{
    static locale_t loc;
    static int tried;
    if (!tried) {
        tried = 1;
        loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    return loc;
}

static const MeshCaseExp *case_expansion(uint32_t c, int upper)
{
    const MeshCaseExp *t = upper ? unicase_upper_exp : unicase_lower_exp;
    size_t lo = 0, hi = upper ? sizeof unicase_upper_exp / sizeof *t : sizeof unicase_lower_exp / sizeof *t;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t[mid].cp == c) return &t[mid];
        if (t[mid].cp < c) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

static int in_ranges(const uint32_t (*r)[2], size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < r[mid][0]) hi = mid;
        else if (c > r[mid][1]) lo = mid + 1;
        else return 1;
    }
    return 0;
}

#define IN_TABLE(t, c) in_ranges(t, sizeof t / sizeof *t, c)

/* Whether the first code point that is not Case_Ignorable, scanning from byte i backwards
 * (dir < 0) or forwards, is Cased. */
static int cased_beside(const unsigned char *u, uint64_t n, uint64_t i, int dir)
{
    while (dir < 0 ? i > 0 : i < n) {
        uint64_t at = i;
        if (dir < 0) {
            at = i - 1;
            while (at > 0 && (u[at] & 0xC0) == 0x80) at--;
        }
        int l;
        uint32_t c = utf8_decode(u + at, n - at, &l);
        if (!IN_TABLE(unicase_ignorable, c)) return IN_TABLE(unicase_cased, c);
        i = dir < 0 ? at : at + (uint64_t)l;
    }
    return 0;
}

/* Full Unicode case mapping as Rust's to_uppercase/to_lowercase: SpecialCasing expansions
 * (ß -> SS, ŉ -> ʼN, İ -> i̇), final sigma (Σ -> ς ending a word), else the one-to-one mapping. */
static MeshString *map_case(MeshCtx *ctx, MeshString *s, int upper)
{
    locale_t loc = utf8_locale();
    MeshBuf b = {0};
    const unsigned char *u = (const unsigned char *)s->bytes;
    for (uint64_t i = 0; i < s->len;) {
        int l;
        uint32_t c = utf8_decode(u + i, s->len - i, &l);
        char enc[4];
        const MeshCaseExp *x;
        if (c < 0x80) {
            if (upper && c >= 'a' && c <= 'z') c -= 32;
            else if (!upper && c >= 'A' && c <= 'Z') c += 32;
        } else if ((x = case_expansion(c, upper)) != NULL) {
            for (int k = 0; k < 3 && x->out[k]; k++) meshP_buf_put(&b, enc, (uint64_t)utf8_encode(x->out[k], enc));
            i += (uint64_t)l;
            continue;
        } else if (!upper && c == 0x3A3) {
            int final = cased_beside(u, s->len, i, -1) && !cased_beside(u, s->len, i + (uint64_t)l, 1);
            c = final ? 0x3C2 : 0x3C3;
        } else if (loc) {
            c = (uint32_t)(upper ? towupper_l((wint_t)c, loc) : towlower_l((wint_t)c, loc));
        }
        meshP_buf_put(&b, enc, (uint64_t)utf8_encode(c, enc));
        i += (uint64_t)l;
    }
    return meshP_buf_finish(ctx, &b);
}

MeshString *mesh_string_to_upper(MeshCtx *ctx, MeshString *s) { return map_case(ctx, s, 1); }
MeshString *mesh_string_to_lower(MeshCtx *ctx, MeshString *s) { return map_case(ctx, s, 0); }

MeshString *mesh_string_replace(MeshCtx *ctx, MeshString *s, MeshString *from, MeshString *to)
{
    MeshBuf b = {0};
    if (from->len == 0) {
        /* as Rust: `to` before every code point and at the end ("ab" -> "xaxbx", "" -> "x") */
        const unsigned char *u = (const unsigned char *)s->bytes;
        for (uint64_t i = 0; i < s->len;) {
            int l;
            utf8_decode(u + i, s->len - i, &l);
            meshP_buf_put(&b, to->bytes, to->len);
            meshP_buf_put(&b, s->bytes + i, (uint64_t)l);
            i += (uint64_t)l;
        }
        meshP_buf_put(&b, to->bytes, to->len);
        return meshP_buf_finish(ctx, &b);
    }
    const char *p = s->bytes, *end = s->bytes + s->len;
    for (;;) {
        const char *hit = find(p, (uint64_t)(end - p), from->bytes, from->len);
        if (!hit) break;
        meshP_buf_put(&b, p, (uint64_t)(hit - p));
        meshP_buf_put(&b, to->bytes, to->len);
        p = hit + from->len;
    }
    meshP_buf_put(&b, p, (uint64_t)(end - p));
    return meshP_buf_finish(ctx, &b);
}

MeshList *mesh_string_split(MeshCtx *ctx, MeshString *s, MeshString *sep)
{
    MeshList *out = mesh_list_new(ctx, MESH_TYPE_LIST_STRING);
    if (sep->len == 0) {
        /* like Rust: "", then every character, then "" */
        out = mesh_list_append(ctx, out, meshP_p2s(mesh_string_new(ctx, "", 0)));
        for (uint64_t i = 0; i < s->len;) {
            int l;
            utf8_decode((const unsigned char *)s->bytes + i, s->len - i, &l);
            out = mesh_list_append(ctx, out, meshP_p2s(mesh_string_new(ctx, s->bytes + i, l)));
            i += (uint64_t)l;
        }
        return mesh_list_append(ctx, out, meshP_p2s(mesh_string_new(ctx, "", 0)));
    }
    uint64_t pos = 0;
    for (;;) {
        const char *hit = find(s->bytes + pos, s->len - pos, sep->bytes, sep->len);
        uint64_t stop = hit ? (uint64_t)(hit - s->bytes) : s->len;
        MeshString *piece = mesh_string_new(ctx, s->bytes + pos, (int64_t)(stop - pos));
        out = mesh_list_append(ctx, out, meshP_p2s(piece));
        if (!hit) break;
        pos = stop + sep->len;
    }
    return out;
}

MeshString *mesh_string_join(MeshCtx *ctx, MeshList *parts, MeshString *sep)
{
    MeshBuf b = {0};
    int64_t n = mesh_list_length(parts);
    for (int64_t i = 0; i < n; i++) {
        MeshString *p = meshP_s2p(meshP_list_at(parts, i));
        if (i) meshP_buf_put(&b, sep->bytes, sep->len);
        meshP_buf_put(&b, p->bytes, p->len);
    }
    return meshP_buf_finish(ctx, &b);
}

MeshObj *mesh_string_to_int(MeshCtx *ctx, MeshString *s)
{
    uint64_t a, b;
    trim_bounds(s->bytes, s->len, &a, &b);
    const char *p = s->bytes + a, *end = s->bytes + b;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (p == end) return mesh_option_none();
    uint64_t v = 0, limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9') return mesh_option_none();
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (limit - d) / 10) return mesh_option_none();
        v = v * 10 + d;
    }
    MeshInt r = neg ? (MeshInt)(0 - v) : (MeshInt)v;
    return mesh_option_some(ctx, MESH_TYPE_OPTION_INT, (MeshSlot)r);
}

MeshObj *mesh_string_to_float(MeshCtx *ctx, MeshString *s)
{
    uint64_t a, b;
    trim_bounds(s->bytes, s->len, &a, &b);
    if (a == b || b - a > 1000) return mesh_option_none();
    char tmp[1024];
    memcpy(tmp, s->bytes + a, b - a);
    tmp[b - a] = 0;
    for (char *q = tmp; *q; q++) {
        char c = *q;
        /* reject what strtod takes but Rust does not: hex floats, nan(...) */
        if (c == 'x' || c == 'X' || c == '(' || c == ' ' || c == 'p' || c == 'P') return mesh_option_none();
    }
    char *endp;
    double d = strtod(tmp, &endp);
    if (*endp != 0 || endp == tmp) return mesh_option_none();
    return mesh_option_some(ctx, MESH_TYPE_OPTION_FLOAT, meshP_f2s(d));
}

MeshBool mesh_string_eq(MeshString *a, MeshString *b)
{
    return a == b || (a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0);
}

MeshInt mesh_string_compare(MeshString *a, MeshString *b)
{
    uint64_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->bytes, b->bytes, n);
    if (c) return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

MeshString *mesh_string_from_int(MeshCtx *ctx, MeshInt v) { return mesh_int_to_string(ctx, v); }
MeshString *mesh_string_from_float(MeshCtx *ctx, MeshFloat v) { return mesh_float_to_string(ctx, v); }
MeshString *mesh_string_from_bool(MeshCtx *ctx, MeshBool v) { return mesh_bool_to_string(ctx, v); }

void meshP_quote(MeshBuf *b, const char *p, uint64_t n)
{
    meshP_buf_putc(b, '"');
    for (uint64_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        switch (c) {
        case '"': meshP_buf_put(b, "\\\"", 2); break;
        case '\\': meshP_buf_put(b, "\\\\", 2); break;
        case '\n': meshP_buf_put(b, "\\n", 2); break;
        case '\r': meshP_buf_put(b, "\\r", 2); break;
        case '\t': meshP_buf_put(b, "\\t", 2); break;
        case 0: meshP_buf_put(b, "\\0", 2); break;
        default:
            if (c < 0x20 || c == 0x7F) {
                char esc[16];
                int k = snprintf(esc, sizeof esc, "\\u{%x}", c);
                meshP_buf_put(b, esc, (uint64_t)k);
            } else {
                meshP_buf_putc(b, (char)c);
            }
        }
    }
    meshP_buf_putc(b, '"');
}

MeshString *mesh_string_quote(MeshCtx *ctx, MeshString *s)
{
    MeshBuf b = {0};
    meshP_quote(&b, s->bytes, s->len);
    return meshP_buf_finish(ctx, &b);
}
