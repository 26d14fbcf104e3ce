/*
 * fileio.h - writing to a file descriptor whole.
 */
#ifndef PRECALL_FILEIO_H
#define PRECALL_FILEIO_H

#include <stddef.h>

/* Write all len bytes of data to fd, again after EINTR: 0, or -1 with errno set. */
int pc_write_all(int fd, const char *data, size_t len);

#endif
