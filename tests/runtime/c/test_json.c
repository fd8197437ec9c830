/* JSON: strict parsing of every JSONTestSuite file straight from its bytes (so the
 * parser's own UTF-8 validation is exercised), error positions, encoding, and
 * descriptor-driven encode/decode of structs, Option, sum types, lists and maps. */
#include <dirent.h>
#include <stdio.h>

#include "mesh/mesh.h"

static const MeshField f_any[] = {{NULL, MESH_TYPE_ANY}};
static const MeshField f_str[] = {{NULL, MESH_TYPE_STRING}};
static const MeshField f_int[] = {{NULL, MESH_TYPE_INT}};
static const MeshField f_pt[] = {{"x", MESH_TYPE_INT}, {"name", 67}, {"tags", MESH_TYPE_LIST_STRING}};
static const MeshField f_opt_t[] = {{NULL, 66}};
static const MeshField f_two_f[] = {{NULL, MESH_TYPE_FLOAT}, {NULL, MESH_TYPE_FLOAT}};
static const MeshVariant v_res_json[] = {{"Ok", 1, f_any}, {"Err", 1, f_str}};
static const MeshVariant v_opt_str[] = {{"Some", 1, f_str}, {"None", 0, NULL}};
static const MeshVariant v_res_pt[] = {{"Ok", 1, f_opt_t}, {"Err", 1, f_str}};
static const MeshVariant v_shape[] = {{"Dot", 0, NULL}, {"Line", 2, f_two_f}, {"Count", 1, f_int}};
static const MeshField f_shape[] = {{NULL, 69}};
static const MeshVariant v_res_shape[] = {{"Ok", 1, f_shape}, {"Err", 1, f_str}};
/* 64 Result<Json,String>, 65 Json, 66 Pt, 67 Option<String>, 68 Result<Pt,String>,
 * 69 Shape, 70 Result<Shape,String>, 71 Map<String,Int> */
static const MeshType types[] = {
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Result", .nvariants = 2, .variants = v_res_json},
    {.kind = MESH_KIND_OPAQUE, .boxed = 1, .name = "Json"},
    {.kind = MESH_KIND_STRUCT, .boxed = 1, .name = "Pt", .nfields = 3, .fields = f_pt},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Option", .nvariants = 2, .variants = v_opt_str},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Result", .nvariants = 2, .variants = v_res_pt},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Shape", .nvariants = 3, .variants = v_shape},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Result", .nvariants = 2, .variants = v_res_shape},
    {.kind = MESH_KIND_MAP, .boxed = 1, .name = "Map", .elem = MESH_TYPE_STRING, .elem2 = MESH_TYPE_INT},
};
#define TEST_TYPES types
#include "check.h"

static MeshSlot payload(MeshObj *r) { return ((MeshFields *)r)->slots[0]; }

static MeshObj *parse(MeshCtx *ctx, const char *text, size_t n)
{
    return mesh_json_parse(ctx, mesh_string_new(ctx, text, (int64_t)n), 64);
}

static void suite(MeshCtx *ctx)
{
    const char *dir = "/work/shared/data/jsontestsuite/test_parsing";
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".json")) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        files++;
        MeshObj *r = parse(ctx, buf, n);
        int ok = mesh_result_is_ok(r) != 0;
        if (e->d_name[0] == 'y' && !ok) {
            fprintf(stderr, "rejected %s: %s\n", e->d_name, ((MeshString *)OBJ(payload(r)))->bytes);
            check_failures++;
        }
        if (e->d_name[0] == 'n' && ok) {
            fprintf(stderr, "accepted %s\n", e->d_name);
            check_failures++;
        }
        if (ok) {   /* what was accepted encodes to text that parses again */
            MeshString *t = mesh_json_encode(ctx, OBJ(payload(r)));
            CHECK(mesh_result_is_ok(mesh_json_parse(ctx, t, 64)));
        }
    }
    closedir(d);
    CHECK(files > 300);
}

static void check_err(MeshCtx *ctx, const char *text, const char *msg)
{
    MeshObj *r = parse(ctx, text, strlen(text));
    CHECK(!mesh_result_is_ok(r));
    CHECK_STR((MeshString *)OBJ(payload(r)), msg);
}

