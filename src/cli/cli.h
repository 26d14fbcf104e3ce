/*
 * cli.h - the commands of the program and the pieces they share.
 *
 * Only the CLI prints, reads argv and chooses the exit status; each
 * command returns the status for main() to exit with.
 */
#ifndef PRECALL_CLI_H
#define PRECALL_CLI_H

#include <stdio.h>

#include "cli/options.h"
#include "precall/buf.h"
#include "precall/probe.h"

int pc_cmd_check(struct pc_cli *cli);
int pc_cmd_profiles(struct pc_cli *cli);

/* "precall: MESSAGE" on stderr, one line. */
void pc_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Should text on this stream be coloured? (--color, NO_COLOR, TERM, isatty) */
int pc_cli_use_color(int choice, FILE *stream);

/*
 * Write the buffer to path atomically (temporary file in the same folder,
 * then rename), or to stdout when path is NULL. On failure nothing is left
 * at path, the error is in err and the buffer goes to stdout instead.
 */
int pc_output_write(const char *path, const struct pc_buf *b, struct pc_err *err);

/* The progress display on stderr: one updating line, drawn from the run's events. */
struct pc_progress {
    int enabled, dumb;
    long long start_ns;
    char activity[64];
    char figure[64];
};

void pc_progress_init(struct pc_progress *p, int enabled);
void pc_progress_event(struct pc_progress *p, const struct pc_event *ev);
void pc_progress_end(struct pc_progress *p);

#endif
