/*
 * file.c -- File.read / write / append / exists / delete (see mesh/file.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* A NUL-terminated copy of a Mesh string (paths); NULL if it contains a NUL byte. */
static char *cpath(const MeshString *s)
{
    if (memchr(s->bytes, 0, s->len)) return NULL;
    char *p = malloc(s->len + 1);
    memcpy(p, s->bytes, s->len);
    p[s->len] = 0;
    return p;
}

static MeshObj *err(MeshCtx *ctx, MeshTypeId rt, const MeshString *path, const char *why)
{
    MeshBuf b = {0};
    meshP_buf_put(&b, path->bytes, path->len);
    meshP_buf_puts(&b, ": ");
    meshP_buf_puts(&b, why);
    MeshString *m = meshP_buf_finish(ctx, &b);
    return mesh_result_err(ctx, rt, meshP_p2s(m));
}

static int valid_utf8(const unsigned char *p, uint64_t n)
{
    uint64_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) { i++; continue; }
        int k;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) { k = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 4; cp = c & 0x07; }
        else return 0;
        if (n - i < (uint64_t)k) return 0;
        for (int j = 1; j < k; j++) {
            if ((p[i + j] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += (uint64_t)k;
    }
    return 1;
}

MeshObj *mesh_file_read(MeshCtx *ctx, MeshString *path)
{
    const MeshTypeId rt = MESH_TYPE_RESULT_STRING_STRING;
    char *p = cpath(path);
    if (!p) return err(ctx, rt, path, "path contains a NUL byte");
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    free(p);
    if (fd < 0) return err(ctx, rt, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return err(ctx, rt, path, "Is a directory");
    }
    MeshBuf b = {0};
    char chunk[65536];
    for (;;) {
        ssize_t k = read(fd, chunk, sizeof chunk);
        if (k < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            free(b.data);
            return err(ctx, rt, path, strerror(e));
        }
        if (k == 0) break;
        meshP_buf_put(&b, chunk, (uint64_t)k);
    }
    close(fd);
    if (!valid_utf8((const unsigned char *)b.data, b.len)) {
        free(b.data);
        return err(ctx, rt, path, "contents are not valid UTF-8");
    }
    MeshString *s = meshP_buf_finish(ctx, &b);
    return mesh_result_ok(ctx, rt, meshP_p2s(s));
}

static MeshObj *write_mode(MeshCtx *ctx, MeshString *path, MeshString *contents, int flags)
{
    const MeshTypeId rt = MESH_TYPE_RESULT_UNIT_STRING;
    char *p = cpath(path);
    if (!p) return err(ctx, rt, path, "path contains a NUL byte");
    int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0666);
    free(p);
    if (fd < 0) return err(ctx, rt, path, strerror(errno));
    uint64_t off = 0;
    while (off < contents->len) {
        ssize_t k = write(fd, contents->bytes + off, contents->len - off);
        if (k < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            return err(ctx, rt, path, strerror(e));
        }
        off += (uint64_t)k;
    }
    if (close(fd) != 0) return err(ctx, rt, path, strerror(errno));
    return mesh_result_ok(ctx, rt, 0);
}

MeshObj *mesh_file_write(MeshCtx *ctx, MeshString *path, MeshString *contents)
{
    return write_mode(ctx, path, contents, O_TRUNC);
}

MeshObj *mesh_file_append(MeshCtx *ctx, MeshString *path, MeshString *contents)
{
    return write_mode(ctx, path, contents, O_APPEND);
}

MeshObj *mesh_file_delete(MeshCtx *ctx, MeshString *path)
{
    const MeshTypeId rt = MESH_TYPE_RESULT_UNIT_STRING;
    char *p = cpath(path);
    if (!p) return err(ctx, rt, path, "path contains a NUL byte");
    int r = unlink(p);
    int e = errno;
    free(p);
    if (r != 0) return err(ctx, rt, path, strerror(e));
    return mesh_result_ok(ctx, rt, 0);
}

MeshBool mesh_file_exists(MeshCtx *ctx, MeshString *path)
{
    MESH_UNUSED(ctx);
    char *p = cpath(path);
    if (!p) return 0;
    int r = access(p, F_OK);
    free(p);
    return r == 0;
}