static MeshJson *J(MeshCtx *ctx, const char *text)
{
    MeshObj *r = parse(ctx, text, strlen(text));
    CHECK(mesh_result_is_ok(r));
    return OBJ(payload(r));
}

/* structural equality, a hash that agrees with it, and an order that agrees too */
static void same(MeshCtx *ctx, const char *a, const char *b, int eq)
{
    MeshJson *x = J(ctx, a), *y = J(ctx, b);
    CHECK_EQ_INT(mesh_json_eq(x, y), eq);
    CHECK_EQ_INT(mesh_value_eq(ctx, 65, P(x), P(y)), eq);
    CHECK_EQ_INT(mesh_json_compare(x, y) == 0, eq);
    CHECK_EQ_INT(mesh_json_compare(x, y), -mesh_json_compare(y, x));
    if (eq) CHECK_EQ_INT(mesh_value_hash(ctx, 65, P(x)), mesh_value_hash(ctx, 65, P(y)));
}

static void equality(MeshCtx *ctx)
{
    same(ctx, "{\"a\": [1, 2.5, null], \"b\": \"x\"}", "{\"b\":\"x\",\"a\":[1,2.5,null]}", 1);
    same(ctx, "[1, 2]", "[2, 1]", 0);
    same(ctx, "1", "1.0", 0);
    same(ctx, "0.0", "-0.0", 1);
    same(ctx, "{\"k\": 1, \"k\": 2}", "{\"k\": 2}", 1);
    same(ctx, "{\"k\": 1, \"k\": 2}", "{\"k\": 1}", 0);
    same(ctx, "{\"a\": 1}", "{\"a\": 1, \"b\": 1}", 0);
    same(ctx, "\"\\u00e9\"", "\"\xc3\xa9\"", 1);
    same(ctx, "[]", "{}", 0);
    same(ctx, "[1]", "[1, 0]", 0);
    CHECK(mesh_json_compare(J(ctx, "null"), J(ctx, "false")) < 0);
    CHECK(mesh_json_compare(J(ctx, "[1, 9]"), J(ctx, "[2]")) < 0);
    CHECK(mesh_json_compare(J(ctx, "{\"a\": 2}"), J(ctx, "{\"b\": 1}")) < 0);
    CHECK(mesh_json_compare(J(ctx, "\"ab\""), J(ctx, "\"b\"")) < 0);

    /* deep documents: no recursion in equality or order; hashing stops at a fixed depth */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 2);
    memset(deep, '[', depth);
    deep[depth] = '1';
    memset(deep + depth + 1, ']', depth);
    deep[2 * depth + 1] = 0;
    MeshJson *d1 = J(ctx, deep), *d2 = J(ctx, deep);
    deep[depth] = '2';
    MeshJson *d3 = J(ctx, deep);
    free(deep);
    CHECK(mesh_json_eq(d1, d2));
    CHECK(!mesh_json_eq(d1, d3));
    CHECK(mesh_json_compare(d1, d3) < 0);
    CHECK_EQ_INT(mesh_json_hash(d1), mesh_json_hash(d2));
}

