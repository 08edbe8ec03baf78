/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A workload as a standalone fstests test (bash): the threads as shell
 * functions of xfs_io and btrfs-progs commands on $SCRATCH_MNT over
 * dm-log-writes (common/dmlogwrites), a log mark after every fsync that
 * returned, then the log replayed to every FUA write and every such mark:
 * mount (btrfs replays its log), read every file, compare each fsynced
 * file with its content when the fsync returned, unmount, btrfs check.
 */
#ifndef LWFUZZ_FSTESTS_EXPORT_H
#define LWFUZZ_FSTESTS_EXPORT_H

#include "lib/workload.h"

struct fstests_info {
	const char *name; /* the test's name, e.g. "lwfuzz-0123abcd" */
	const char *signature; /* the finding's, or NULL */
	const char *first_failure; /* "entry 1263 MARK ...", or NULL */
	int delay_ms; /* >= 0: set btrfs.dio_race_delay_ms when present */
};

/* The test script, malloc'ed; NULL with the reason in @why. */
char *fstests_script(const struct workload *w, const struct fstests_info *i,
		     char *why, size_t whylen);

/* Its golden output (NAME.out), malloc'ed. */
char *fstests_golden(const struct fstests_info *i);

#endif
