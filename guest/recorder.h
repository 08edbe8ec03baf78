/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording (in the guest): btrfs made and mounted through a dm-log-writes
 * device, so the log holds every write from mkfs on, with the mark "mkfs"
 * where the file system becomes mountable.
 */
#ifndef LWFUZZ_RECORDER_H
#define LWFUZZ_RECORDER_H

#include <stddef.h>

#include "lib/workload.h"

#define RECORDER_DM_NAME "lwfuzz-log"

struct recorder {
	const char *data, *log, *mnt; /* devices and mount point */
	const struct wl_fs *fs; /* mkfs features, mount options; or NULL */
	char node[64]; /* the dm-log-writes device */
	int live, mounted;
};

/* Create the target, mkfs.btrfs through it, mark "mkfs", mount. */
int recorder_start(struct recorder *rc, char *why, size_t whylen);
/* Unmount and remove the target (which ends the log). */
int recorder_stop(struct recorder *rc, char *why, size_t whylen);

#endif
