/*
 * num.c -- Int, Float and Bool to text (prefixes mesh_int_, mesh_float_,
 * mesh_bool_).
 *
 * Floats print like Rust's f64 Display, which the reference uses: the
 * shortest digit string that reads back to the same double, written out in
 * plain positional notation (never an exponent), integral values without a
 * fractional part: 4.0 -> "4", 0.1 -> "0.1", 1e20 -> "100000000000000000000",
 * 1e-7 -> "0.0000001", -0.0 -> "-0", NaN -> "NaN", infinities -> "inf"/"-inf".
 * The shortest digits come from trying 1..17 significant digits (the correctly
 * rounded printf conversion and its two neighbours) and keeping the first
 * that round-trips.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

int64_t mesh_int_format(MeshInt v, char *buf, int64_t cap)
{
    int n = snprintf(buf, (size_t)cap, "%lld", (long long)v);
    return n < cap ? n : cap - 1;
}

/* Shortest round-trip significant digits of |v| (v finite, nonzero):
 * digits into d (NUL-terminated), returns the decimal exponent e such that
 * |v| = d[0].d[1]d[2]... x 10^e.
 *
 * For each precision p the correctly rounded p-digit decimal is the nearest
 * one, but it may fall just outside the interval of decimals that read back
 * as v while its neighbour one unit away on the other side of v falls inside
 * (2^-44: 5.684341886080801e-14 does not round-trip, ...802e-14 does). So
 * both neighbours are tried too; the nearest that round-trips wins. */
static int shortest_digits(double v, char *d)
{
    char tmp[48];
    unsigned long long best = 0;
    int best_exp = 0;
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        /* tmp is "D.DDDDe+XX" or "De-XX": integer mantissa m, m x 10^exp */
        unsigned long long m = 0;
        char *p = tmp;
        for (; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9') m = m * 10 + (unsigned long long)(*p - '0');
        int exp = atoi(p + 1) - (prec - 1);
        best = m;
        best_exp = exp;
        if (strtod(tmp, NULL) == v) break;
        if (prec == 17) break;      /* 17 digits always round-trip; keep the nearest */
        int found = 0;
        for (int delta = -1; delta <= 1 && !found; delta += 2) {
            unsigned long long c = m + (unsigned long long)(long long)delta;
            if (c == 0) continue;
            snprintf(tmp, sizeof tmp, "%llue%d", c, exp);
            if (strtod(tmp, NULL) == v) {
                best = c;
                found = 1;
            }
        }
        if (found) break;
    }
    char md[24];
    int n = snprintf(md, sizeof md, "%llu", best);
    int e = best_exp + n - 1;
    while (n > 1 && md[n - 1] == '0') n--;
    memcpy(d, md, (size_t)n);
    d[n] = 0;
    return e;
}

int64_t mesh_float_format(MeshFloat v, char *buf, int64_t cap)
{
    char out[400];
    int64_t n = 0;
    if (isnan(v)) {
        memcpy(out, "NaN", 3);
        n = 3;
    } else {
        if (signbit(v)) out[n++] = '-';
        double a = fabs(v);
        if (isinf(a)) {
            memcpy(out + n, "inf", 3);
            n += 3;
        } else if (a == 0) {
            out[n++] = '0';
        } else {
            char d[24];
            int e = shortest_digits(a, d);
            int nd = (int)strlen(d);
            if (e >= 0) {
                for (int i = 0; i <= e; i++) out[n++] = i < nd ? d[i] : '0';
                if (nd > e + 1) {
                    out[n++] = '.';
                    for (int i = e + 1; i < nd; i++) out[n++] = d[i];
                }
            } else {
                out[n++] = '0';
                out[n++] = '.';
                for (int i = 0; i < -e - 1; i++) out[n++] = '0';
                for (int i = 0; i < nd; i++) out[n++] = d[i];
            }
        }
    }
    if (n >= cap) n = cap - 1;
    memcpy(buf, out, (size_t)n);
    buf[n] = 0;
    return n;
}

/* The layout serde_json (through ryu) gives finite Floats, which the
 * reference's JSON output uses: with the shortest digits D (n of them) and
 * the value in [10^(p-1), 10^p): integral and p <= 16 -> D, zeros, ".0";
 * 0 < p <= 16 -> D with the point inside; -5 < p <= 0 -> "0.", -p zeros, D;
 * otherwise scientific "De<p-1>" or "D0.D1...e<p-1>" (no "+", "-" when
 * negative). Zero is "0.0" / "-0.0". */
int64_t mesh_float_format_json(MeshFloat v, char *buf, int64_t cap)
{
    char out[64];
    int64_t n = 0;
    if (signbit(v)) out[n++] = '-';
    double a = fabs(v);
    if (a == 0 || !isfinite(a)) {
        memcpy(out + n, "0.0", 3);
        n += 3;
    } else {
        char d[24];
        int p = shortest_digits(a, d) + 1;
        int nd = (int)strlen(d);
        if (nd <= p && p <= 16) {
            for (int i = 0; i < p; i++) out[n++] = i < nd ? d[i] : '0';
            out[n++] = '.';
            out[n++] = '0';
        } else if (0 < p && p <= 16) {
            for (int i = 0; i < nd; i++) {
                if (i == p) out[n++] = '.';
                out[n++] = d[i];
            }
        } else if (-5 < p && p <= 0) {
            out[n++] = '0';
            out[n++] = '.';
            for (int i = 0; i < -p; i++) out[n++] = '0';
            for (int i = 0; i < nd; i++) out[n++] = d[i];
        } else {
            out[n++] = d[0];
            if (nd > 1) {
                out[n++] = '.';
                for (int i = 1; i < nd; i++) out[n++] = d[i];
            }
            n += snprintf(out + n, sizeof out - (size_t)n, "e%d", p - 1);
        }
    }
    if (n >= cap) n = cap - 1;
    memcpy(buf, out, (size_t)n);
    buf[n] = 0;
    return n;
}

MeshString *mesh_int_to_string(MeshCtx *ctx, MeshInt v)
{
    char buf[32];
    int64_t n = mesh_int_format(v, buf, sizeof buf);
    return mesh_string_new(ctx, buf, n);
}

MeshString *mesh_float_to_string(MeshCtx *ctx, MeshFloat v)
{
    char buf[400];
    int64_t n = mesh_float_format(v, buf, sizeof buf);
    return mesh_string_new(ctx, buf, n);
}

MeshString *mesh_bool_to_string(MeshCtx *ctx, MeshBool v)
{
    return v ? mesh_string_new(ctx, "true", 4) : mesh_string_new(ctx, "false", 5);
}
