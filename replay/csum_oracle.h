/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The missing-csum check on a mounted btrfs: every REG extent of every
 * subvolume, unless its inode is NODATASUM, must be covered by the csum
 * tree (see extent_check.h for the exact rule). Needs CAP_SYS_ADMIN.
 */
#ifndef LWFUZZ_CSUM_ORACLE_H
#define LWFUZZ_CSUM_ORACLE_H

#include "lib/check_failure.h"

struct csum_oracle_stats {
	unsigned long subvols, extents, reg_extents, csum_items;
};

/*
 * Check the file system mounted at @mnt. Findings go to @sink. Returns 0
 * (whether or not there were findings) or -errno when the walk itself
 * failed (the message is in @why).
 */
int csum_oracle_check(const char *mnt, struct failure_sink *sink,
		      struct csum_oracle_stats *st, char *why, size_t whylen);

#endif
