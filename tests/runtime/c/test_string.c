/* Strings: UTF-8 aware length/slice, search, trim, case, replace, split/join, parsing. */
#include "check.h"

static void test_main(MeshCtx *ctx)
{
    MeshString *s = S("héllo wörld");
    CHECK_EQ_INT(s->len, 13);
    CHECK_EQ_INT(mesh_string_length(s), 11);
    CHECK_STR(mesh_string_slice(ctx, s, 1, 4), "éll");
    CHECK_STR(mesh_string_slice(ctx, s, 7, 100), "örld");
    CHECK_STR(mesh_string_slice(ctx, s, -3, 2), "hé");
    CHECK_STR(mesh_string_slice(ctx, s, 5, 2), "");
    CHECK_STR(mesh_string_concat(ctx, S("ab"), S("cd")), "abcd");
    CHECK(mesh_string_contains(s, S("wör")));
    CHECK(!mesh_string_contains(s, S("xyz")));
    CHECK(mesh_string_contains(s, S("")));
    CHECK(mesh_string_starts_with(s, S("hé")));
    CHECK(!mesh_string_starts_with(S("a"), S("ab")));
    CHECK(mesh_string_ends_with(s, S("rld")));
    CHECK_STR(mesh_string_trim(ctx, S("  \t hi there \n")), "hi there");
    CHECK_STR(mesh_string_trim(ctx, S("\xc2\xa0x\xe3\x80\x80")), "x");   /* NBSP, ideographic space */
    CHECK_STR(mesh_string_trim(ctx, S("   ")), "");
    CHECK_STR(mesh_string_to_upper(ctx, S("abc é ß")), "ABC É SS");
    CHECK_STR(mesh_string_to_lower(ctx, S("ÀBC Ω")), "àbc ω");
    CHECK_STR(mesh_string_replace(ctx, S("a-b-c"), S("-"), S("+=")), "a+=b+=c");
    CHECK_STR(mesh_string_replace(ctx, S("aaa"), S("aa"), S("b")), "ba");
    CHECK_STR(mesh_string_replace(ctx, S("abc"), S(""), S("x")), "xaxbxcx");   /* as Rust */
    CHECK_STR(mesh_string_replace(ctx, S(""), S(""), S("x")), "x");
    CHECK_STR(mesh_string_to_lower(ctx, S("ΟΔΟΣ ΑΣ'Α Σ")), "οδος ασ'α σ");   /* final sigma */
    CHECK_STR(mesh_string_to_upper(ctx, S("ﬁ ŉ")), "FI ʼN");

    MeshList *parts = mesh_string_split(ctx, S("one,two,,three"), S(","));
    CHECK_EQ_INT(mesh_list_length(parts), 4);
    CHECK_STR((MeshString *)OBJ(mesh_list_get(ctx, parts, 2)), "");
    CHECK_STR(mesh_string_join(ctx, parts, S(" - ")), "one - two -  - three");
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_LIST_STRING, P(parts)), "[one, two, , three]");
    MeshList *chars = mesh_string_split(ctx, S("hé"), S(""));
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_LIST_STRING, P(chars)), "[, h, é, ]");
    CHECK_STR(mesh_string_join(ctx, mesh_list_new(ctx, MESH_TYPE_LIST_STRING), S(",")), "");

    MeshObj *o = mesh_string_to_int(ctx, S(" 42 "));
    CHECK(mesh_option_is_some(o));
    CHECK_EQ_INT(mesh_option_unwrap(ctx, o), 42);
    CHECK_EQ_INT(mesh_option_unwrap(ctx, mesh_string_to_int(ctx, S("-100"))), -100);
    CHECK_EQ_INT(mesh_option_unwrap(ctx, mesh_string_to_int(ctx, S("+7"))), 7);
    CHECK_EQ_INT(mesh_option_unwrap(ctx, mesh_string_to_int(ctx, S("-9223372036854775808"))), INT64_MIN);
    CHECK(!mesh_option_is_some(mesh_string_to_int(ctx, S("9223372036854775808"))));
    CHECK(!mesh_option_is_some(mesh_string_to_int(ctx, S("abc"))));
    CHECK(!mesh_option_is_some(mesh_string_to_int(ctx, S("1 2"))));
    CHECK(!mesh_option_is_some(mesh_string_to_int(ctx, S(""))));
    CHECK(!mesh_option_is_some(mesh_string_to_int(ctx, S("-"))));
    CHECK(bitsf(mesh_option_unwrap(ctx, mesh_string_to_float(ctx, S("3.14")))) == 3.14);
    CHECK(bitsf(mesh_option_unwrap(ctx, mesh_string_to_float(ctx, S(" 1e3")))) == 1000.0);
    CHECK(bitsf(mesh_option_unwrap(ctx, mesh_string_to_float(ctx, S("5")))) == 5.0);
    CHECK(!mesh_option_is_some(mesh_string_to_float(ctx, S("abc"))));
    CHECK(!mesh_option_is_some(mesh_string_to_float(ctx, S("0x10"))));
    CHECK(!mesh_option_is_some(mesh_string_to_float(ctx, S("1.5x"))));

    CHECK(mesh_string_eq(S("abc"), S("abc")));
    CHECK(!mesh_string_eq(S("abc"), S("abd")));
    CHECK(mesh_string_compare(S("abc"), S("abd")) < 0);
    CHECK(mesh_string_compare(S("ab"), S("abc")) < 0);
    CHECK(mesh_string_compare(S("b"), S("abc")) > 0);
    CHECK_EQ_INT(mesh_string_compare(S("x"), S("x")), 0);
    CHECK_STR(mesh_string_from_int(ctx, -12), "-12");
    CHECK_STR(mesh_string_from_float(ctx, 3.0), "3");
    CHECK_STR(mesh_string_from_bool(ctx, 1), "true");
    CHECK_STR(mesh_string_quote(ctx, S("a\"b\\c\n")), "\"a\\\"b\\\\c\\n\"");
    CHECK_STR(mesh_value_debug(ctx, MESH_TYPE_STRING, P(S("hi"))), "\"hi\"");
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_STRING, P(S("hi"))), "hi");
    /* hashes are FNV-1a over the bytes, equal to the reference's */
    CHECK_EQ_INT(mesh_hash_string(S("")), (int64_t)0xcbf29ce484222325ull);
    CHECK_EQ_INT(mesh_hash_string(S("a")), (int64_t)0xaf63dc4c8601ec8cull);
    CHECK_EQ_INT(mesh_value_hash(ctx, MESH_TYPE_STRING, P(S("abc"))), mesh_hash_string(S("abc")));

    /* owned appends: one session builds 1 MB in place; its versions read as
     * ordinary strings; a finished version is copied, never extended */
    {
        MeshInt tok = mesh_session_token();
        MeshString *acc = S("");
        MeshString *piece = S("0123456789");
        MeshString *at100 = NULL;
        for (int i = 0; i < 100000; i++) {
            acc = mesh_string_append_owned(ctx, acc, piece, tok);
            if (i == 99) {
                at100 = acc;
                tok = mesh_session_token();   /* at100 leaves its session */
            }
        }
        CHECK_EQ_INT(acc->len, 1000000);
        CHECK_EQ_INT(mesh_string_length(acc), 1000000);
        CHECK(acc->bytes[acc->len] == 0);
        CHECK(memcmp(acc->bytes + 999990, "0123456789", 10) == 0);
        CHECK_EQ_INT(at100->len, 1000);
        MeshString *more = mesh_string_append_owned(ctx, at100, S("x"), mesh_session_token());
        CHECK_EQ_INT(at100->len, 1000);
        CHECK_EQ_INT(more->len, 1001);
        CHECK(mesh_string_eq(mesh_string_slice(ctx, more, 0, 1000), at100));
        CHECK_STR(mesh_string_append_owned(ctx, S("ab"), S("cd"), 0), "abcd");
        CHECK_STR(mesh_string_concat(ctx, mesh_string_slice(ctx, acc, 0, 3), S("!")), "012!");
        mesh_gc_collect(ctx);
        CHECK(mesh_string_eq(mesh_string_slice(ctx, more, 995, 1001), S("56789x")));
    }
}
