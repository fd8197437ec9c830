/* check.h -- tiny assertion helpers for the runtime's C unit tests. Each test
 * program defines `static void test_main(MeshCtx *ctx)` and includes this file
 * last; it runs as the main Mesh process through mesh_rt_main. */
#ifndef MESH_TEST_CHECK_H
#define MESH_TEST_CHECK_H

#include <stdarg.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mesh/mesh.h"
#include "mesh/embed.h"

static int check_failures;

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
            check_failures++;                                                             \
        }                                                                                 \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                \
    do {                                                                                  \
        long long a_ = (long long)(a), b_ = (long long)(b);                               \
        if (a_ != b_) {                                                                   \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, \
                    a_, b_);                                                              \
            check_failures++;                                                             \
        }                                                                                 \
    } while (0)

__attribute__((unused)) static int str_is(const MeshString *s, const char *lit)
{
    return s->len == strlen(lit) && memcmp(s->bytes, lit, s->len) == 0 && s->bytes[s->len] == 0;
}

#define CHECK_STR(s, lit)                                                                 \
    do {                                                                                  \
        const MeshString *s_ = (s);                                                       \
        if (!str_is(s_, lit)) {                                                           \
            fprintf(stderr, "%s:%d: %s is \"%.*s\", expected \"%s\"\n", __FILE__, __LINE__, \
                    #s, (int)s_->len, s_->bytes, lit);                                    \
            check_failures++;                                                             \
        }                                                                                 \
    } while (0)

#define S(lit) mesh_string_new(ctx, lit, (int64_t)strlen(lit))
#define P(x) ((MeshSlot)(uintptr_t)(x))
#define OBJ(s) ((void *)(uintptr_t)(s))

static inline MeshSlot fbits(double d) { MeshSlot s; memcpy(&s, &d, 8); return s; }
static inline double bitsf(MeshSlot s) { double d; memcpy(&d, &s, 8); return d; }

/* Build a closure object around a C function with the slot signature. */
__attribute__((unused)) static MeshClosure *closure(MeshCtx *ctx, void *fn)
{
    MeshClosure *c = (MeshClosure *)mesh_gc_alloc(ctx, 16, 0, MESH_KIND_CLOSURE, 0);
    c->fn = fn;
    return c;
}

/* ... with n captured slots. */
__attribute__((unused)) static MeshClosure *closure_n(MeshCtx *ctx, void *fn, int n, const MeshSlot *caps)
{
    MeshClosure *c = (MeshClosure *)mesh_gc_alloc(ctx, 16 + 8 * (uint64_t)n, 0, MESH_KIND_CLOSURE, (uint32_t)n);
    c->fn = fn;
    for (int i = 0; i < n; i++) c->env[i] = caps[i];
    return c;
}

/* A receive-arm matcher that accepts every message. */
__attribute__((unused)) static MeshSlot accept_any(MeshCtx *ctx, MeshClosure *self, MeshSlot m)
{
    (void)ctx;
    (void)self;
    (void)m;
    return 1;
}

/* Receive the next message (an Int), or -1. */
__attribute__((unused)) static int64_t recv_any(MeshCtx *ctx)
{
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    if (!mesh_actor_receive(ctx, any, -1)) return -1;
    return (int64_t)mesh_actor_received(ctx);
}

static void test_main(MeshCtx *ctx);
#ifdef TEST_TYPES
static const MeshType *test_types = TEST_TYPES;
static uint32_t test_ntypes = sizeof(TEST_TYPES) / sizeof(MeshType);
#else
static const MeshType *test_types;
static uint32_t test_ntypes;
#endif

static void test_entry(MeshCtx *ctx)
{
    test_main(ctx);
    if (check_failures) {
        fprintf(stderr, "%d check(s) failed\n", check_failures);
        fflush(stderr);
    }
}

int main(int argc, char **argv)
{
    MeshProgram prog = {test_entry, test_types, test_ntypes, 0};
    int status = mesh_rt_main(argc, argv, &prog);
    if (check_failures) return 2;
    return status;
}

#endif
