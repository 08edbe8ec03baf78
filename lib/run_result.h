/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `lwfuzz-agent run` found over its N runs, as the host reads it
 * back: OUT/result.json, {"version": 1, "runs": N, "runs_done": M,
 * "failed": K, "delays": D, "delays_fired": F}, written by the guest once
 * the runs are over (the delay counts are summed over the runs; a result
 * without them has none). Its one owner; the host never reads the guest's output
 * text for it.
 */
#ifndef LWFUZZ_RUN_RESULT_H
#define LWFUZZ_RUN_RESULT_H

#include <stddef.h>

#define RUN_RESULT_FILE "result.json"

struct run_result {
	unsigned int runs; /* asked for */
	unsigned int runs_done; /* recorded, replayed and checked */
	unsigned int failed; /* runs in which a check failed */
	unsigned int delays; /* "delay" operations armed, over all runs */
	unsigned int delays_fired; /* ... of which the thread reached */
};

/* Note one run's verdict (0 clean, 1 a check failed). */
void run_result_add(struct run_result *r, int verdict);
/* Write @r to @path (atomically). 0 or -1 (errno). */
int run_result_write(const char *path, const struct run_result *r);
/* Read @path into @r. 0, or -1 with what is wrong in @why. */
int run_result_read(const char *path, struct run_result *r, char *why,
		    size_t whylen);

#endif
