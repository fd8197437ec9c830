/* Maps and sets: insertion order, replacement keeps position, deletion, keys of
 * any type by content, large tables checked against a plain array model. */
#include "mesh/mesh.h"

static const MeshField kv_fields[] = {{NULL, MESH_TYPE_STRING}, {NULL, MESH_TYPE_INT}};
static const MeshField pt_fields[] = {{"x", MESH_TYPE_INT}, {"y", MESH_TYPE_INT}};
/* 64 Map<String, Int>, 65 (String, Int), 66 List<(String, Int)>, 67 Map<Int, Int>,
 * 68 Point, 69 Map<Point, String>, 70 Set<String>, 71 Set<Point>, 72 Map<Float, Int> */
static const MeshType types[] = {
    {.kind = MESH_KIND_MAP, .boxed = 1, .name = "Map", .elem = MESH_TYPE_STRING, .elem2 = MESH_TYPE_INT},
    {.kind = MESH_KIND_TUPLE, .boxed = 1, .name = "", .nfields = 2, .fields = kv_fields},
    {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = 65},
    {.kind = MESH_KIND_MAP, .boxed = 1, .name = "Map", .elem = MESH_TYPE_INT, .elem2 = MESH_TYPE_INT},
    {.kind = MESH_KIND_STRUCT, .boxed = 1, .name = "Point", .nfields = 2, .fields = pt_fields},
    {.kind = MESH_KIND_MAP, .boxed = 1, .name = "Map", .elem = 68, .elem2 = MESH_TYPE_STRING},
    {.kind = MESH_KIND_SET, .boxed = 1, .name = "Set", .elem = MESH_TYPE_STRING},
    {.kind = MESH_KIND_SET, .boxed = 1, .name = "Set", .elem = 68},
    {.kind = MESH_KIND_MAP, .boxed = 1, .name = "Map", .elem = MESH_TYPE_FLOAT, .elem2 = MESH_TYPE_INT},
};
#define TEST_TYPES types
#include "check.h"

static MeshObj *pt(MeshCtx *ctx, int64_t x, int64_t y)
{
    MeshSlot s[2] = {(MeshSlot)x, (MeshSlot)y};
    return mesh_tuple_new(ctx, 68, s, 2);   /* same layout as a struct; kind fixed below */
}

