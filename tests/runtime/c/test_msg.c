/* Message payloads of every size class: small ones travel inside their
 * envelope (copied out by the receiver), bigger ones in fragments or straight
 * into a blocked receiver's heap. Checks deep-copy isolation (the sender's
 * heap is collected and reused while a message is in flight), contents of
 * every size around the inline limit, and selective receive order when small
 * and big messages are mixed. Run with 1, 2 and 4 workers and under GC stress. */
#include "mesh/mesh.h"

/* 64 Pair = (String, Int), 65 Nums = 12-Int tuple (fewer fields used),
 * 66 Msg = Text(Int, String) | Nums(Int, Nums) | Nest(Int, Pair) | Many(Int, List<String>) | Bare(Int) */
static const MeshField pair_fields[] = {{NULL, MESH_TYPE_STRING}, {NULL, MESH_TYPE_INT}};
static const MeshField nums_fields[] = {
    {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT},
    {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT},
    {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}};
static const MeshField text_f[] = {{NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_STRING}};
static const MeshField nums_f[] = {{NULL, MESH_TYPE_INT}, {NULL, 65}};
static const MeshField nest_f[] = {{NULL, MESH_TYPE_INT}, {NULL, 64}};
static const MeshField many_f[] = {{NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_LIST_STRING}};
static const MeshField bare_f[] = {{NULL, MESH_TYPE_INT}};
static const MeshVariant msg_variants[] = {
    {"Text", 2, text_f}, {"Nums", 2, nums_f}, {"Nest", 2, nest_f}, {"Many", 2, many_f}, {"Bare", 1, bare_f}};
static const MeshType types[] = {
    {.kind = MESH_KIND_TUPLE, .boxed = 1, .name = "Pair", .nfields = 2, .fields = pair_fields},
    {.kind = MESH_KIND_TUPLE, .boxed = 1, .name = "Nums", .nfields = 12, .fields = nums_fields},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Msg", .nvariants = 5, .variants = msg_variants},
};
#define TEST_TYPES types
#include "check.h"

#define MSG 66

static MeshString *text(MeshCtx *ctx, int64_t k, int64_t len)
{
    char buf[256];
    for (int64_t i = 0; i < len; i++) buf[i] = (char)('a' + (i + k) % 26);
    return mesh_string_new(ctx, buf, len);
}

static int text_is(const MeshString *s, int64_t k, int64_t len)
{
    if ((int64_t)s->len != len || s->bytes[len] != 0) return 0;
    for (int64_t i = 0; i < len; i++)
        if (s->bytes[i] != (char)('a' + (i + k) % 26)) return 0;
    return 1;
}

static MeshFields *fields(MeshCtx *ctx, MeshTypeId t, uint32_t kind, uint32_t aux, uint32_t n)
{
    return (MeshFields *)mesh_gc_alloc(ctx, 8 + 8 * (uint64_t)n, t, kind, aux);
}

/* Message number k: its shape and size follow from k (sizes cross the inline limit). */
static MeshSlot make_msg(MeshCtx *ctx, int64_t k)
{
    MeshFields *m;
    switch (k % 5) {
    case 0:
        m = fields(ctx, MSG, MESH_KIND_VARIANT, 0, 2);
        m->slots[0] = (MeshSlot)k;
        m->slots[1] = P(text(ctx, k, (k * 7) % 90));
        return P(m);
    case 1: {
        uint32_t n = (uint32_t)(k % 12) + 1;
        MeshFields *t = fields(ctx, 65, MESH_KIND_TUPLE, n, n);
        for (uint32_t i = 0; i < n; i++) t->slots[i] = (MeshSlot)(k * 100 + i);
        m = fields(ctx, MSG, MESH_KIND_VARIANT, 1, 2);
        m->slots[0] = (MeshSlot)k;
        m->slots[1] = P(t);
        return P(m);
    }
    case 2: {
        MeshFields *pr = fields(ctx, 64, MESH_KIND_TUPLE, 2, 2);
        pr->slots[0] = P(text(ctx, k + 1, k % 20));
        pr->slots[1] = (MeshSlot)-k;
        m = fields(ctx, MSG, MESH_KIND_VARIANT, 2, 2);
        m->slots[0] = (MeshSlot)k;
        m->slots[1] = P(pr);
        return P(m);
    }
    case 3: {
        MeshList *l = mesh_list_new(ctx, MESH_TYPE_LIST_STRING);
        for (int64_t i = 0; i < k % 4; i++) l = mesh_list_append(ctx, l, P(text(ctx, k + i, i + 3)));
        m = fields(ctx, MSG, MESH_KIND_VARIANT, 3, 2);
        m->slots[0] = (MeshSlot)k;
        m->slots[1] = P(l);
        return P(m);
    }
    default:
        m = fields(ctx, MSG, MESH_KIND_VARIANT, 4, 1);
        m->slots[0] = (MeshSlot)k;
        return P(m);
    }
}

