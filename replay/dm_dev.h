/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device-mapper devices through libdevmapper, for a guest without udev:
 * udev synchronisation is off and a device is used through /dev/dm-MINOR,
 * which devtmpfs creates.
 */
#ifndef LWFUZZ_DM_DEV_H
#define LWFUZZ_DM_DEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * Create device @name with one target over @sectors 512-byte sectors.
 * Its node goes to @node. Returns 0 or -1 with a message in @why.
 */
int dm_dev_create(const char *name, uint64_t sectors, const char *target,
		  const char *params, char *node, size_t nodelen, char *why,
		  size_t whylen);
/*
 * Replace @name's table by one target and make it live (reload + resume):
 * much cheaper than remove + create under emulation, where removing a
 * device waits for RCU grace periods.
 */
int dm_dev_reload(const char *name, uint64_t sectors, const char *target,
		  const char *params, char *why, size_t whylen);
/* Remove @name (retrying while it is briefly busy); 0 or -1. */
int dm_dev_remove(const char *name);
/* Send a target message ("mark NAME" to dm-log-writes); 0 or -1. */
int dm_dev_message(const char *name, const char *msg);

#endif
