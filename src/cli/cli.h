/*
 * cli.h - the commands of the program and the pieces they share.
 *
 * Only the CLI prints, reads argv and chooses the exit status; each
 * command returns the status for main() to exit with.
 */
#ifndef PRECALL_CLI_H
#define PRECALL_CLI_H

#include <stdatomic.h>
#include <stdio.h>

#include "cli/options.h"
#include "precall/buf.h"
#include "precall/probe.h"
#include "precall/profile.h"

#include "precall/runner.h"

int pc_cmd_check(struct pc_cli *cli);
int pc_cmd_devices(struct pc_cli *cli);
int pc_cmd_profiles(struct pc_cli *cli);
int pc_cmd_analyze(struct pc_cli *cli);
int pc_cmd_capture(struct pc_cli *cli);
int pc_cmd_show(struct pc_cli *cli);
int pc_cmd_completions(struct pc_cli *cli); /* cmd_completions.c */

/* The i-th command of main.c's table and its PC_CMD_* id, or NULL past the last. */
const char *pc_cli_command_get(size_t i, unsigned *id);

/* --csv-header: the CSV header line alone, to -o FILE or stdout (cmd_completions.c). */
int pc_cli_csv_header(const struct pc_cli *cli);

int pc_cmd_history(struct pc_cli *cli);
int pc_cmd_watch(struct pc_cli *cli);

/*
 * The history file: $XDG_STATE_HOME/precall/history.ndjson, or
 * ~/.local/state/precall/history.ndjson. -1 when neither is an absolute path.
 */
int pc_cli_history_path(char *buf, size_t cap);
/*
 * After a check is scored: note the figures worse than usual on its network
 * (advice "worse-than-usual"), then append it to the history. Unless
 * --no-history. A failure is a warning on stderr, never the check's.
 */
void pc_cli_history_record(const struct pc_cli *cli, struct pc_report *report);
/* watch: is the check starting at now_ns full (all probes)? last_full_ns < 0: none yet. */
int pc_watch_is_full(int64_t now_ns, int64_t last_full_ns);
/*
 * check, watch: the default STUN servers when none was given, and each
 * --stun checked against -4/-6; -1 after a one-line usage error.
 */
int pc_cli_check_servers(struct pc_config *cfg);

struct pc_analyzer;
/*
 * Score what the analyzer found and write the report of command
 * ("analyze", "capture") as the options say. Returns the exit status:
 * fail_status when not 0 (the input was damaged), else the verdict's.
 */
int pc_cli_analysis_report(struct pc_cli *cli, struct pc_analyzer *a, const char *command,
                           int fail_status);

/*
 * Run the probes of run (its list and mask set by the caller), score the
 * report, render it in the chosen format to standard output or -o, and
 * return the exit status. command names the report ("check", "devices");
 * covers names what its verdict covers when that is not all a call needs
 * ("Devices"), NULL for the whole check.
 */
int pc_cli_run_report(struct pc_cli *cli, struct pc_run *run, const char *command,
                      const char *covers);

/*
 * Load the profile (by deadline_ns at the latest) and start a report of
 * command with the user's --require. NULL after a one-line error, with the
 * exit status in *status.
 */
struct pc_report *pc_cli_report_new(const struct pc_cli *cli, const char *command,
                                    int64_t deadline_ns, struct pc_profile *profile, int *status);

/*
 * Render a scored report in the chosen format to -o FILE or stdout (after
 * what out already holds: a streaming format's events), and with -o on a
 * terminal the text report on the screen too. With --redact the report is
 * redacted first, in place (with cli->redactor where the run made one). Frees
 * out. Returns status, or the exit status of a failure to write.
 */
int pc_cli_write_report(const struct pc_cli *cli, struct pc_report *report, struct pc_buf *out,
                        int status);

/* "precall: MESSAGE" on stderr, one line. */
void pc_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Should text on this stream be coloured? (--color, NO_COLOR, TERM, isatty) */
int pc_cli_use_color(int choice, FILE *stream);

/*
 * Write the buffer to path, or to stdout when path is NULL or "-". A regular
 * file (new, or at the end of symbolic links) is replaced atomically: a
 * temporary file in the same folder, fsync, rename; a new one gets 0666 less
 * the umask, a replaced one keeps its mode, owner and group (a user
 * who may not give a file away keeps its group, when a member of it). A device or FIFO is written
 * through. On failure path keeps what it held, the error is in err and the
 * buffer goes to stdout instead.
 * A failed write to stdout is not returned here: pc_cli_close_stdout()
 * reports it, once, for every command.
 */
int pc_output_write(const char *path, const struct pc_buf *b, struct pc_err *err);

/* Flush stdout now (a streaming format's line); a failure is kept for pc_cli_close_stdout(). */
void pc_output_flush(void);
/* After printing to stdout with stdio (--help): keep the reason of a write that failed in it
 * (errno is still the failed write's), for pc_cli_close_stdout(). */
void pc_output_printed(void);

/*
 * Flush and close stdout at the end of main(). Returns status, or
 * PC_EXIT_IOERR with "cannot write to standard output: REASON" on stderr if
 * any write, the flush or the close of stdout failed.
 */
int pc_cli_close_stdout(int status);

/*
 * Catch SIGINT, SIGTERM and SIGHUP (SIGHUP not under nohup): each
 * stores its number in the returned flag, which the runner polls as its
 * cancel flag, so the check stops and its partial report still comes out.
 * A second signal of the same kind ends the program at once.
 */
atomic_int *pc_signals_catch(void);

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
