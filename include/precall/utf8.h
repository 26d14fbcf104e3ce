/*
 * utf8.h - text from outside made safe to print and to put in JSON.
 *
 * Host names, profile names and error texts can carry any bytes. Before
 * such text enters the report it is made valid UTF-8 without control
 * characters, so that neither the JSON (which must be UTF-8) nor a
 * terminal (which obeys escape sequences) can be misled by it.
 */
#ifndef PRECALL_UTF8_H
#define PRECALL_UTF8_H

#include <stddef.h>

/*
 * In place: every byte of an invalid or truncated UTF-8 sequence, every
 * C0 control character (tab and newline too), DEL, every C1 control
 * (U+0080 to U+009F) and every byte of a bidirectional formatting character
 * (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) becomes '?'.
 * Returns how many bytes were replaced.
 */
size_t pc_utf8_sanitize(char *s);

#endif
