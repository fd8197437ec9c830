/* Processes: main runs on its own stack, output is flushed at exit, yields
 * work, and a panic ends main with exit status 1 (mode from argv[1]). */
#include <unistd.h>

#include "check.h"

static char mode[32];

static int64_t depth(MeshCtx *ctx, int64_t n)
{
    char pad[256];
    memset(pad, (int)n, sizeof pad);
    if (--ctx->reds <= 0) mesh_yield(ctx);
    return n == 0 ? pad[0] : depth(ctx, n - 1) + pad[1] - pad[2] + 1;
}

static void test_main(MeshCtx *ctx)
{
    const char *m = getenv("MESH_TEST_MODE");
    snprintf(mode, sizeof mode, "%s", m ? m : "ok");
    mesh_io_println(ctx, S("first line"));
    mesh_io_print(ctx, S("no newline, "));
    mesh_io_println(ctx, S("second line"));
    /* deep recursion on the process stack with yields in between */
    CHECK_EQ_INT(depth(ctx, 100000), 100000);
    for (int i = 0; i < 10000; i++) mesh_yield(ctx);
    CHECK(ctx->proc != NULL && ctx->worker != NULL);
    if (!strcmp(mode, "panic")) {
        mesh_io_println(ctx, S("before panic"));
        mesh_panic(ctx, "something bad", 13);
    }
    if (!strcmp(mode, "divzero")) (void)mesh_int_div(ctx, 1, 0);
    if (!strcmp(mode, "head")) (void)mesh_list_head(ctx, mesh_list_new(ctx, MESH_TYPE_LIST_INT));
    if (!strcmp(mode, "panic_at")) mesh_panic_at(ctx, "no match", 8, "main.mpl", 8, 12);
    if (!strcmp(mode, "panic_str")) mesh_panic_str(ctx, S("custom"));
    if (!strcmp(mode, "overflow")) {
        mesh_io_println(ctx, S("recursing"));
        CHECK(depth(ctx, (int64_t)1 << 40) == 0);
    }
    mesh_io_eprintln(ctx, S("to stderr"));
    mesh_io_println(ctx, S("last line"));
}
