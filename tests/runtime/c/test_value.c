/* Display / Debug / eq / compare / hash driven by descriptors, overrides,
 * Option/Result, ordering objects, number formatting. */
#include "mesh/mesh.h"

struct MeshCtx;
static MeshString *shape_display(struct MeshCtx *ctx, MeshSlot v);
static const MeshField pt_fields[] = {{"x", MESH_TYPE_INT}, {"y", MESH_TYPE_FLOAT}};
static const MeshField circle_fields[] = {{NULL, MESH_TYPE_FLOAT}};
static const MeshField rect_fields[] = {{NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_INT}};
static const MeshVariant shape_variants[] = {{"Circle", 1, circle_fields}, {"Rect", 2, rect_fields}, {"Dot", 0, NULL}};
static const MeshField tup_fields[] = {{NULL, MESH_TYPE_STRING}, {NULL, MESH_TYPE_BOOL}, {NULL, 64}};
static const MeshField box_fields[] = {{"v", MESH_TYPE_STRING}};
/* 64 Point (derives Display), 65 Shape (derives Display), 66 Shape2 (no Display), 67 (String, Bool, Point),
 * 68 Point2 (no Display), 69 Shape3 (display override), 70 Box<String> (Display), 71 Empty (Display) */
static const MeshType types[] = {
    {.kind = MESH_KIND_STRUCT, .boxed = 1, .name = "Point", .nfields = 2, .fields = pt_fields, .flags = MESH_TFLAG_DISPLAY},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Shape", .nvariants = 3, .variants = shape_variants,
     .flags = MESH_TFLAG_DISPLAY},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Shape", .nvariants = 3, .variants = shape_variants},
    {.kind = MESH_KIND_TUPLE, .boxed = 1, .name = "", .nfields = 3, .fields = tup_fields},
    {.kind = MESH_KIND_STRUCT, .boxed = 1, .name = "Point", .nfields = 2, .fields = pt_fields},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Shape", .nvariants = 3, .variants = shape_variants,
     .display = shape_display},
    {.kind = MESH_KIND_STRUCT, .boxed = 1, .name = "Box", .nfields = 1, .fields = box_fields, .flags = MESH_TFLAG_DISPLAY},
    {.kind = MESH_KIND_STRUCT, .boxed = 1, .name = "Empty", .nfields = 0, .flags = MESH_TFLAG_DISPLAY},
};
#define TEST_TYPES types
#include "check.h"

static MeshString *shape_display(MeshCtx *ctx, MeshSlot v)
{
    return ((MeshObj *)OBJ(v))->aux == 0 ? S("a circle") : S("not a circle");
}

static MeshObj *obj(MeshCtx *ctx, MeshTypeId t, uint32_t kind, uint32_t aux, int n, const MeshSlot *s)
{
    MeshFields *f = (MeshFields *)mesh_gc_alloc(ctx, 8 + 8 * (uint64_t)n, t, kind, aux);
    if (n) memcpy(f->slots, s, 8 * (size_t)n);
    return &f->hdr;
}

#define FSTR(x) mesh_float_to_string(ctx, x)

