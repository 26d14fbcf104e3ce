/*
 * cmd_show.c - 'precall show FILE.json': a saved JSON report rendered again,
 * in any format of the renderer table, as the client saw it (the support
 * line names the precall that wrote it). With --redact the report's
 * addresses and names are replaced first. Exit status: the report's own
 * verdict (0 to 3, or 128 + the signal of an interrupted run); 65 for a
 * file that is not a report this precall reads (malformed, or a newer
 * schema), 66 for one that cannot be read.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "precall/redact.h"
#include "precall/render.h"
#include "precall/report_load.h"

int pc_cmd_show(struct pc_cli *cli)
{
    const struct pc_renderer *renderer = pc_renderer_find(cli->format);
    struct pc_render_opts ro = {cli->verbose, 0, cli->quiet, NULL};
    struct pc_saved *l = NULL;
    struct pc_redact *map = NULL;
    struct pc_buf out = {0};
    struct pc_err err = {0};
    int rc, status;

    if (cli->n_files != 1) {
        pc_cli_error("show: name one report file (try 'precall show --help')");
        return PC_EXIT_USAGE;
    }
    rc = pc_report_load_file(cli->files[0], &l, &err);
    if (rc < 0) {
        pc_cli_error("%s", err.msg);
        return pc_cli_exit_for(rc);
    }
    if (cli->redact) {
        map = pc_redact_new();
        if (map == NULL || pc_redact_report(map, l->report) < 0) {
            pc_cli_error("out of memory");
            status = PC_EXIT_INTERNAL;
            goto out;
        }
    }
    ro.version = l->version;
    ro.color = strcmp(cli->format, "text") == 0 &&
               pc_cli_use_color(cli->color, cli->output ? NULL : stdout);
    renderer->render(l->report, &ro, &out);
    status = pc_report_exit_code(l->report);
    if (out.failed) {
        pc_cli_error("out of memory while writing the report");
        status = PC_EXIT_INTERNAL;
    } else if (pc_output_write(cli->output, &out, &err) < 0) {
        pc_cli_error("%s", err.msg);
        status = PC_EXIT_IOERR;
    }
out:
    pc_buf_free(&out);
    pc_redact_free(map);
    pc_saved_free(l);
    return status;
}
