// SPDX-License-Identifier: GPL-2.0
#include <libdevmapper.h>
#include <stdio.h>
#include <unistd.h>

#include "replay/dm_dev.h"

static void no_udev(void)
{
	static int done;

	if (done)
		return;
	dm_udev_set_sync_support(0);
	done = 1;
}

int dm_dev_create(const char *name, uint64_t sectors, const char *target,
		  const char *params, char *node, size_t nodelen, char *why,
		  size_t whylen)
{
	struct dm_task *dmt;
	struct dm_info info;
	int ret = -1;

	no_udev();
	dmt = dm_task_create(DM_DEVICE_CREATE);
	if (!dmt) {
		snprintf(why, whylen, "dm_task_create failed");
		return -1;
	}
	if (!dm_task_set_name(dmt, name) ||
	    !dm_task_add_target(dmt, 0, sectors, target, params) ||
	    !dm_task_run(dmt) || !dm_task_get_info(dmt, &info) ||
	    !info.exists) {
		snprintf(why, whylen, "creating %s (%s %s) failed", name,
			 target, params);
		goto out;
	}
	snprintf(node, nodelen, "/dev/dm-%u", info.minor);
	/* devtmpfs makes the node asynchronously; wait for it briefly. */
	for (int i = 0; i < 200 && access(node, F_OK); i++)
		usleep(5000);
	ret = 0;
out:
	dm_task_destroy(dmt);
	return ret;
}

int dm_dev_reload(const char *name, uint64_t sectors, const char *target,
		  const char *params, char *why, size_t whylen)
{
	struct dm_task *dmt;
	int ok;

	no_udev();
	dmt = dm_task_create(DM_DEVICE_RELOAD);
	if (!dmt) {
		snprintf(why, whylen, "dm_task_create failed");
		return -1;
	}
	ok = dm_task_set_name(dmt, name) &&
	     dm_task_add_target(dmt, 0, sectors, target, params) &&
	     dm_task_run(dmt);
	dm_task_destroy(dmt);
	if (!ok) {
		snprintf(why, whylen, "loading %s (%s %s) failed", name, target,
			 params);
		return -1;
	}
	dmt = dm_task_create(DM_DEVICE_RESUME);
	ok = dmt && dm_task_set_name(dmt, name) && dm_task_run(dmt);
	if (dmt)
		dm_task_destroy(dmt);
	if (!ok)
		snprintf(why, whylen, "resuming %s failed", name);
	return ok ? 0 : -1;
}

static int run_simple(int type, const char *name, const char *msg)
{
	struct dm_task *dmt = dm_task_create(type);
	int ok;

	if (!dmt)
		return -1;
	ok = dm_task_set_name(dmt, name);
	if (ok && msg)
		ok = dm_task_set_sector(dmt, 0) &&
		     dm_task_set_message(dmt, msg);
	if (ok && type == DM_DEVICE_REMOVE)
		dm_task_retry_remove(dmt);
	ok = ok && dm_task_run(dmt);
	dm_task_destroy(dmt);
	return ok ? 0 : -1;
}

int dm_dev_remove(const char *name)
{
	no_udev();
	return run_simple(DM_DEVICE_REMOVE, name, NULL);
}

int dm_dev_message(const char *name, const char *msg)
{
	no_udev();
	return run_simple(DM_DEVICE_TARGET_MSG, name, msg);
}
