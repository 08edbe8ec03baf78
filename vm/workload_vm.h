/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a workload in a VM on the host side: what `lwfuzz run`,
 * `lwfuzz repro` and `lwfuzz bisect` share.
 */
#ifndef LWFUZZ_WORKLOAD_RUN_H
#define LWFUZZ_WORKLOAD_RUN_H

#include "setup/layout.h"
#include "lib/workload.h"

struct wl_run_params {
	const char *variant; /* a variant's cache name (may be "series-N") */
	unsigned int runs, op_timeout;
	int delay_ms; /* -1: leave dio_race_delay_ms alone */
	int fsck;
	int no_cov; /* leave btrfs coverage off (its cost, scripts/bench-coverage.sh) */
	int no_share; /* a mount per crash state (the cost it saves, make bench) */
	int no_template; /* mkfs every run (the cost templates save) */
	int quiet; /* keep the guest's output in DIR/output.txt only */
};

/*
 * The four sparse disks of a run in @work: data, log, target (poisoned),
 * cow. @paths get malloc'ed names. 0 or -1 (printed).
 */
int workload_disks(const char *work, char *paths[4]);

/*
 * Run @w p->runs times in one VM; artifacts go to @outdir (created).
 * Returns 0 clean, 1 a check failed, 2 error; *@found (when not NULL) is
 * the number of runs in which a check failed.
 */
int workload_run(const struct layout *l, const struct wl_run_params *p,
		 const struct workload *w, const char *outdir,
		 unsigned int *found);

#endif
