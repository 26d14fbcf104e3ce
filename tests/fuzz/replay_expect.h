/*
 * replay_expect.h - the expected outcome of a corpus file, for the replay.
 *
 * A corpus file whose name begins "ok-" must be accepted by the parser under
 * test, one beginning "bad-" refused; other names only must not crash. A
 * harness that declares outcomes defines int pc_fuzz_outcome(void): 1 when
 * its last input was accepted, 0 when refused. The replay of a harness
 * without it checks no names (the libFuzzer build never calls it).
 */
#ifndef PRECALL_REPLAY_EXPECT_H
#define PRECALL_REPLAY_EXPECT_H

/* After the harness ran on path: 0 when the outcome is as its name says, else -1 (printed). */
int replay_expect(const char *path);

#endif
