/*
 * push.h - --push: the report's OpenMetrics text sent to a Prometheus
 * Pushgateway, for fleets whose monitoring already runs one.
 *
 * The metrics go by HTTP PUT to URL/metrics/job/precall/instance/ID, which
 * replaces the group's metrics of the previous check of that instance. ID
 * is --push-instance or the host name; a value with anything but letters,
 * digits, '.', '_' and '-' goes base64url-encoded (instance@base64/...), as
 * the Pushgateway's API allows. TLS is verified as the speed test does,
 * with --cacert's authorities when given; the whole push is bounded in
 * time. Errors are one line in a caller-owned struct pc_err; only
 * pc_cli_push() prints.
 */
#ifndef PRECALL_CLI_PUSH_H
#define PRECALL_CLI_PUSH_H

#include "cli/options.h"
#include "precall/err.h"
#include "precall/report.h"

#define PC_PUSH_TIMEOUT_MS         10000L /* the whole push, connection included */
#define PC_PUSH_CONNECT_TIMEOUT_MS 5000L
#define PC_PUSH_INSTANCE_MAX       253 /* a host name's length at most */

/*
 * Is url usable as --push: http or https, a host, no query or fragment?
 * PC_EINVAL with the reason in err (the URL is never repeated: it may hold a
 * password).
 */
int pc_push_check_url(const char *url, struct pc_err *err);

/*
 * The Pushgateway path of a job's instance appended to url (a trailing '/'
 * of url dropped): "URL/metrics/job/JOB/instance/ID" or
 * ".../instance@base64/B64URL". Returns 0, or PC_EINVAL when it does not
 * fit in cap bytes.
 */
int pc_push_target(const char *url, const char *job, const char *instance, char *out, size_t cap,
                   struct pc_err *err);

/*
 * Send body (OpenMetrics text) to the Pushgateway at url for the given
 * instance. cacert: the authorities to trust, NULL for the system's.
 * PC_EIO with a one-line reason in err when it did not arrive (no answer,
 * TLS, an HTTP status other than 2xx).
 */
int pc_push_send(const char *url, const char *instance, const char *cacert, const char *body,
                 size_t len, struct pc_err *err);

/*
 * With --push: render the report as OpenMetrics and send it, after the
 * report was written. Returns status, or PC_EXIT_IOERR after a one-line
 * error on stderr when the push failed.
 */
int pc_cli_push(const struct pc_cli *cli, const struct pc_report *r, int status);

#endif
