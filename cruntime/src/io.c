/*
 * io.c -- console I/O (prefix mesh_io_).
 *
 * stdout is a process-wide buffer guarded by a mutex: println appends its
 * whole line at once (so lines from concurrent processes never interleave)
 * and the buffer is written when it passes 64 KiB, when stdin is read, at
 * panic and at exit. stderr is written directly, one write per call.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static char *out_buf;
static size_t out_len, out_cap;

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k <= 0) return;
        p += k;
        n -= (size_t)k;
    }
}

static void flush_locked(void)
{
    if (out_len) write_all(1, out_buf, out_len);
    out_len = 0;
}

void meshP_io_flush_all(void)
{
    pthread_mutex_lock(&out_lock);
    flush_locked();
    pthread_mutex_unlock(&out_lock);
}

/* From a signal handler: flush only if no one holds the lock. */
void meshP_io_flush_try(void)
{
    if (pthread_mutex_trylock(&out_lock) != 0) return;
    flush_locked();
    pthread_mutex_unlock(&out_lock);
}

static void out(const char *a, size_t an, const char *b, size_t bn)
{
    pthread_mutex_lock(&out_lock);
    if (out_len + an + bn > out_cap) {
        size_t ncap = out_cap ? out_cap : 65536;
        while (ncap < out_len + an + bn) ncap *= 2;
        char *nb = realloc(out_buf, ncap);
        if (!nb) {
            pthread_mutex_unlock(&out_lock);
            meshP_fatal("out of memory");
        }
        out_buf = nb;
        out_cap = ncap;
    }
    memcpy(out_buf + out_len, a, an);
    if (bn) memcpy(out_buf + out_len + an, b, bn);
    out_len += an + bn;
    if (out_len >= 65536) flush_locked();
    pthread_mutex_unlock(&out_lock);
}

void mesh_io_println(MeshCtx *ctx, MeshString *s)
{
    MESH_UNUSED(ctx);
    out(s->bytes, s->len, "\n", 1);
}

void mesh_io_print(MeshCtx *ctx, MeshString *s)
{
    MESH_UNUSED(ctx);
    out(s->bytes, s->len, NULL, 0);
}

void mesh_io_eprintln(MeshCtx *ctx, MeshString *s)
{
    MESH_UNUSED(ctx);
    char *tmp = malloc(s->len + 1);
    if (!tmp) meshP_fatal("out of memory");
    memcpy(tmp, s->bytes, s->len);
    tmp[s->len] = '\n';
    write_all(2, tmp, s->len + 1);
    free(tmp);
}

void mesh_io_eprint(MeshCtx *ctx, MeshString *s)
{
    MESH_UNUSED(ctx);
    write_all(2, s->bytes, s->len);
}

void mesh_io_flush(MeshCtx *ctx)
{
    MESH_UNUSED(ctx);
    meshP_io_flush_all();
}

MeshObj *mesh_io_read_line(MeshCtx *ctx)
{
    meshP_io_flush_all();
    MeshBuf b = {0};
    int any = 0;
    for (;;) {
        char c;
        ssize_t k = read(0, &c, 1);
        if (k <= 0) break;
        any = 1;
        if (c == '\n') break;
        meshP_buf_putc(&b, c);
    }
    if (!any) {
        free(b.data);
        MeshString *e = meshP_str_lit(ctx, "end of input");
        return mesh_result_err(ctx, MESH_TYPE_RESULT_STRING_STRING, meshP_p2s(e));
    }
    if (b.len && b.data[b.len - 1] == '\r') b.len--;
    MeshString *s = meshP_buf_finish(ctx, &b);
    return mesh_result_ok(ctx, MESH_TYPE_RESULT_STRING_STRING, meshP_p2s(s));
}
