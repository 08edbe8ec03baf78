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

struct fs_template;

struct recorder {
	const char *data, *log, *mnt; /* devices and mount point */
	const struct wl_fs *fs; /* mkfs features, mount options; or NULL */
	/* Made with these mkfs arguments before (guest/fs_template.h). */
	const struct fs_template *tpl;
	char node[64]; /* the dm-log-writes device */
	int live, mounted;
};

/*
 * The mkfs arguments @fs asks for, as one string: a template's key.
 * @fs may be NULL (the defaults: "").
 */
void recorder_mkfs_key(const struct wl_fs *fs, char *key, size_t len);

/*
 * Create the target, mkfs.btrfs through it, mark "mkfs", mount. With
 * @rc->tpl: the template written onto the data device instead, the target
 * created after it (the log starts with the mount), then mounted.
 */
int recorder_start(struct recorder *rc, char *why, size_t whylen);
/* Unmount and remove the target (which ends the log). */
int recorder_stop(struct recorder *rc, char *why, size_t whylen);

#endif