static void test_main(MeshCtx *ctx)
{
    suite(ctx);
    check_err(ctx, "[1,\n  2,,]", "JSON parse error at line 2, column 5: unexpected character (value expected)");
    check_err(ctx, "{\"a\":1,}", "JSON parse error at line 1, column 8: trailing comma in object");
    check_err(ctx, "\"\xc3\"", "JSON parse error at line 1, column 2: invalid UTF-8 in string");
    check_err(ctx, "", "JSON parse error at line 1, column 1: unexpected end of input (value expected)");
    check_err(ctx, "\"\\ud800\"", "JSON parse error at line 1, column 2: unpaired UTF-16 surrogate in \\u escape");

    /* deep nesting: no recursion in the parser */
    size_t depth = 200000;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    MeshObj *r = parse(ctx, deep, 2 * depth);
    CHECK(mesh_result_is_ok(r));
    free(deep);

    /* numbers */
    const char *nt = "[0, -0, 9223372036854775807, 1.5e3, -2.25, 1E-2]";
    MeshObj *nums = parse(ctx, nt, strlen(nt));
    CHECK(mesh_result_is_ok(nums));
    CHECK_STR(mesh_json_encode(ctx, OBJ(payload(nums))), "[0,0,9223372036854775807,1500.0,-2.25,0.01]");
    nt = "9223372036854775808";   /* beyond Int: a Float */
    CHECK(mesh_result_is_ok(parse(ctx, nt, strlen(nt))));

    /* escapes round trip */
    const char *st = "\"a\\\"b\\\\c\\/d\\u00e9\\ud83d\\ude00\\u0001\"";
    MeshObj *s = parse(ctx, st, strlen(st));
    CHECK(mesh_result_is_ok(s));
    CHECK_STR(mesh_json_encode(ctx, OBJ(payload(s))), "\"a\\\"b\\\\c/d\xc3\xa9\xf0\x9f\x98\x80\\u0001\"");

    /* get / get_nested */
    MeshString *doc = S("{\"a\": {\"b\": \"deep\"}, \"n\": 3, \"a\": {\"b\": \"last\"}}");
    CHECK_STR(mesh_json_get(ctx, doc, S("n")), "3");
    CHECK_STR(mesh_json_get_nested(ctx, doc, S("a"), S("b")), "last");
    CHECK_STR(mesh_json_get(ctx, doc, S("zz")), "");
    CHECK_STR(mesh_json_get(ctx, S("{"), S("a")), "");

    /* descriptor-driven decode / encode */
    MeshObj *pr = mesh_json_decode_value(ctx, S("{\"x\": 5, \"name\": null, \"tags\": [\"p\", \"q\"]}"), 68);
    CHECK(mesh_result_is_ok(pr));
    MeshString *enc = mesh_json_encode_value(ctx, 66, payload(pr));
    CHECK_STR(enc, "{\"x\":5,\"name\":null,\"tags\":[\"p\",\"q\"]}");
    MeshObj *pr2 = mesh_json_decode_value(ctx, S("{\"x\": 5, \"tags\": [], \"name\": \"n\"}"), 68);
    CHECK_STR(mesh_json_encode_value(ctx, 66, payload(pr2)), "{\"x\":5,\"name\":\"n\",\"tags\":[]}");
    MeshObj *bad = mesh_json_decode_value(ctx, S("{\"x\": 5, \"name\": null, \"tags\": [\"p\", 1]}"), 68);
    CHECK(!mesh_result_is_ok(bad));
    CHECK_STR((MeshString *)OBJ(payload(bad)), "$.tags[1]: expected String, found Int");
    bad = mesh_json_decode_value(ctx, S("{\"name\": null}"), 68);
    CHECK_STR((MeshString *)OBJ(payload(bad)), "missing field `x` of Pt");
    bad = mesh_json_decode_value(ctx, S("[1]"), 68);
    CHECK_STR((MeshString *)OBJ(payload(bad)), "expected Pt (a JSON object), found array");

    const char *shapes[] = {"{\"tag\":\"Dot\",\"fields\":[]}", "{\"tag\":\"Line\",\"fields\":[1.5,2.0]}",
                            "{\"tag\":\"Count\",\"fields\":[7]}"};
    for (int i = 0; i < 3; i++) {
        MeshObj *sr = mesh_json_decode_value(ctx, S(shapes[i]), 70);
        CHECK(mesh_result_is_ok(sr));
        CHECK_EQ_INT(((MeshObj *)OBJ(payload(sr)))->aux, i);
        CHECK_STR(mesh_json_encode_value(ctx, 69, payload(sr)), shapes[i]);
    }
    MeshMap *m = mesh_map_new(ctx, 71);
    m = mesh_map_put(ctx, m, P(S("b")), 2);
    m = mesh_map_put(ctx, m, P(S("a\n")), 1);
    CHECK_STR(mesh_json_encode_map(ctx, m), "{\"b\":2,\"a\\n\":1}");
    CHECK_STR(mesh_json_encode_string(ctx, S("tab\there")), "\"tab\\there\"");
    CHECK_STR(mesh_json_encode_float(ctx, 3.0), "3.0");
    CHECK_STR(mesh_json_encode_float(ctx, 0.1), "0.1");
    equality(ctx);
}