static void test_main(MeshCtx *ctx)
{
    /* numbers */
    CHECK_STR(mesh_int_to_string(ctx, 0), "0");
    CHECK_STR(mesh_int_to_string(ctx, -42), "-42");
    CHECK_STR(mesh_int_to_string(ctx, INT64_MIN), "-9223372036854775808");
    CHECK_STR(FSTR(0.1), "0.1");
    CHECK_STR(FSTR(1.0 / 3.0), "0.3333333333333333");
    CHECK_STR(FSTR(2.0 / 3.0), "0.6666666666666666");
    CHECK_STR(FSTR(1e20), "100000000000000000000");
    CHECK_STR(FSTR(1e21), "1000000000000000000000");
    CHECK_STR(FSTR(1e-7), "0.0000001");
    CHECK_STR(FSTR(-0.0), "-0");
    CHECK_STR(FSTR(0.0), "0");
    CHECK_STR(FSTR(2.5), "2.5");
    CHECK_STR(FSTR(4.0), "4");
    CHECK_STR(FSTR(-3.5), "-3.5");
    CHECK_STR(FSTR(3.14), "3.14");
    CHECK_STR(FSTR(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(FSTR(123456789.125), "123456789.125");
    CHECK_STR(FSTR(1e16), "10000000000000000");
    CHECK_STR(FSTR(1.5e-5), "0.000015");
    CHECK_STR(FSTR(0.0 / 0.0), "NaN");
    CHECK_STR(FSTR(1.0 / 0.0), "inf");
    CHECK_STR(FSTR(-1.0 / 0.0), "-inf");
    CHECK_STR(FSTR(9007199254740993.0), "9007199254740992");
    {
        MeshString *t = FSTR(5e-324);   /* 0. then 323 zeros then 5 */
        CHECK_EQ_INT(t->len, 326);
        CHECK(t->bytes[325] == '5' && !memcmp(t->bytes, "0.000000", 8) && strspn(t->bytes + 2, "0") == 323);
        t = FSTR(1.7976931348623157e308);
        CHECK_EQ_INT(t->len, 309);
        CHECK(!memcmp(t->bytes, "17976931348623157000", 20));
    }
    CHECK_STR(mesh_bool_to_string(ctx, 1), "true");
    CHECK_STR(mesh_bool_to_string(ctx, 0), "false");
    /* random doubles round-trip through the text */
    uint64_t x = 0x9E3779B97F4A7C15ull;
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double d = bitsf(x);
        if (d != d || d - d != 0) continue;
        char buf[400];
        mesh_float_format(d, buf, sizeof buf);
        if (strtod(buf, NULL) != d || strchr(buf, 'e')) bad++;
    }
    CHECK_EQ_INT(bad, 0);

    /* structs */
    MeshSlot ps[2] = {1, fbits(2.5)};
    MeshObj *p = obj(ctx, 64, MESH_KIND_STRUCT, 2, 2, ps);
    CHECK_STR(mesh_value_display(ctx, 64, P(p)), "Point(1, 2.5)");
    CHECK_STR(mesh_value_debug(ctx, 64, P(p)), "Point { x: 1, y: 2.5 }");
    MeshObj *p2 = obj(ctx, 68, MESH_KIND_STRUCT, 2, 2, ps);
    CHECK_STR(mesh_value_display(ctx, 68, P(p2)), "Point { x: 1, y: 2.5 }");  /* no Display: Debug form */
    MeshSlot bs[1] = {P(S("hello"))};
    CHECK_STR(mesh_value_display(ctx, 70, P(obj(ctx, 70, MESH_KIND_STRUCT, 1, 1, bs))), "Box(hello)");
    CHECK_STR(mesh_value_debug(ctx, 70, P(obj(ctx, 70, MESH_KIND_STRUCT, 1, 1, bs))), "Box { v: hello }");
    CHECK_STR(mesh_value_display(ctx, 71, P(obj(ctx, 71, MESH_KIND_STRUCT, 0, 0, NULL))), "Empty()");
    CHECK_STR(mesh_value_debug(ctx, 71, P(obj(ctx, 71, MESH_KIND_STRUCT, 0, 0, NULL))), "Empty {}");
    /* sum types */
    MeshSlot cs[1] = {fbits(3.14)};
    MeshSlot rs[2] = {2, 3};
    MeshObj *circle = obj(ctx, 65, MESH_KIND_VARIANT, 0, 1, cs);
    MeshObj *rect = obj(ctx, 65, MESH_KIND_VARIANT, 1, 2, rs);
    static const MeshObj dot = {65, MESH_KIND_VARIANT, MESH_GC_STATIC, 2};
    CHECK_STR(mesh_value_display(ctx, 65, P(circle)), "Circle(3.14)");
    CHECK_STR(mesh_value_display(ctx, 65, P(rect)), "Rect(2, 3)");
    CHECK_STR(mesh_value_display(ctx, 65, P(&dot)), "Dot");
    CHECK_STR(mesh_value_debug(ctx, 65, P(circle)), "Circle(...)");
    CHECK_STR(mesh_value_display(ctx, 66, P(circle)), "Circle(...)");
    CHECK_STR(mesh_value_display(ctx, 66, P(&dot)), "Dot");
    CHECK_STR(mesh_value_display(ctx, 69, P(circle)), "a circle");
    CHECK_STR(mesh_value_display(ctx, 69, P(rect)), "not a circle");
    /* tuples */
    MeshSlot ts[3] = {P(S("s")), 1, P(p)};
    MeshObj *tup = mesh_tuple_new(ctx, 67, ts, 3);
    CHECK_STR(mesh_value_display(ctx, 67, P(tup)), "(s, true, Point(1, 2.5))");
    CHECK_EQ_INT(mesh_tuple_size(tup), 3);
    CHECK_EQ_INT(mesh_tuple_second(ctx, tup), 1);
    /* equality / ordering / hashing by content */
    MeshSlot ps2[2] = {1, fbits(2.5)}, ps3[2] = {1, fbits(3.0)};
    MeshObj *q = obj(ctx, 64, MESH_KIND_STRUCT, 2, 2, ps2), *r = obj(ctx, 64, MESH_KIND_STRUCT, 2, 2, ps3);
    CHECK(mesh_value_eq(ctx, 64, P(p), P(q)));
    CHECK(!mesh_value_eq(ctx, 64, P(p), P(r)));
    CHECK(mesh_value_compare(ctx, 64, P(p), P(r)) < 0);
    CHECK_EQ_INT(mesh_value_hash(ctx, 64, P(p)), mesh_value_hash(ctx, 64, P(q)));
    /* derived struct hash = combine field hashes from the offset basis */
    CHECK_EQ_INT(mesh_value_hash(ctx, 64, P(p)),
                 mesh_hash_combine(mesh_hash_combine((int64_t)0xcbf29ce484222325ull, mesh_hash_int(1)),
                                   mesh_hash_float(2.5)));
    CHECK(mesh_value_compare(ctx, 65, P(circle), P(rect)) < 0);
    CHECK(mesh_value_compare(ctx, 65, P(&dot), P(rect)) > 0);
    CHECK(mesh_value_eq(ctx, 65, P(&dot), P(&dot)));
    CHECK(mesh_value_eq(ctx, MESH_TYPE_FLOAT, fbits(0.0), fbits(-0.0)));
    CHECK(!mesh_value_eq(ctx, MESH_TYPE_FLOAT, fbits(0.0 / 0.0), fbits(0.0 / 0.0)));
    CHECK(mesh_value_compare(ctx, MESH_TYPE_INT, (MeshSlot)-5, 3) < 0);
    CHECK(mesh_value_compare(ctx, MESH_TYPE_STRING, P(S("b")), P(S("a"))) > 0);
    CHECK_EQ_INT(mesh_hash_int(42), mesh_hash_int(42));
    CHECK(mesh_hash_int(42) != mesh_hash_int(43));
    CHECK(mesh_hash_bool(0) != mesh_hash_bool(1));
    CHECK_EQ_INT(mesh_value_hash(ctx, MESH_TYPE_INT, 7), mesh_hash_int(7));
    CHECK_EQ_INT(mesh_value_hash(ctx, MESH_TYPE_BOOL, 1), mesh_hash_bool(1));
    /* Option / Result / Ordering */
    MeshObj *some = mesh_option_some(ctx, MESH_TYPE_OPTION_INT, 5);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_OPTION_INT, P(some)), "Some(5)");
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_OPTION_INT, P(mesh_option_none())), "None");
    CHECK(mesh_value_eq(ctx, MESH_TYPE_OPTION_INT, P(some), P(mesh_option_some(ctx, MESH_TYPE_OPTION_INT, 5))));
    CHECK(!mesh_value_eq(ctx, MESH_TYPE_OPTION_INT, P(some), P(mesh_option_none())));
    MeshObj *err = mesh_result_err(ctx, MESH_TYPE_RESULT_STRING_STRING, P(S("bad")));
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_RESULT_STRING_STRING, P(err)), "Err(bad)");
    CHECK(!mesh_result_is_ok(err));
    CHECK(mesh_result_is_ok(mesh_result_ok(ctx, MESH_TYPE_RESULT_STRING_STRING, P(S("x")))));
    CHECK_EQ_INT(mesh_value_ordering(-3)->aux, 0);
    CHECK_EQ_INT(mesh_value_ordering(0)->aux, 1);
    CHECK_EQ_INT(mesh_value_ordering(9)->aux, 2);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_ORDERING, P(mesh_value_ordering(0))), "Equal");
    /* ranges */
    MeshRange *rg = mesh_range_new(ctx, 2, 6);
    CHECK_EQ_INT(mesh_range_length(rg), 4);
    CHECK_EQ_INT(mesh_range_length(mesh_range_new(ctx, 5, 1)), 0);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_LIST_INT, P(mesh_range_to_list(ctx, rg))), "[2, 3, 4, 5]");
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_RANGE, P(rg)), "2..6");
    /* scalars, unit, unknown */
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_UNIT, 0), "()");
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_BOOL, 0), "false");
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_FLOAT, fbits(1e20)), "100000000000000000000");
    CHECK_STR(mesh_value_debug(ctx, MESH_TYPE_INT, (MeshSlot)-1), "-1");
    /* queues */
    MeshQueue *qu = mesh_queue_new(ctx, MESH_TYPE_QUEUE);
    CHECK(mesh_queue_is_empty(qu));
    for (int64_t i = 1; i <= 3; i++) qu = mesh_queue_push(ctx, qu, (MeshSlot)i);
    CHECK_EQ_INT(mesh_queue_size(qu), 3);
    CHECK_EQ_INT(mesh_queue_peek(ctx, qu), 1);
    MeshObj *popped = mesh_queue_pop(ctx, qu, MESH_TYPE_TUPLE_ANY);
    CHECK_EQ_INT(mesh_tuple_first(ctx, popped), 1);
    MeshQueue *rest = OBJ(mesh_tuple_second(ctx, popped));
    CHECK_EQ_INT(mesh_queue_size(rest), 2);
    CHECK_EQ_INT(mesh_queue_size(qu), 3);
    rest = mesh_queue_push(ctx, rest, 4);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_QUEUE, P(rest)), "[2, 3, 4]");
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_QUEUE, P(qu)), "[1, 2, 3]");
    MeshQueue *q2 = mesh_queue_push(ctx, mesh_queue_push(ctx, mesh_queue_push(ctx, mesh_queue_new(ctx, MESH_TYPE_QUEUE), 2), 3), 4);
    CHECK(mesh_value_eq(ctx, MESH_TYPE_QUEUE, P(rest), P(q2)));
    /* a long-running queue stays small: push/pop a million times */
    const char *stress = getenv("MESH_GC_STRESS");
    int64_t nq = stress && *stress == '1' ? 2000 : 200000;
    MeshQueue *lq = mesh_queue_new(ctx, MESH_TYPE_QUEUE);
    for (int64_t i = 0; i < nq; i++) {
        lq = mesh_queue_push(ctx, lq, (MeshSlot)i);
        if (i % 2) lq = OBJ(mesh_tuple_second(ctx, mesh_queue_pop(ctx, lq, MESH_TYPE_TUPLE_ANY)));
    }
    CHECK_EQ_INT(mesh_queue_size(lq), nq / 2);
    CHECK_EQ_INT(mesh_queue_peek(ctx, lq), nq / 2);
    /* integer division */
    CHECK_EQ_INT(mesh_int_div(ctx, 7, 2), 3);
    CHECK_EQ_INT(mesh_int_div(ctx, -7, 2), -3);
    CHECK_EQ_INT(mesh_int_rem(ctx, -7, 2), -1);
    CHECK_EQ_INT(mesh_int_div(ctx, INT64_MIN, -1), INT64_MIN);
    CHECK_EQ_INT(mesh_int_rem(ctx, INT64_MIN, -1), 0);
}
