/*
 * capture_out.h - the -o report of a capture that root itself started.
 *
 * Such a capture gives up root for nobody once the interface is open, and
 * nobody may not write where root asked the report to go. A helper forked
 * before the drop keeps the invoking user's rights, waits for the report's
 * bytes on a pipe, and writes them to -o as 'precall' always does
 * (atomically, or to stdout with exit 74 when it cannot). It does nothing
 * else, ignores the stop signals (the capture ends it), and writes nothing
 * unless the report arrived whole. The capture owns the struct.
 */
#ifndef PRECALL_CLI_CAPTURE_OUT_H
#define PRECALL_CLI_CAPTURE_OUT_H

#include <sys/types.h>

#include "cli/cli.h"
#include "precall/capdev.h"

struct pc_outhelper {
    pid_t pid;     /* 0: none */
    int data_fd;   /* the report's bytes go here */
    int commit_fd; /* one byte here once they are all written */
};

/* Start the helper for path (dev is closed in the helper). 0, or -1 with errno. */
int pc_outhelper_start(const char *path, struct pc_capdev *dev, struct pc_outhelper *h);

/*
 * Close the pipes (committing the report when commit is set) and wait for
 * the helper: its exit status (0 written, PC_EXIT_IOERR not written, after
 * its own error line and the report on stdout).
 */
int pc_outhelper_finish(struct pc_outhelper *h, int commit);

/*
 * pc_cli_analysis_report() with the report written through the helper h
 * (NULL: as that function does).
 */
int pc_cli_analysis_report_via(struct pc_cli *cli, struct pc_analyzer *a, const char *command,
                               int fail_status, struct pc_outhelper *h);

#endif
