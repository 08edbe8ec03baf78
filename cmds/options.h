/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options several commands take, parsed in one place: one set of
 * bounds and one error message each, so `-d -5` reads the same to `run`
 * as to `fuzz`. Every parser takes the command's name (for the message),
 * the option's text and where to store the value; it returns 0, or -1
 * after printing one line:
 *
 *   lwfuzz: error: WHAT, in 'lwfuzz CMD'; WHAT TO DO
 *
 * A command's getopt_long() loop starts with opt_begin() and passes
 * anything getopt does not know to opt_bad_option(); its optstring starts
 * with ':' ("+:" to stop at the first operand), so that getopt says
 * nothing itself and a missing value is told from an unknown option.
 */
#ifndef LWFUZZ_OPTIONS_H
#define LWFUZZ_OPTIONS_H

#include "lib/msg.h"

#define OPT_DELAY_MS_MAX 10000
#define OPT_RUNS_MAX 1000
#define OPT_OP_TIMEOUT_MAX 3600
#define OPT_TIMEOUT_MAX 86400
#define OPT_TIME_MAX (30 * 86400)

/* Before a command's getopt_long() loop: from argv[1], getopt silent. */
void opt_begin(void);

/* getopt_long() returned '?' or ':' (@c): name the option; returns -1. */
int opt_bad_option(const char *cmd, char **argv, int c);
/* Anything else wrong with the command line: "@fmt, in ...; see --help". */
int opt_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A repeatable option given more than @max times. */
int opt_too_many(const char *cmd, const char *opt, unsigned int max);

/*
 * -k/--kernel V: a variant of kmod-patch/variants, or the "series-N" of a
 * prefix `lwfuzz bisect` built (setup/variants.h: variant_lookup()).
 * Stores @arg itself.
 */
int opt_kernel(const char *cmd, const char *arg, const char **variant);
/* -d/--delay-ms N: btrfs.dio_race_delay_ms, 0..OPT_DELAY_MS_MAX. */
int opt_delay_ms(const char *cmd, const char *arg, int *ms);
/* -n/--runs N: 1..OPT_RUNS_MAX. */
int opt_runs(const char *cmd, const char *arg, unsigned int *runs);
/* -T/--op-timeout S: a workload's time before it hangs, 1..OPT_OP_TIMEOUT_MAX. */
int opt_op_timeout(const char *cmd, const char *arg, unsigned int *s);
/* -t/--timeout S: a VM's whole time, 1..OPT_TIMEOUT_MAX. */
int opt_timeout(const char *cmd, const char *arg, unsigned int *s);
/* --time D: 90, 90s, 10m, 1h; up to OPT_TIME_MAX seconds. */
int opt_time(const char *cmd, const char *arg, unsigned int *s);
/* --device-size BYTES: more than 0. */
int opt_device_size(const char *cmd, const char *arg,
		    unsigned long long *bytes);
/*
 * A command's own number: @min..@max of @unit ("megabytes"), in the same
 * words as the parsers above.
 */
int opt_uint(const char *cmd, const char *opt, const char *arg,
	     unsigned int min, unsigned int max, const char *unit,
	     unsigned int *out);

/*
 * The FINDING|WORKLOAD operand of repro, minimize, bisect and
 * export-fstests: a finding's directory stands for its workload.lw.
 * Returns the workload's path (malloc'ed); *@is_dir (may be NULL) says
 * whether @operand was a directory.
 */
char *opt_workload_of(const char *operand, int *is_dir);

/*
 * Print a command's --help text to stdout, with "{variants}" replaced by
 * the variants of kmod-patch/variants ("stock, buggy, fixed, logfix").
 */
void opt_help(const char *usage);

#endif