static MeshObj *point(MeshCtx *ctx, int64_t x, int64_t y)
{
    MeshFields *p = (MeshFields *)mesh_gc_alloc(ctx, 24, 68, MESH_KIND_STRUCT, 2);
    p->slots[0] = (MeshSlot)x;
    p->slots[1] = (MeshSlot)y;
    return &p->hdr;
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_main(MeshCtx *ctx)
{
    (void)pt;
    MeshMap *m = mesh_map_new(ctx, 64);
    CHECK_STR(mesh_value_display(ctx, 64, P(m)), "%{}");
    m = mesh_map_put(ctx, m, P(S("b")), 2);
    m = mesh_map_put(ctx, m, P(S("a")), 1);
    m = mesh_map_put(ctx, m, P(S("c")), 3);
    MeshMap *m2 = mesh_map_put(ctx, m, P(S("b")), 20);   /* keeps position */
    CHECK_STR(mesh_value_display(ctx, 64, P(m)), "%{b => 2, a => 1, c => 3}");
    CHECK_STR(mesh_value_display(ctx, 64, P(m2)), "%{b => 20, a => 1, c => 3}");
    CHECK_EQ_INT(mesh_map_get(ctx, m2, P(S("b"))), 20);
    CHECK_EQ_INT(mesh_map_get(ctx, m2, P(S("zz"))), 0);
    CHECK(mesh_map_has_key(ctx, m, P(S("a"))));
    CHECK(!mesh_map_has_key(ctx, m, P(S("d"))));
    MeshObj *o = mesh_map_lookup(ctx, m, P(S("c")), MESH_TYPE_OPTION_INT);
    CHECK(mesh_option_is_some(o) && mesh_option_unwrap(ctx, o) == 3);
    CHECK(!mesh_option_is_some(mesh_map_lookup(ctx, m, P(S("q")), MESH_TYPE_OPTION_INT)));
    MeshMap *m3 = mesh_map_delete(ctx, m2, P(S("b")));
    CHECK_STR(mesh_value_display(ctx, 64, P(m3)), "%{a => 1, c => 3}");
    CHECK_EQ_INT(mesh_map_size(m3), 2);
    CHECK_EQ_INT(mesh_map_size(m2), 3);
    CHECK(mesh_map_delete(ctx, m3, P(S("nope"))) == m3);
    m3 = mesh_map_put(ctx, m3, P(S("b")), 5);            /* re-added: goes last */
    CHECK_STR(mesh_value_display(ctx, 64, P(m3)), "%{a => 1, c => 3, b => 5}");
    CHECK_STR((MeshString *)OBJ(mesh_map_key_at(ctx, m3, 2)), "b");
    CHECK_EQ_INT(mesh_map_value_at(ctx, m3, 0), 1);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_LIST_STRING, P(mesh_map_keys(ctx, m3, MESH_TYPE_LIST_STRING))),
              "[a, c, b]");
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_LIST_INT, P(mesh_map_values(ctx, m3, MESH_TYPE_LIST_INT))),
              "[1, 3, 5]");
    MeshList *pairs = mesh_map_to_list(ctx, m3, 66);
    CHECK_STR(mesh_value_display(ctx, 66, P(pairs)), "[(a, 1), (c, 3), (b, 5)]");
    MeshMap *back = mesh_map_from_list(ctx, pairs, 64);
    CHECK(mesh_value_eq(ctx, 64, P(back), P(m3)));
    MeshMap *merged = mesh_map_merge(ctx, m, m3);
    CHECK_STR(mesh_value_display(ctx, 64, P(merged)), "%{b => 5, a => 1, c => 3}");
    /* equality and hash ignore insertion order */
    MeshMap *x = mesh_map_put(ctx, mesh_map_put(ctx, mesh_map_new(ctx, 64), P(S("k1")), 1), P(S("k2")), 2);
    MeshMap *y = mesh_map_put(ctx, mesh_map_put(ctx, mesh_map_new(ctx, 64), P(S("k2")), 2), P(S("k1")), 1);
    CHECK(mesh_value_eq(ctx, 64, P(x), P(y)));
    CHECK_EQ_INT(mesh_value_hash(ctx, 64, P(x)), mesh_value_hash(ctx, 64, P(y)));
    CHECK(!mesh_value_eq(ctx, 64, P(x), P(m)));

    /* struct keys by content */
    MeshMap *pm = mesh_map_new(ctx, 69);
    pm = mesh_map_put(ctx, pm, P(point(ctx, 1, 2)), P(S("one-two")));
    pm = mesh_map_put(ctx, pm, P(point(ctx, 3, 4)), P(S("three-four")));
    CHECK_STR((MeshString *)OBJ(mesh_map_get(ctx, pm, P(point(ctx, 1, 2)))), "one-two");
    CHECK_STR(mesh_value_display(ctx, 69, P(pm)), "%{Point { x: 1, y: 2 } => one-two, Point { x: 3, y: 4 } => three-four}");
    /* float keys: -0.0 and 0.0 are the same key */
    MeshMap *fm = mesh_map_put(ctx, mesh_map_new(ctx, 72), fbits(0.0), 1);
    CHECK(mesh_map_has_key(ctx, fm, fbits(-0.0)));

    /* sets */
    MeshSet *s = mesh_set_new(ctx, 70);
    CHECK_STR(mesh_value_display(ctx, 70, P(s)), "#{}");
    s = mesh_set_add(ctx, s, P(S("b")));
    s = mesh_set_add(ctx, s, P(S("a")));
    s = mesh_set_add(ctx, s, P(S("b")));
    CHECK_EQ_INT(mesh_set_size(s), 2);
    CHECK_STR(mesh_value_display(ctx, 70, P(s)), "#{b, a}");
    MeshSet *t = mesh_set_add(ctx, mesh_set_add(ctx, mesh_set_new(ctx, 70), P(S("a"))), P(S("c")));
    CHECK_STR(mesh_value_display(ctx, 70, P(mesh_set_union(ctx, s, t))), "#{b, a, c}");
    CHECK_STR(mesh_value_display(ctx, 70, P(mesh_set_intersection(ctx, s, t))), "#{a}");
    CHECK_STR(mesh_value_display(ctx, 70, P(mesh_set_difference(ctx, s, t))), "#{b}");
    CHECK_STR(mesh_value_display(ctx, 70, P(mesh_set_remove(ctx, s, P(S("b"))))), "#{a}");
    CHECK(mesh_set_contains(ctx, s, P(S("a"))));
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_LIST_STRING, P(mesh_set_to_list(ctx, s, MESH_TYPE_LIST_STRING))),
              "[b, a]");
    MeshSet *ss = mesh_set_from_list(ctx, mesh_string_split(ctx, S("x,y,x,z"), S(",")), 70);
    CHECK_STR(mesh_value_display(ctx, 70, P(ss)), "#{x, y, z}");
    CHECK_STR((MeshString *)OBJ(mesh_set_element_at(ctx, ss, 1)), "y");
    MeshSet *ps = mesh_set_add(ctx, mesh_set_new(ctx, 71), P(point(ctx, 1, 1)));
    CHECK(mesh_set_contains(ctx, ps, P(point(ctx, 1, 1))));
    CHECK(!mesh_set_contains(ctx, ps, P(point(ctx, 1, 2))));
    MeshSet *is = mesh_set_add(ctx, mesh_set_add(ctx, mesh_set_new(ctx, MESH_TYPE_SET_INT), 10), 20);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_SET_INT, P(is)), "#{10, 20}");

    /* a large randomized workload against a model (collisions in 5-bit fragments, deep tries) */
    enum { N = 20000, K = 5000 };
    static int64_t model[K];
    static int present[K];
    static int64_t order[K * 4];
    int norder = 0;
    MeshMap *im = mesh_map_new(ctx, 67);
    for (int i = 0; i < N; i++) {
        int64_t k = (int64_t)(rnd() % K);
        if (rnd() % 4 == 0) {
            im = mesh_map_delete(ctx, im, (MeshSlot)k);
            present[k] = 0;
        } else {
            int64_t v = (int64_t)(rnd() % 1000);
            im = mesh_map_put(ctx, im, (MeshSlot)k, (MeshSlot)v);
            if (!present[k]) order[norder++] = k;
            present[k] = 1;
            model[k] = v;
        }
    }
    int64_t count = 0;
    for (int k = 0; k < K; k++) {
        if (present[k]) {
            count++;
            if (!mesh_map_has_key(ctx, im, (MeshSlot)k) || (int64_t)mesh_map_get(ctx, im, (MeshSlot)k) != model[k]) {
                CHECK(0);
                break;
            }
        } else if (mesh_map_has_key(ctx, im, (MeshSlot)k)) {
            CHECK(0);
            break;
        }
    }
    CHECK_EQ_INT(mesh_map_size(im), count);
    /* insertion order: a key sits where it was (re-)inserted last after a delete */
    static int last[K];
    for (int j = 0; j < norder; j++) last[order[j]] = j;
    MeshList *keys = mesh_map_keys(ctx, im, MESH_TYPE_LIST_INT);
    CHECK_EQ_INT(mesh_list_length(keys), count);
    int64_t at = 0, bad = 0;
    for (int j = 0; j < norder; j++) {
        int64_t k = order[j];
        if (!present[k] || last[k] != j) continue;
        if (at >= mesh_list_length(keys) || (int64_t)mesh_list_get(ctx, keys, at) != k) bad++;
        at++;
    }
    CHECK_EQ_INT(bad, 0);
    /* 100k sequential puts then lookups */
    MeshMap *seq = mesh_map_new(ctx, 67);
    for (int64_t i = 0; i < 100000; i++) seq = mesh_map_put(ctx, seq, (MeshSlot)i, (MeshSlot)(i * 3));
    int64_t wrong = 0;
    for (int64_t i = 0; i < 100000; i++) wrong += (int64_t)mesh_map_get(ctx, seq, (MeshSlot)i) != i * 3;
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(mesh_map_key_at(ctx, seq, 77777), 77777);

    /* old versions stay unchanged while newer ones grow, replace and delete */
    MeshMap *snap[8];
    int64_t snap_n[8];
    MeshMap *g = mesh_map_new(ctx, 67);
    for (int64_t i = 0; i < 80000; i++) {
        if (i % 10000 == 0) snap[i / 10000] = g, snap_n[i / 10000] = i;
        g = mesh_map_put(ctx, g, (MeshSlot)(i * 7919 % 100003), (MeshSlot)i);
    }
    for (int64_t i = 0; i < 80000; i += 3) g = mesh_map_put(ctx, g, (MeshSlot)(i * 7919 % 100003), (MeshSlot)-1);
    for (int64_t i = 0; i < 80000; i += 2) g = mesh_map_delete(ctx, g, (MeshSlot)(i * 7919 % 100003));
    wrong = 0;
    for (int j = 0; j < 8; j++) {
        wrong += mesh_map_size(snap[j]) != snap_n[j];
        for (int64_t i = 0; i < 80000; i += 7) {
            int has = mesh_map_has_key(ctx, snap[j], (MeshSlot)(i * 7919 % 100003));
            wrong += has != (i < snap_n[j]);
            if (has) wrong += (int64_t)mesh_map_get(ctx, snap[j], (MeshSlot)(i * 7919 % 100003)) != i;
        }
        if (snap_n[j] > 0) wrong += (int64_t)mesh_map_key_at(ctx, snap[j], snap_n[j] - 1) != (snap_n[j] - 1) * 7919 % 100003;
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(mesh_map_size(g), 40000);
    /* delete down to empty, in another order than insertion */
    for (int64_t i = 79999; i >= 0; i--) g = mesh_map_delete(ctx, g, (MeshSlot)(i * 7919 % 100003));
    CHECK_EQ_INT(mesh_map_size(g), 0);
    CHECK_STR(mesh_value_display(ctx, 67, P(g)), "%{}");
    g = mesh_map_put(ctx, g, 5, 6);
    CHECK_STR(mesh_value_display(ctx, 67, P(g)), "%{5 => 6}");
    CHECK_EQ_INT(mesh_map_size(snap[7]), 70000);

    /* forced hash collisions: every key in one bucket (mask 0), then only 2
     * distinguishing bits (long single-child chains down to the bucket) */
    const int64_t masks[2] = {0, 0x3};
    for (int mi = 0; mi < 2; mi++) {
        mesh_map_debug_set_hash_mask(masks[mi]);
        MeshMap *c = mesh_map_new(ctx, 64);
        MeshMap *half = NULL;
        char kb[32];
        for (int i = 0; i < 300; i++) {
            if (i == 150) half = c;
            int n = snprintf(kb, sizeof kb, "ck%d", i);
            c = mesh_map_put(ctx, c, P(mesh_string_new(ctx, kb, n)), (MeshSlot)i);
        }
        for (int i = 0; i < 300; i += 2) {
            int n = snprintf(kb, sizeof kb, "ck%d", i);
            c = mesh_map_put(ctx, c, P(mesh_string_new(ctx, kb, n)), (MeshSlot)(i + 1000));
        }
        wrong = 0;
        for (int i = 0; i < 300; i++) {
            int n = snprintf(kb, sizeof kb, "ck%d", i);
            MeshSlot key = P(mesh_string_new(ctx, kb, n));
            wrong += (int64_t)mesh_map_get(ctx, c, key) != (i % 2 ? i : i + 1000);
            wrong += mesh_map_has_key(ctx, half, key) != (i < 150);
            if (i < 150) wrong += (int64_t)mesh_map_get(ctx, half, key) != i;
        }
        CHECK_EQ_INT(wrong, 0);
        CHECK_STR((MeshString *)OBJ(mesh_map_key_at(ctx, c, 299)), "ck299");
        for (int i = 0; i < 300; i++) {
            int n = snprintf(kb, sizeof kb, "ck%d", (i * 7) % 300);
            c = mesh_map_delete(ctx, c, P(mesh_string_new(ctx, kb, n)));
            if (i == 290) CHECK_EQ_INT(mesh_map_size(c), 9);
        }
        CHECK_EQ_INT(mesh_map_size(c), 0);
        CHECK_EQ_INT(mesh_map_size(half), 150);
        MeshSet *cs = mesh_set_new(ctx, MESH_TYPE_SET_INT);
        for (int64_t i = 0; i < 500; i++) cs = mesh_set_add(ctx, cs, (MeshSlot)(i % 250));
        CHECK_EQ_INT(mesh_set_size(cs), 250);
        CHECK(mesh_set_contains(ctx, cs, 249) && !mesh_set_contains(ctx, cs, 250));
        for (int64_t i = 0; i < 250; i++) cs = mesh_set_remove(ctx, cs, (MeshSlot)i);
        CHECK_EQ_INT(mesh_set_size(cs), 0);
        mesh_map_debug_set_hash_mask(-1);
    }

    /* a huge table: 400k puts, all found, then deleted to empty */
    MeshMap *hm = mesh_map_new(ctx, 67);
    for (int64_t i = 0; i < 400000; i++) hm = mesh_map_put(ctx, hm, (MeshSlot)(i * 2654435761 % 1000003), (MeshSlot)i);
    wrong = 0;
    for (int64_t i = 0; i < 400000; i++) wrong += (int64_t)mesh_map_get(ctx, hm, (MeshSlot)(i * 2654435761 % 1000003)) != i;
    CHECK_EQ_INT(wrong, 0);
    MeshMap *hm0 = hm;
    for (int64_t i = 0; i < 400000; i++) hm = mesh_map_delete(ctx, hm, (MeshSlot)(i * 2654435761 % 1000003));
    CHECK_EQ_INT(mesh_map_size(hm), 0);
    CHECK_EQ_INT(mesh_map_size(hm0), 400000);
    CHECK_EQ_INT(mesh_map_get(ctx, hm0, (MeshSlot)(123456 * 2654435761 % 1000003)), 123456);

    /* transient sessions: owned puts/deletes give the same tables as the
     * persistent operations, and a version that ended a session is never
     * changed by later sessions that start from it (branches included) */
    for (int round = 0; round < 2; round++) {
        if (round == 1) mesh_map_debug_set_hash_mask(0xF);   /* deep collision buckets too */
        MeshMap *plain = mesh_map_new(ctx, 67), *own = mesh_map_new(ctx, 67);
        MeshInt tok = mesh_session_token();
        CHECK(tok != 0 && mesh_session_token() != tok);
        MeshMap *snap = NULL, *snap_plain = NULL;
        for (int64_t i = 0; i < 20000; i++) {
            MeshSlot k = (MeshSlot)(rnd() % 5000);
            if (rnd() % 4 == 0) {
                plain = mesh_map_delete(ctx, plain, k);
                own = mesh_map_delete_owned(ctx, own, k, tok);
            } else {
                plain = mesh_map_put(ctx, plain, k, (MeshSlot)i);
                own = mesh_map_put_owned(ctx, own, k, (MeshSlot)i, tok);
            }
            if (i == 9000) {
                /* end the session here: keep the version, continue in a new one */
                snap = own;
                snap_plain = plain;
                tok = mesh_session_token();
            }
        }
        CHECK(mesh_value_eq(ctx, 67, P(own), P(plain)));
        CHECK(mesh_value_eq(ctx, 67, P(snap), P(snap_plain)));
        CHECK_EQ_INT(mesh_value_compare(ctx, MESH_TYPE_LIST_INT, P(mesh_map_keys(ctx, own, MESH_TYPE_LIST_INT)),
                                        P(mesh_map_keys(ctx, plain, MESH_TYPE_LIST_INT))), 0);
        /* two branches from one version */
        MeshString *before = mesh_value_display(ctx, 67, P(snap));
        MeshInt t1 = mesh_session_token(), t2 = mesh_session_token();
        MeshMap *b1 = snap, *b2 = snap;
        for (int64_t i = 0; i < 5000; i++) {
            b1 = mesh_map_put_owned(ctx, b1, (MeshSlot)(i % 700), (MeshSlot)-i, t1);
            b2 = mesh_map_delete_owned(ctx, b2, (MeshSlot)(i % 5000), t2);
        }
        CHECK(mesh_string_eq(before, mesh_value_display(ctx, 67, P(snap))));
        CHECK_EQ_INT(mesh_map_size(b2), 0);
        CHECK_EQ_INT(mesh_map_get(ctx, b1, 699), -4899);
        CHECK_EQ_INT(mesh_map_size(snap), mesh_map_size(snap_plain));
        /* sets */
        MeshSet *ps = mesh_set_new(ctx, MESH_TYPE_SET_INT), *os = mesh_set_new(ctx, MESH_TYPE_SET_INT);
        MeshInt ts = mesh_session_token();
        for (int64_t i = 0; i < 5000; i++) {
            MeshSlot x = (MeshSlot)(rnd() % 1000);
            if (i % 3 == 2) {
                ps = mesh_set_remove(ctx, ps, x);
                os = mesh_set_remove_owned(ctx, os, x, ts);
            } else {
                ps = mesh_set_add(ctx, ps, x);
                os = mesh_set_add_owned(ctx, os, x, ts);
            }
        }
        CHECK(mesh_value_eq(ctx, MESH_TYPE_SET_INT, P(os), P(ps)));
        mesh_map_debug_set_hash_mask(-1);
    }
    {
        /* builders run private sessions: their inputs stay as they were */
        MeshMap *a = mesh_map_new(ctx, 67), *b = mesh_map_new(ctx, 67);
        for (int64_t i = 0; i < 2000; i++) a = mesh_map_put(ctx, a, (MeshSlot)i, (MeshSlot)i);
        for (int64_t i = 1000; i < 3000; i++) b = mesh_map_put(ctx, b, (MeshSlot)i, (MeshSlot)(i * 10));
        MeshMap *ab = mesh_map_merge(ctx, a, b);
        CHECK_EQ_INT(mesh_map_size(ab), 3000);
        CHECK_EQ_INT(mesh_map_size(a), 2000);
        CHECK_EQ_INT(mesh_map_get(ctx, a, 1500), 1500);
        CHECK_EQ_INT(mesh_map_get(ctx, ab, 1500), 15000);
        MeshMap *ab2 = mesh_map_merge(ctx, ab, a);
        CHECK_EQ_INT(mesh_map_get(ctx, ab2, 1500), 1500);
        CHECK_EQ_INT(mesh_map_get(ctx, ab, 1500), 15000);
        MeshSet *s1 = mesh_set_new(ctx, MESH_TYPE_SET_INT), *s2 = mesh_set_new(ctx, MESH_TYPE_SET_INT);
        for (int64_t i = 0; i < 100; i++) s1 = mesh_set_add(ctx, s1, (MeshSlot)i);
        for (int64_t i = 50; i < 150; i++) s2 = mesh_set_add(ctx, s2, (MeshSlot)i);
        MeshSet *u = mesh_set_union(ctx, s1, s2);
        CHECK_EQ_INT(mesh_set_size(u), 150);
        CHECK_EQ_INT(mesh_set_size(s1), 100);
        CHECK_EQ_INT(mesh_set_size(mesh_set_intersection(ctx, s1, s2)), 50);
        CHECK_EQ_INT(mesh_set_size(mesh_set_union(ctx, u, s1)), 150);
        CHECK_EQ_INT(mesh_set_size(u), 150);
    }
}
