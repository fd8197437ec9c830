/* Stacks from slabs: 20,000 live (blocked) processes at once, beyond the
 * budget of PROT_NONE guards (12,000), so both kinds of slot are exercised;
 * every one still answers afterwards, and the stacks are reused once they
 * end. (1,000,000 idle actors: tests/bench/bench_actors.py, "idle".) */
#include "check.h"

#define NPROC 20000

/* waits for one Int, answers it + 1 to the parent */
static void waiter(MeshCtx *ctx, MeshClosure *self)
{
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    if (!mesh_actor_receive(ctx, any, -1)) return;
    int64_t n = (int64_t)mesh_actor_received(ctx);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)(n + 1));
}

static int64_t round_trip(MeshCtx *ctx, int64_t nproc)
{
    MeshSlot me = (MeshSlot)mesh_actor_self(ctx);
    int64_t *pids = malloc((size_t)nproc * sizeof *pids);
    CHECK(pids != NULL);
    for (int64_t i = 0; i < nproc; i++) pids[i] = mesh_actor_spawn(ctx, closure_n(ctx, (void *)waiter, 1, &me));
    mesh_timer_sleep(ctx, 1);       /* every waiter runs and blocks: all alive at once */
    for (int64_t i = 0; i < nproc; i++) mesh_actor_send(ctx, pids[i], MESH_TYPE_INT, (MeshSlot)i);
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    int64_t sum = 0;
    for (int64_t i = 0; i < nproc; i++) {
        CHECK(mesh_actor_receive(ctx, any, 5000));
        sum += (int64_t)mesh_actor_received(ctx);
    }
    free(pids);
    return sum;
}

static void test_main(MeshCtx *ctx)
{
    int64_t n = getenv("MESH_GC_STRESS") ? 2000 : NPROC;
    int64_t expect = n * (n - 1) / 2 + n;
    CHECK_EQ_INT(round_trip(ctx, n), expect);
    CHECK_EQ_INT(round_trip(ctx, n), expect);   /* reused stacks */
}
