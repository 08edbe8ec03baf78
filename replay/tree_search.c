// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/btrfs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "replay/tree_search.h"

#define SEARCH_BUF (256 * 1024)

/* The key right after (objectid, type, offset) in key order. */
static int advance(struct btrfs_ioctl_search_key *k, uint64_t objectid,
		   uint32_t type, uint64_t offset)
{
	k->min_objectid = objectid;
	k->min_type = type;
	k->min_offset = offset + 1;
	if (offset != UINT64_MAX)
		return 0;
	k->min_offset = 0;
	if (type < 255) {
		k->min_type = type + 1;
		return 0;
	}
	k->min_type = 0;
	if (objectid == UINT64_MAX)
		return -1;
	k->min_objectid = objectid + 1;
	return 0;
}

static int walk_buffer(struct btrfs_ioctl_search_args_v2 *args,
		       uint32_t min_type, uint32_t max_type,
		       int (*fn)(const struct tree_item *, void *), void *arg,
		       int *done)
{
	struct btrfs_ioctl_search_key *k = &args->key;
	size_t pos = 0;
	uint32_t n = k->nr_items;

	for (uint32_t i = 0; i < n; i++) {
		struct btrfs_ioctl_search_header h;
		struct tree_item it;
		int ret;

		memcpy(&h, args->buf + pos, sizeof(h));
		pos += sizeof(h);
		it = (struct tree_item){ h.objectid, h.offset, h.type, h.len,
					 args->buf + pos };
		pos += h.len;
		if (h.type >= min_type && h.type <= max_type) {
			ret = fn(&it, arg);
			if (ret)
				return ret;
		}
		if (advance(k, h.objectid, h.type, h.offset))
			*done = 1;
	}
	return 0;
}

int tree_search(int fd, uint64_t tree_id, uint64_t min_objectid,
		uint64_t max_objectid, uint32_t min_type, uint32_t max_type,
		int (*fn)(const struct tree_item *item, void *arg), void *arg)
{
	struct btrfs_ioctl_search_args_v2 *args;
	int ret = 0, done = 0;

	args = calloc(1, sizeof(*args) + SEARCH_BUF);
	if (!args)
		return -ENOMEM;
	args->key.tree_id = tree_id;
	args->key.min_objectid = min_objectid;
	args->key.max_objectid = max_objectid;
	args->key.min_type = min_type;
	args->key.max_type = max_type;
	args->key.max_offset = UINT64_MAX;
	args->key.max_transid = UINT64_MAX;
	while (!done && !ret) {
		args->key.nr_items = UINT32_MAX;
		args->buf_size = SEARCH_BUF;
		if (ioctl(fd, BTRFS_IOC_TREE_SEARCH_V2, args) < 0) {
			ret = -errno;
			break;
		}
		if (!args->key.nr_items)
			break;
		ret = walk_buffer(args, min_type, max_type, fn, arg, &done);
		if (args->key.min_objectid > max_objectid)
			done = 1;
	}
	free(args);
	return ret;
}
