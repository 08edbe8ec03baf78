// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "replay/dm_dev.h"
#include "lib/fsutil.h"
#include "guest/recorder.h"
#include "lib/spawn.h"

static int sectors_of(const char *dev, uint64_t *sectors)
{
	uint64_t bytes;
	int fd = open(dev, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, BLKGETSIZE64, &bytes);
	close(fd);
	*sectors = bytes >> 9;
	return ret;
}

int recorder_start(struct recorder *rc, char *why, size_t whylen)
{
	char params[256], *out = NULL;
	uint64_t sectors;

	if (sectors_of(rc->data, &sectors)) {
		snprintf(why, whylen, "%s: %s", rc->data, strerror(errno));
		return -1;
	}
	snprintf(params, sizeof(params), "%s %s", rc->data, rc->log);
	if (dm_dev_create(RECORDER_DM_NAME, sectors, "log-writes", params,
			  rc->node, sizeof(rc->node), why, whylen))
		return -1;
	rc->live = 1;
	/* -K: no discard, so the replay target's poison survives where the
	 * file system never writes. */
	char *mkfs[12] = { "mkfs.btrfs", "-f", "-q", "-K" }, feat[128] = "",
	     rt[64] = "", node[16] = "", data[160] = "";
	int n = 4, st;

	if (rc->fs) {
		wl_fs_features(rc->fs, feat, sizeof(feat));
		wl_fs_runtime_features(rc->fs, rt, sizeof(rt));
		if (wl_fs_nodesize(rc->fs))
			snprintf(node, sizeof(node), "%u",
				 wl_fs_nodesize(rc->fs));
		wl_fs_mount_data(rc->fs, data, sizeof(data));
	}
	if (feat[0]) {
		mkfs[n++] = "-O";
		mkfs[n++] = feat;
	}
	if (rt[0]) {
		mkfs[n++] = "-R";
		mkfs[n++] = rt;
	}
	if (node[0]) {
		mkfs[n++] = "-n";
		mkfs[n++] = node;
	}
	mkfs[n++] = rc->node;
	mkfs[n] = NULL;
	st = spawn_capture_all(mkfs, &out);

	if (st) {
		snprintf(why, whylen, "mkfs.btrfs %s failed (%d): %s", rc->node,
			 st, out ? out : "");
		free(out);
		return -1;
	}
	free(out);
	if (dm_dev_message(RECORDER_DM_NAME, "mark mkfs")) {
		snprintf(why, whylen, "cannot mark the log");
		return -1;
	}
	mkdir_p(rc->mnt, 0755);
	if (mount(rc->node, rc->mnt, "btrfs", 0, data[0] ? data : NULL) < 0) {
		snprintf(why, whylen, "mount %s -o '%s': %s", rc->node, data,
			 strerror(errno));
		return -1;
	}
	rc->mounted = 1;
	return 0;
}

int recorder_stop(struct recorder *rc, char *why, size_t whylen)
{
	if (rc->mounted && umount(rc->mnt) < 0) {
		snprintf(why, whylen, "umount %s: %s", rc->mnt,
			 strerror(errno));
		return -1;
	}
	rc->mounted = 0;
	if (rc->live && dm_dev_remove(RECORDER_DM_NAME)) {
		snprintf(why, whylen, "cannot remove %s", RECORDER_DM_NAME);
		return -1;
	}
	rc->live = 0;
	return 0;
}
