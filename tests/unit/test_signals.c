/*
 * test_signals.c - the stop signals in-process, where their order is
 * certain (raise() runs the handler before it returns): the first of two
 * different signals names the stop; a second of the same kind ends the
 * process by that signal, unless it follows within 100 ms (timeout(1)
 * sends its signal to the program and again to its process group); SIGHUP ignored before (nohup)
 * stays ignored, and SIGINT ignored before (a script's background job) is caught. Each case runs in
 * a child, which exits with the signal the flag holds.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli.h"

static unsigned gap_ms; /* between the signals a child raises */

/* Run the case in a child: ignore `ignored` (0: none), catch, raise each of sig[]. */
static int child(int ignored, const int *sig, size_t n)
{
    pid_t pid = fork();
    int status = 0;

    if (pid == 0) {
        atomic_int *flag;

        if (ignored != 0)
            signal(ignored, SIG_IGN);
        flag = pc_signals_catch();
        for (size_t i = 0; i < n; i++) {
            struct timespec gap = {0, (long)gap_ms * 1000000L};

            if (i > 0 && gap_ms > 0)
                nanosleep(&gap, NULL);
            raise(sig[i]);
        }
        _exit(atomic_load(flag));
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static int exited_with(int status, int code)
{
    return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static int killed_by(int status, int sig)
{
    return status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

int main(void)
{
    static const struct {
        int first, second;
    } pairs[] = {
        {SIGTERM, SIGINT}, {SIGINT, SIGTERM}, {SIGINT, SIGHUP},
        {SIGHUP, SIGINT},  {SIGTERM, SIGHUP}, {SIGHUP, SIGTERM},
    };
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};

    for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
        int one[1] = {stops[i]}, two[2] = {stops[i], stops[i]};

        /* One signal: caught, and named. */
        CHECK(exited_with(child(0, one, 1), stops[i]));
        /* The same one again, 150 ms later: the process ends by it, at once. */
        gap_ms = 150;
        CHECK(killed_by(child(0, two, 2), stops[i]));
        /* ... but at once after the first (timeout's pair): one request, the report comes. */
        gap_ms = 0;
        CHECK(exited_with(child(0, two, 2), stops[i]));
    }
    /* Two different ones: the first names the stop, the second changes nothing. */
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        int sig[2] = {pairs[i].first, pairs[i].second};
        int st = child(0, sig, 2);

        if (!exited_with(st, pairs[i].first))
            fprintf(stderr, "pair %zu: status 0x%x, expected exit %d\n", i, (unsigned)st,
                    pairs[i].first);
        CHECK(exited_with(st, pairs[i].first));
    }
    /* Under nohup SIGHUP stays ignored; an inherited ignored SIGINT is caught. */
    {
        int hup[1] = {SIGHUP}, intr[1] = {SIGINT}, hup_term[2] = {SIGHUP, SIGTERM};

        CHECK(exited_with(child(SIGHUP, hup, 1), 0));
        CHECK(exited_with(child(SIGHUP, hup_term, 2), SIGTERM));
        CHECK(exited_with(child(SIGINT, intr, 1), SIGINT));
    }
    return check_done();
}
