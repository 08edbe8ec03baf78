/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-line diagnostics. Every error names what went wrong and, where it can,
 * what to do about it; progress goes to stderr so stdout stays the command's.
 */
#ifndef LWFUZZ_MSG_H
#define LWFUZZ_MSG_H

/*
 * lwfuzz's exit statuses, the table of README "Exit codes": a command
 * returns one of these (`vm` passes its guest command's status through
 * and adds vm/vm.h's VM_EXIT_*). Library calls that stand for a whole
 * command's outcome (workload_run, ...) return them too.
 */
enum lw_exit {
	EXIT_CLEAN = 0, /* nothing found; help shown; the job was done */
	EXIT_FINDING = 1, /* a check failed: a finding */
	EXIT_ERROR = 2, /* bad arguments or input, a failure, a hang */
};

/* "lwfuzz: error: ..." on stderr. */
void lw_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "lwfuzz: warning: ..." on stderr, quiet or not: something went wrong
 * that the command worked around. */
void lw_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "lwfuzz: ..." on stderr, unless quiet. */
void lw_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Silence lw_info (errors still print). */
void lw_set_quiet(int quiet);
/* Seconds since an arbitrary start, monotonic. */
double lw_now(void);

#endif
