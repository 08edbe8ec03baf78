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
#include "guest/fs_template.h"
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

struct mkfs_args {
	char feat[128], rt[64], node[16], data[160];
};

static void mkfs_args_of(const struct wl_fs *fs, struct mkfs_args *m)
{
	memset(m, 0, sizeof(*m));
	if (!fs)
		return;
	wl_fs_features(fs, m->feat, sizeof(m->feat));
	wl_fs_runtime_features(fs, m->rt, sizeof(m->rt));
	if (wl_fs_nodesize(fs))
		snprintf(m->node, sizeof(m->node), "%u", wl_fs_nodesize(fs));
	wl_fs_mount_data(fs, m->data, sizeof(m->data));
}

void recorder_mkfs_key(const struct wl_fs *fs, char *key, size_t len)
{
	struct mkfs_args m;

	mkfs_args_of(fs, &m);
	snprintf(key, len, "-O %s -R %s -n %s", m.feat, m.rt, m.node);
}

static int run_mkfs(struct recorder *rc, const struct mkfs_args *m, char *why,
		    size_t whylen)
{
	/* -K: no discard, so the replay target's poison survives where the
	 * file system never writes. */
	char *mkfs[12] = { "mkfs.btrfs", "-f", "-q", "-K" }, *out = NULL;
	int n = 4, st;

	if (m->feat[0]) {
		mkfs[n++] = "-O";
		mkfs[n++] = (char *)m->feat;
	}
	if (m->rt[0]) {
		mkfs[n++] = "-R";
		mkfs[n++] = (char *)m->rt;
	}
	if (m->node[0]) {
		mkfs[n++] = "-n";
		mkfs[n++] = (char *)m->node;
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
	return 0;
}

/* The template's file system onto the data device, not through the log. */
static int put_template(struct recorder *rc, char *why, size_t whylen)
{
	int fd = open(rc->data, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", rc->data, strerror(errno));
		return -1;
	}
	ret = fs_template_write(rc->tpl, fd);
	if (ret)
		snprintf(why, whylen, "writing the template onto %s: %s",
			 rc->data, strerror(errno));
	close(fd);
	return ret ? -1 : fs_template_forget_devices(why, whylen);
}

int recorder_start(struct recorder *rc, char *why, size_t whylen)
{
	char params[256];
	struct mkfs_args m;
	uint64_t sectors;

	if (sectors_of(rc->data, &sectors)) {
		snprintf(why, whylen, "%s: %s", rc->data, strerror(errno));
		return -1;
	}
	mkfs_args_of(rc->fs, &m);
	if (rc->tpl && put_template(rc, why, whylen))
		return -1;
	snprintf(params, sizeof(params), "%s %s", rc->data, rc->log);
	if (dm_dev_create(RECORDER_DM_NAME, sectors, "log-writes", params,
			  rc->node, sizeof(rc->node), why, whylen))
		return -1;
	rc->live = 1;
	if (!rc->tpl && run_mkfs(rc, &m, why, whylen))
		return -1;
	mkdir_p(rc->mnt, 0755);
	if (mount(rc->node, rc->mnt, "btrfs", 0, m.data[0] ? m.data : NULL) <
	    0) {
		snprintf(why, whylen, "mount %s -o '%s': %s", rc->node, m.data,
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
