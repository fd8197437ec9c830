/*
 * io.c -- console I/O (prefix mesh_io_).
 *
 * stdout is a process-wide buffer guarded by a mutex: println appends its
 * whole line at once (so lines from concurrent processes never interleave)
 * and the buffer is written when it passes 64 KiB, when stdin is read, at
 * panic and at exit. stderr is written directly, one write per call.
 * Standard input: see mesh_io_read_line.
 */
#include <errno.h>
#include <poll.h>
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

/* ------------------------------------------------------------ standard input
 *
 * Input is read in chunks into a process-wide buffer (under in_lock) and
 * handed out a line at a time. When no input is ready, the blocking reads run
 * on the blocking pool (pool.c): the process waits like a receive and its
 * worker runs the others meanwhile. The pool thread only fills the buffer;
 * the process cuts its line out (into its own heap) once it is resumed. */

#define IN_CHUNK 65536

static pthread_mutex_t in_lock = PTHREAD_MUTEX_INITIALIZER;
static char *in_buf;
static size_t in_pos, in_len, in_cap;
static int in_eof;                       /* the last read returned end of input (or failed) */

/* Under in_lock: a complete line (or end of input) is buffered. */
static int line_ready(void)
{
    return in_eof || memchr(in_buf + in_pos, '\n', in_len - in_pos) != NULL;
}

/* Under in_lock: read once more (blocks when nothing is ready). */
static void fill(void)
{
    if (in_pos == in_len) in_pos = in_len = 0;
    if (in_cap - in_len < IN_CHUNK / 2) {
        if (in_pos) {                    /* slide the unread rest to the front first */
            memmove(in_buf, in_buf + in_pos, in_len - in_pos);
            in_len -= in_pos;
            in_pos = 0;
        }
        if (in_cap - in_len < IN_CHUNK / 2) {
            size_t ncap = in_cap ? in_cap * 2 : IN_CHUNK;
            char *nb = realloc(in_buf, ncap);
            if (!nb) meshP_fatal("out of memory");
            in_buf = nb;
            in_cap = ncap;
        }
    }
    ssize_t k;
    while ((k = read(0, in_buf + in_len, in_cap - in_len)) < 0 && errno == EINTR) {
    }
    if (k <= 0) in_eof = 1;
    else in_len += (size_t)k;
}

/* A pool job: read until a line is buffered. */
static void fill_line(void *unused)
{
    MESH_UNUSED(unused);
    pthread_mutex_lock(&in_lock);
    while (!line_ready()) fill();
    pthread_mutex_unlock(&in_lock);
}

static int stdin_ready(void)
{
    struct pollfd pfd = {.fd = 0, .events = POLLIN};
    return poll(&pfd, 1, 0) > 0;         /* readable, hung up or invalid: read returns at once */
}

MeshObj *mesh_io_read_line(MeshCtx *ctx)
{
    meshP_io_flush_all();
    for (;;) {
        /* another process's pool job may hold the lock while it blocks in read */
        if (pthread_mutex_trylock(&in_lock) == 0) {
            while (!line_ready() && stdin_ready()) fill();
            if (line_ready()) break;     /* with the lock held */
            pthread_mutex_unlock(&in_lock);
        }
        meshP_pool_run(ctx, fill_line, NULL, NULL);
    }
    char *start = in_buf + in_pos;
    char *nl = memchr(start, '\n', in_len - in_pos);
    size_t n = nl ? (size_t)(nl - start) : in_len - in_pos;
    if (!nl && n == 0) {
        in_eof = 0;                      /* reported once; a terminal may give more later */
        pthread_mutex_unlock(&in_lock);
        MeshString *e = meshP_str_lit(ctx, "end of input");
        return mesh_result_err(ctx, MESH_TYPE_RESULT_STRING_STRING, meshP_p2s(e));
    }
    in_pos += n + (nl != NULL);
    size_t len = n && start[n - 1] == '\r' ? n - 1 : n;
    /* the allocation may collect: the buffer is malloc'd, not in the heap */
    MeshString *s = mesh_string_new(ctx, start, (int64_t)len);
    pthread_mutex_unlock(&in_lock);
    return mesh_result_ok(ctx, MESH_TYPE_RESULT_STRING_STRING, meshP_p2s(s));
}
