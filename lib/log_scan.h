/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pass over a whole log on the host before it goes to the guest: every
 * entry validated, and the size of the device it was recorded from, which
 * the log itself does not store.
 */
#ifndef LWFUZZ_LOG_SCAN_H
#define LWFUZZ_LOG_SCAN_H

#include <stddef.h>
#include <stdint.h>

struct log_scan {
	uint64_t entries;
	uint64_t max_end; /* bytes: furthest write or discard end */
	uint64_t btrfs_total_bytes; /* from the last btrfs super block write */
	int has_mkfs_mark;
};

/*
 * Validate @path entry by entry (against @device_bytes when non-zero) and
 * fill @s. Returns 0 or -1 with one line in @why.
 */
int log_scan(const char *path, uint64_t device_bytes, struct log_scan *s,
	     char *why, size_t whylen);

/* The device size to replay onto: the btrfs super block's, else max_end. */
uint64_t log_scan_device_bytes(const struct log_scan *s);

#endif