static int64_t msg_key(MeshSlot v) { return (int64_t)((MeshFields *)OBJ(v))->slots[0]; }

static int msg_ok(MeshCtx *ctx, MeshSlot v, int64_t k)
{
    MeshFields *m = OBJ(v);
    if (m->hdr.type_id != MSG || m->hdr.kind != MESH_KIND_VARIANT || m->hdr.aux != k % 5 || msg_key(v) != k)
        return 0;
    switch (k % 5) {
    case 0:
        return text_is(OBJ(m->slots[1]), k, (k * 7) % 90);
    case 1: {
        MeshFields *t = OBJ(m->slots[1]);
        uint32_t n = (uint32_t)(k % 12) + 1;
        if (t->hdr.type_id != 65 || t->hdr.kind != MESH_KIND_TUPLE || t->hdr.aux != n) return 0;
        for (uint32_t i = 0; i < n; i++)
            if (t->slots[i] != (MeshSlot)(k * 100 + i)) return 0;
        return 1;
    }
    case 2: {
        MeshFields *pr = OBJ(m->slots[1]);
        return pr->hdr.type_id == 64 && text_is(OBJ(pr->slots[0]), k + 1, k % 20) && pr->slots[1] == (MeshSlot)-k;
    }
    case 3: {
        MeshList *l = OBJ(m->slots[1]);
        if (mesh_list_length(l) != k % 4) return 0;
        for (int64_t i = 0; i < k % 4; i++)
            if (!text_is(OBJ(mesh_list_get(ctx, l, i)), k + i, i + 3)) return 0;
        return 1;
    }
    default:
        return 1;
    }
}

/* messages whose key is env[1] modulo env[0] */
static MeshSlot accept_mod(MeshCtx *ctx, MeshClosure *self, MeshSlot m)
{
    (void)ctx;
    return msg_key(m) % (int64_t)self->env[0] == (int64_t)self->env[1];
}

static MeshSlot recv(MeshCtx *ctx, MeshClosure *accept)
{
    CHECK(mesh_actor_receive(ctx, accept, 10000));
    return mesh_actor_received(ctx);
}

/* Garbage that reuses whatever the collector freed. */
static void churn(MeshCtx *ctx)
{
    for (int i = 0; i < 200; i++) {
        MeshString *s = text(ctx, 99, 40);
        memset(s->bytes, '#', s->len);
    }
    mesh_gc_collect(ctx);
    for (int i = 0; i < 200; i++) {
        MeshString *s = text(ctx, 98, 24);
        memset(s->bytes, '%', s->len);
    }
}

/* echo: receive a Msg, send it back to env[0]; Bare(-1) ends it */
static void echo(MeshCtx *ctx, MeshClosure *self)
{
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    for (;;) {
        MeshSlot m = recv(ctx, any);
        if (msg_key(m) < 0) break;
        mesh_actor_send(ctx, (int64_t)self->env[0], MSG, m);
        if (msg_key(m) % 7 == 0) churn(ctx);
    }
}

