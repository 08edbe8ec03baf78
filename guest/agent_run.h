/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `lwfuzz-agent run` (in the guest): N times record a workload on a fresh
 * btrfs over dm-log-writes, then replay and check every crash state of the
 * log. One VM serves all N runs.
 */
#ifndef LWFUZZ_RUN_LOOP_H
#define LWFUZZ_RUN_LOOP_H

/* 0 clean in every run, 1 a check failed in some run, 2 error or hang. */
int agent_run(int argc, char **argv);

#endif
