/*
 * err.h - error kinds and the caller-owned error record.
 *
 * Functions return int: 0 on success, a negative PC_E* kind on failure, a
 * positive value for a warning. The human-readable message goes into a
 * struct pc_err that the caller owns (usually on its stack); no module keeps
 * error state of its own. A NULL struct pc_err * is accepted everywhere and
 * simply drops the message.
 */
#ifndef PRECALL_ERR_H
#define PRECALL_ERR_H

enum pc_errkind {
    PC_OK = 0,
    PC_EINVAL = -1,    /* bad argument or option value (usage) */
    PC_ENOMEM = -2,    /* out of memory */
    PC_EIO = -3,       /* system call or network failure */
    PC_ETIMEDOUT = -4, /* deadline reached */
    PC_EPERM = -5,     /* not permitted (capture, device) */
    PC_EDATA = -6,     /* malformed input data (packet, profile, capture) */
    PC_ENOENT = -7,    /* input file cannot be opened */
    PC_EINTR = -8,     /* interrupted by the user */
    PC_EINTERNAL = -9  /* a bug */
};

#define PC_ERR_MSG_MAX 1024

/* A user-supplied string quoted in a message is cut to this many bytes. */
#define PC_ERR_QUOTE_MAX 60

struct pc_err {
    int code;                 /* one of enum pc_errkind */
    char msg[PC_ERR_MSG_MAX]; /* one line, no trailing newline */
};

/* Record code and a printf-style message in err (if not NULL); returns code. */
int pc_err_set(struct pc_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Put prefix in front of the message already in err ("--duration: " +
 * "'0' is out of range"). Use this instead of passing err->msg to
 * pc_err_set on the same err, whose arguments may not overlap its buffer.
 */
int pc_err_prefix(struct pc_err *err, const char *prefix);

/*
 * A user-supplied string shortened for quoting in a message: s itself when
 * it has at most PC_ERR_QUOTE_MAX bytes, else its start and "..." in buf,
 * so that a long argument never pushes the reason out of the message.
 */
#define PC_ERR_QUOTE_BUF (PC_ERR_QUOTE_MAX + 4)
const char *pc_err_quote(const char *s, char buf[PC_ERR_QUOTE_BUF]);

#endif
