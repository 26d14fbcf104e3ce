/*
 * main.c - the command table of precall: pick the command, parse its
 * options from the option table, run it, exit with its status.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

static const struct {
    const char *name;
    unsigned id;
    int (*run)(struct pc_cli *cli);
    int operands; /* takes file operands; 2: operands the command checks itself */
} commands[] = {
    {"check", PC_CMD_CHECK, pc_cmd_check, 0},
    {"devices", PC_CMD_DEVICES, pc_cmd_devices, 0},
    {"profiles", PC_CMD_PROFILES, pc_cmd_profiles, 0},
    {"analyze", PC_CMD_ANALYZE, pc_cmd_analyze, 1},
    {"capture", PC_CMD_CAPTURE, pc_cmd_capture, 0},
    {"show", PC_CMD_SHOW, pc_cmd_show, 1},
    {"completions", PC_CMD_SHELL, pc_cmd_completions, 2},
    {"history", PC_CMD_HISTORY, pc_cmd_history, 0},
    {"watch", PC_CMD_WATCH, pc_cmd_watch, 0},
};

const char *pc_cli_command_get(size_t i, unsigned *id)
{
    if (i >= sizeof(commands) / sizeof(commands[0]))
        return NULL;
    *id = commands[i].id;
    return commands[i].name;
}

static int run(int argc, char **argv)
{
    size_t c = 0;
    int shift = 0, help, version, first, rc;
    struct pc_cli cli;
    struct pc_err err = {0};
    char q[PC_ERR_QUOTE_BUF];

    if (argc > 1 && argv[1][0] != '-') {
        for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
            if (strcmp(argv[1], commands[c].name) == 0)
                break;
        if (c == sizeof(commands) / sizeof(commands[0])) {
            pc_cli_error("unknown command '%s' (try 'precall --help')", pc_err_quote(argv[1], q));
            return PC_EXIT_USAGE;
        }
        shift = 1;
    }
    rc = pc_cli_parse(argc - shift, argv + shift, commands[c].id, &cli, &help, &version, &first,
                      &err);
    if (rc < 0) {
        pc_cli_error("%s (try 'precall %s%s--help')", err.msg, shift ? argv[1] : "",
                     shift ? " " : "");
        return pc_cli_exit_for(rc); /* 64, or 66/65 for a --cacert file */
    }
    if (help) {
        errno = 0;
        pc_cli_help(stdout, commands[c].id);
        pc_output_printed();
        return PC_EXIT_READY;
    }
    if (version) {
        errno = 0;
        printf("precall %s\n", PRECALL_VERSION);
        pc_output_printed();
        return PC_EXIT_READY;
    }
    if (cli.csv_header)
        return pc_cli_csv_header(&cli);
    if (commands[c].operands) {
        cli.files = argv + shift + first;
        cli.n_files = argc - shift - first;
        if (cli.n_files == 0 && commands[c].operands == 1) {
            pc_cli_error("%s: name at least one capture file (try 'precall %s --help')",
                         commands[c].name, commands[c].name);
            return PC_EXIT_USAGE;
        }
    } else if (first < argc - shift) {
        pc_cli_error("unexpected argument '%s' (try 'precall --help')",
                     pc_err_quote(argv[first + shift], q));
        return PC_EXIT_USAGE;
    }
    return commands[c].run(&cli);
}

/*
 * Standard streams a caller closed ('>&-') are held by /dev/null opened
 * read-only: no file precall opens (a report's temporary file) can take
 * their number and receive what was meant for stdout, and a write to them
 * still fails (EBADF), so a report that needed stdout is still exit 74.
 */
static void hold_closed_streams(void)
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int got = open("/dev/null", O_RDONLY | O_NOCTTY);

        if (got >= 0 && got != fd) { /* a lower one was closed too and took it */
            dup2(got, fd);
            close(got);
        }
    }
}

int main(int argc, char **argv)
{
    hold_closed_streams();
    /*
     * A reader that went away ('precall | head -0') is a failed write to
     * stdout like any other: EPIPE, then exit 74 from pc_cli_close_stdout(),
     * as the man page says, not death by SIGPIPE (141).
     */
    signal(SIGPIPE, SIG_IGN);
    /* Every command's output ends here: a failed write to stdout is exit 74. */
    return pc_cli_close_stdout(run(argc, argv));
}
