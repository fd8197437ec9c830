/*
 * env.c -- Env.get and Env.args (see mesh/env.h).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

MeshObj *mesh_env_get(MeshCtx *ctx, MeshString *name)
{
    if (memchr(name->bytes, 0, name->len) || memchr(name->bytes, '=', name->len)) return mesh_option_none();
    const char *v = getenv(name->bytes);   /* Mesh strings are NUL-terminated */
    if (!v) return mesh_option_none();
    MeshString *s = mesh_string_new(ctx, v, (int64_t)strlen(v));
    return mesh_option_some(ctx, MESH_TYPE_OPTION_STRING, meshP_p2s(s));
}

/* The arguments come from /proc/self/cmdline, so the runtime's entry point
 * need not keep argv around. */
MeshObj *mesh_env_args(MeshCtx *ctx)
{
    MeshList *l = mesh_list_new(ctx, MESH_TYPE_LIST_STRING);
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return &l->hdr;
    MeshBuf b = {0};
    char chunk[4096];
    ssize_t k;
    while ((k = read(fd, chunk, sizeof chunk)) > 0) meshP_buf_put(&b, chunk, (uint64_t)k);
    close(fd);
    uint64_t start = 0;
    for (uint64_t i = 0; i < b.len; i++) {
        if (b.data[i] == 0) {
            MeshString *s = mesh_string_new(ctx, b.data + start, (int64_t)(i - start));
            l = mesh_list_append(ctx, l, meshP_p2s(s));
            start = i + 1;
        }
    }
    free(b.data);
    return &l->hdr;
}
