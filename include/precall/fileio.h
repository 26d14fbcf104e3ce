/*
 * fileio.h - writing files whole: to a file descriptor, and replacing a
 * file atomically.
 */
#ifndef PRECALL_FILEIO_H
#define PRECALL_FILEIO_H

#include <stddef.h>
#include <sys/stat.h>

/* Write all len bytes of data to fd, again after EINTR: 0, or -1 with errno set. */
int pc_write_all(int fd, const char *data, size_t len);

/*
 * Replace (or create) the regular file path with the len bytes of data: a
 * temporary file in the same folder ("PATH.tmp.XXXXXX"), given mode, written,
 * synced and renamed over path, so that path holds either the old contents or
 * the whole new ones. owner: NULL, or the file replaced, whose owner and
 * group the new one keeps where permitted. 0, or -1 with errno set and the
 * temporary file removed.
 */
int pc_file_replace(const char *path, const char *data, size_t len, mode_t mode,
                    const struct stat *owner);

#endif
