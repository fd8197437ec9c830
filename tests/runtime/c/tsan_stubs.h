/* tsan_stubs.h -- what the ThreadSanitizer programs (tsan_*.c) need from proc.c,
 * which they do not link: they drive single runtime files from plain threads. */
#ifndef MESH_TSAN_STUBS_H
#define MESH_TSAN_STUBS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void meshP_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}

#endif
