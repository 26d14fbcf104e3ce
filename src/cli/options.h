/*
 * options.h - the option table of the command line.
 *
 * One table feeds getopt_long, --help and the man page test: an option
 * exists exactly when it has a row here. Values are parsed by the helpers
 * below, with ranges and units; no atoi.
 */
#ifndef PRECALL_CLI_OPTIONS_H
#define PRECALL_CLI_OPTIONS_H

#include <stdio.h>

#include "precall/err.h"
#include "precall/probe.h"

/* Exit status of the program (sysexits.h numbers for the errors). */
enum pc_exit {
    PC_EXIT_READY = 0,
    PC_EXIT_DEGRADED = 1,
    PC_EXIT_NOT_READY = 2,
    PC_EXIT_NO_VERDICT = 3, /* nothing to judge: no media in a capture, a broken server */
    PC_EXIT_USAGE = 64,
    PC_EXIT_DATA = 65,
    PC_EXIT_NOINPUT = 66,
    PC_EXIT_INTERNAL = 70,
    PC_EXIT_NOPERM = 77, /* capture without the permission to */
    PC_EXIT_IOERR = 74,
    PC_EXIT_HANGUP = 129,      /* 128 + SIGHUP */
    PC_EXIT_INTERRUPTED = 130, /* 128 + SIGINT */
    PC_EXIT_TERMINATED = 143   /* 128 + SIGTERM */
};

/* The exit status for an error kind from the core. */
int pc_cli_exit_for(int errkind);

/* Which commands take an option. */
#define PC_CMD_CHECK    1u
#define PC_CMD_PROFILES 2u
#define PC_CMD_ANALYZE  4u
#define PC_CMD_CAPTURE  8u
#define PC_CMD_DEVICES  16u
#define PC_CMD_SHOW     32u /* show: a saved report rendered again */
#define PC_CMD_SHELL    64u /* precall completions SHELL: options --help only */
#define PC_CMD_HISTORY  128u
#define PC_CMD_WATCH    256u /* watch: check's probe options and its own; it writes NDJSON only */
#define PC_CMD_CAPS     (PC_CMD_ANALYZE | PC_CMD_CAPTURE)
#define PC_CMD_RUNS     (PC_CMD_CHECK | PC_CMD_DEVICES) /* commands that run probes */
#define PC_CMD_REPORTS  (PC_CMD_RUNS | PC_CMD_CAPS)     /* the commands that write a report */
#define PC_CMD_ALL      (PC_CMD_CHECK | PC_CMD_PROFILES | PC_CMD_CAPS | PC_CMD_DEVICES | PC_CMD_HISTORY)

enum pc_optid {
    OPT_HELP = 'h',
    OPT_VERSION = 'V',
    OPT_PROFILE = 'p',
    OPT_FORMAT = 'f',
    OPT_OUTPUT = 'o',
    OPT_QUIET = 'q',
    OPT_VERBOSE = 'v',
    OPT_IPV4 = '4',
    OPT_IPV6 = '6',
    OPT_INTERFACE = 'i',
    OPT_WRITE = 'w',
    OPT_REQUIRE = 256,
    OPT_STUN,
    OPT_DURATION,
    OPT_TIMEOUT,
    OPT_ONLY,
    OPT_SKIP,
    OPT_JSON,
    OPT_COLOR,
    OPT_NO_PROGRESS,
    OPT_CLOCK_RATE,
    OPT_SERVER,
    OPT_CACERT,
    OPT_REDACT,
    OPT_CSV_HEADER,
    OPT_PUSH,
    OPT_PUSH_INSTANCE,
    OPT_NO_HISTORY,
    OPT_EVERY,
    OPT_UNTIL,
    OPT_COUNT,
    OPT_TURN,
    OPT_TURN_CREDENTIALS,
    OPT_TURN_SECRET_FILE,
    OPT_CSV
};

struct pc_option {
    const char *name;  /* long name without "--" */
    int id;            /* enum pc_optid; a printable id is also the short option */
    const char *arg;   /* argument name for help, NULL for a flag */
    unsigned commands; /* PC_CMD_* that accept it */
    const char *help;
};

const struct pc_option *pc_option_get(size_t i); /* NULL past the end */

struct pc_redact;

/* Everything the command line decided. */
struct pc_cli {
    unsigned command;
    struct pc_config cfg;
    const char *profile;
    int require;
    const char *only, *skip;             /* NULL, or the lists below */
    char only_list[256], skip_list[256]; /* repeated --only/--skip add up */
    const char *format;
    const char *output;
    int quiet, verbose;
    int color; /* -1 auto, 0 never, 1 always */
    int progress;
    unsigned clock_hz[128]; /* --clock-rate PT=HZ */
    const char *interface;  /* capture -i */
    const char *write;      /* capture -w */
    char **files;           /* analyze: the operands */
    int n_files;
    int64_t asked_ns;           /* check: the --duration given, when the budget had to be shorter */
    int redact;                 /* --redact: pseudonyms for addresses and names */
    struct pc_redact *redactor; /* with --redact during a run: the one map of its events and
                                   its report, so that an address has one pseudonym in both */
    int csv_header;             /* --csv-header: print the CSV header alone */
    const char *push;           /* --push URL: the Pushgateway, NULL for none */
    const char *push_instance;  /* --push-instance ID, NULL: the host name */
    int no_history;             /* check, watch: do not read or append the history */
    int64_t watch_every_ns;     /* watch: from one check's start to the next's */
    long long watch_until;      /* watch: no check starts at or after this time (time_t), 0 none */
    long watch_count;           /* watch: stop after this many checks, 0 no limit */
    char turn_user[256], turn_password[256]; /* --turn-credentials FILE: never printed */
    char turn_secret[256];                   /* --turn-secret-file FILE: never printed */
};

/*
 * --until HH:MM (local time) as the next such moment after now (a time_t):
 * today, or tomorrow when it has passed. PC_EINVAL for anything else.
 */
int pc_cli_parse_until(const char *s, long long now, long long *out, struct pc_err *err);

/*
 * Parse options for command (argv[0] is the command name or the program).
 * PC_EINVAL with a one-line message in err for a usage error.
 */
int pc_cli_parse(int argc, char **argv, unsigned command, struct pc_cli *cli, int *help,
                 int *version, int *first_operand, struct pc_err *err);

/* "10", "10s", "1.5s", "500ms", "2m" -> nanoseconds within [min_ns, max_ns]. */
int pc_cli_parse_duration(const char *s, int64_t min_ns, int64_t max_ns, int64_t *out,
                          struct pc_err *err);

/*
 * The time plan (plan.c). The budget the probes share: --duration, or less
 * when that does not fit before --timeout, which keeps a tenth (at most
 * 10 s) for what runs past the plan.
 */
int64_t pc_plan_budget(int64_t duration_ns, int64_t timeout_ns);
/* The smallest --timeout whose budget is budget_ns, to a tenth of a second. */
int64_t pc_plan_timeout_for(int64_t budget_ns);
/*
 * The smallest budget, to a tenth of a second, in which every selected
 * probe gets its shortest useful window; 0 when any will do. *probe and
 * *what name the probe that needs it and what for.
 */
int64_t pc_plan_min_budget(const struct pc_probe *const *probes, size_t n, unsigned mask,
                           const char **probe, const char **what);

/* --help text for a command, generated from the table. */
void pc_cli_help(FILE *out, unsigned command);

#endif
