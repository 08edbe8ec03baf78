/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a campaign does with its new findings before it ends: shrink each
 * in the campaign's own VM (no boot per trial), then record it once more
 * in a fresh VM to keep its log image, dmesg and report.
 */
#ifndef LWFUZZ_FINDING_POST_H
#define LWFUZZ_FINDING_POST_H

/*
 * Minimize the finding in @dir (workload.lw, report.json) with executions
 * on the serving guest at @sock: a trial still fails when it fails the same
 * checks. Writes minimized.lw and minimized.json. At most @max_trials
 * trials. 0 done, -1 error (said).
 */
int finding_minimize_live(const char *dir, const char *sock,
			  unsigned int max_trials);

#endif