static void test_main(MeshCtx *ctx)
{
    int64_t me = mesh_actor_self(ctx);
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);

    /* to itself (a running receiver: inline payloads and fragments), every
     * shape; the sender's copies become garbage and are overwritten first */
    MeshList *kept = mesh_list_new(ctx, MESH_TYPE_LIST_ANY);
    for (int64_t k = 0; k < 400; k++) {
        mesh_actor_send(ctx, me, MSG, make_msg(ctx, k));
        if (k % 3 == 0) churn(ctx);
        MeshSlot v = recv(ctx, any);
        if (!msg_ok(ctx, v, k)) {
            fprintf(stderr, "self message %lld damaged\n", (long long)k);
            check_failures++;
        }
        kept = mesh_list_append(ctx, kept, v);
    }
    /* received messages are the receiver's own, whatever happened since */
    churn(ctx);
    for (int64_t k = 0; k < 400; k++)
        if (!msg_ok(ctx, mesh_list_get(ctx, kept, k), k)) {
            fprintf(stderr, "kept message %lld damaged\n", (long long)k);
            check_failures++;
        }
    /* strings and tuples as the whole message, every length around the limit */
    for (int64_t len = 0; len < 80; len++) {
        mesh_actor_send(ctx, me, MESH_TYPE_STRING, P(text(ctx, len, len)));
        MeshFields *t = fields(ctx, 65, MESH_KIND_TUPLE, (uint32_t)(len % 12) + 1, (uint32_t)(len % 12) + 1);
        for (int64_t i = 0; i <= len % 12; i++) t->slots[i] = (MeshSlot)(len + i);
        mesh_actor_send(ctx, me, 65, P(t));
        churn(ctx);
        CHECK(text_is(OBJ(recv(ctx, any)), len, len));
        MeshFields *r = OBJ(recv(ctx, any));
        CHECK_EQ_INT(r->hdr.aux, len % 12 + 1);
        for (int64_t i = 0; i <= len % 12; i++) CHECK_EQ_INT(r->slots[i], len + i);
    }

    /* selective receive order over a queue mixing small and big messages:
     * first the keys = 2 (mod 3), then 0 (mod 3), then the rest, each in send order */
    int64_t n = 120;
    for (int64_t k = 0; k < n; k++) mesh_actor_send(ctx, me, MSG, make_msg(ctx, k));
    churn(ctx);
    for (int64_t pass = 0; pass < 3; pass++) {
        int64_t want = pass == 0 ? 2 : pass == 1 ? 0 : 1;
        MeshSlot caps[2] = {3, (MeshSlot)want};
        MeshClosure *sel = closure_n(ctx, (void *)accept_mod, 2, caps);
        for (int64_t k = want; k < n; k += 3) {
            MeshSlot v = recv(ctx, sel);
            if (!msg_ok(ctx, v, k)) {
                fprintf(stderr, "queued message %lld out of order or damaged (got key %lld)\n", (long long)k,
                        (long long)msg_key(v));
                check_failures++;
            }
            if (k % 10 == 0) churn(ctx);
        }
    }
    CHECK(!mesh_actor_receive(ctx, any, 0));

    /* delayed delivery (Timer.send_after copies at once, delivers later):
     * the original is long collected when the message arrives */
    for (int64_t k = 0; k < 20; k++) mesh_timer_send_after(ctx, me, 1 + k % 3, make_msg(ctx, 1000 + k));
    for (int i = 0; i < 5; i++) churn(ctx);
    int seen[20] = {0};
    for (int64_t i = 0; i < 20; i++) {
        MeshSlot v = recv(ctx, any);
        int64_t k = msg_key(v);
        CHECK(k >= 1000 && k < 1020);
        if (k >= 1000 && k < 1020) {
            CHECK(!seen[k - 1000]);
            seen[k - 1000] = 1;
            CHECK(msg_ok(ctx, v, k));
        }
    }

    /* another process echoes (with several workers it is often running when
     * a message arrives): contents survive both copies, order is kept */
    MeshSlot mep = (MeshSlot)me;
    int64_t e = mesh_actor_spawn(ctx, closure_n(ctx, (void *)echo, 1, &mep));
    for (int64_t round = 0; round < 20; round++) {
        for (int64_t k = round * 50; k < round * 50 + 50; k++) mesh_actor_send(ctx, e, MSG, make_msg(ctx, k));
        if (round % 2) churn(ctx);
        for (int64_t k = round * 50; k < round * 50 + 50; k++) {
            MeshSlot v = recv(ctx, any);
            if (!msg_ok(ctx, v, k)) {
                fprintf(stderr, "echoed message %lld damaged or out of order (got key %lld)\n", (long long)k,
                        (long long)msg_key(v));
                check_failures++;
            }
        }
    }
    MeshFields *stop = fields(ctx, MSG, MESH_KIND_VARIANT, 4, 1);
    stop->slots[0] = (MeshSlot)-1;
    mesh_actor_send(ctx, e, MSG, P(stop));
    puts("msg done");
}
