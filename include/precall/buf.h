/*
 * buf.h - a growable byte buffer that renderers write into.
 *
 * The buffer owns its bytes; pc_buf_free() releases them. Once an
 * allocation fails the buffer is marked failed and further writes do
 * nothing, so a renderer checks only once, at the end.
 */
#ifndef PRECALL_BUF_H
#define PRECALL_BUF_H

#include <stddef.h>

struct pc_buf {
    char *data; /* NUL-terminated while not failed */
    size_t len, cap;
    int failed;
};

void pc_buf_printf(struct pc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pc_buf_puts(struct pc_buf *b, const char *s);
void pc_buf_free(struct pc_buf *b);

#endif
