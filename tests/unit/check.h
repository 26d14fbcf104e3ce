/*
 * check.h - the tiny assertion kit of the unit tests.
 *
 * CHECK(cond) records one check; CHECK_NEAR(a, b, tol) compares doubles.
 * check_done() prints "N passed, N failed" and gives the exit status.
 */
#ifndef PRECALL_TEST_CHECK_H
#define PRECALL_TEST_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            check_passed++;                                                                        \
        } else {                                                                                   \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double check_a_ = (a), check_b_ = (b);                                                     \
        if (fabs(check_a_ - check_b_) <= (tol)) {                                                  \
            check_passed++;                                                                        \
        } else {                                                                                   \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: %s = %.6g, expected %.6g (+-%g)\n", __FILE__, __LINE__, #a,    \
                    check_a_, check_b_, (double)(tol));                                            \
        }                                                                                          \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif
