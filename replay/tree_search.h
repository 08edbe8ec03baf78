/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking a btrfs tree's items with BTRFS_IOC_TREE_SEARCH_V2: the kernel
 * copies items in key order into a buffer; we hand them out one by one and
 * continue after the last key when the buffer runs dry.
 */
#ifndef LWFUZZ_TREE_SEARCH_H
#define LWFUZZ_TREE_SEARCH_H

#include <stdint.h>

struct tree_item {
	uint64_t objectid, offset;
	uint32_t type, len;
	const unsigned char *data;
};

/*
 * Call @fn for every item of tree @tree_id with min/max key (objectid,
 * type) bounds, types outside [min_type, max_type] filtered out. @fn returns
 * non-zero to stop. Returns 0, @fn's value, or -errno of the ioctl.
 */
int tree_search(int fd, uint64_t tree_id, uint64_t min_objectid,
		uint64_t max_objectid, uint32_t min_type, uint32_t max_type,
		int (*fn)(const struct tree_item *item, void *arg), void *arg);

#endif
