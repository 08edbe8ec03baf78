// SPDX-License-Identifier: GPL-2.0
#include <btrfsutil.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "replay/csum_oracle.h"
#include "replay/extent_check.h"
#include "replay/tree_search.h"

/* Not in the uapi headers: fs/btrfs/btrfs_inode.h. */
#define INODE_NODATASUM (1ULL << 0)

struct csums {
	struct csum_range *r;
	size_t n, cap;
	uint32_t sectorsize, csum_size;
};

struct walk {
	int fd;
	uint64_t root;
	uint64_t cur_ino, cur_flags;
	struct csums *csums;
	struct failure_sink *sink;
	struct csum_oracle_stats *st;
};

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static int add_csum(const struct tree_item *it, void *arg)
{
	struct csums *c = arg;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct csum_range *r = realloc(c->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		c->r = r;
		c->cap = cap;
	}
	c->r[c->n++] = (struct csum_range){
		it->offset, (uint64_t)(it->len / c->csum_size) * c->sectorsize
	};
	return 0;
}

static void lookup_path(int fd, uint64_t root, uint64_t ino, char *out,
			size_t len)
{
	struct btrfs_ioctl_ino_lookup_args a = { .treeid = root,
						 .objectid = ino };

	/* The kernel follows INODE_REF back references up to the subvolume
	 * root and returns "dir/name/"; names are the first hard link's. */
	if (ioctl(fd, BTRFS_IOC_INO_LOOKUP, &a) < 0) {
		out[0] = '\0';
		return;
	}
	size_t n = strnlen(a.name, sizeof(a.name));

	if (n && a.name[n - 1] == '/')
		n--;
	snprintf(out, len, "%.*s", (int)n, a.name);
}

static void report_gap(struct walk *w, const struct file_extent *fe,
		       const struct byte_range *need,
		       const struct byte_range *gap)
{
	struct check_failure f = { .check = "missing-csum",
				   .root = fe->root,
				   .ino = fe->ino,
				   .has_file_range = 1,
				   .has_disk_range = 1 };

	lookup_path(w->fd, fe->root, fe->ino, f.path, sizeof(f.path));
	/* File offsets of the gap (exact for uncompressed extents). */
	f.file_start = fe->file_offset;
	f.file_end = fe->file_offset + fe->num_bytes;
	if (!fe->compression) {
		f.file_start += gap->start - need->start;
		f.file_end = f.file_start + (gap->end - gap->start);
	}
	f.disk_start = gap->start;
	f.disk_end = gap->end;
	snprintf(
		f.detail, sizeof(f.detail),
		"regular extent at file offset %llu (disk %llu+%llu, offset %llu, %llu bytes%s) has no data checksums for disk [%llu, %llu)",
		(unsigned long long)fe->file_offset,
		(unsigned long long)fe->disk_bytenr,
		(unsigned long long)fe->disk_num_bytes,
		(unsigned long long)fe->offset,
		(unsigned long long)fe->num_bytes,
		fe->compression ? ", compressed" : "",
		(unsigned long long)gap->start, (unsigned long long)gap->end);
	w->sink->report(w->sink, &f);
}

static int check_extent(struct walk *w, const struct tree_item *it)
{
	const struct btrfs_file_extent_item *fi = (const void *)it->data;
	struct file_extent fe = { .root = w->root,
				  .ino = it->objectid,
				  .file_offset = it->offset };
	struct byte_range need, gaps[16];
	size_t n;

	if (it->len < offsetof(struct btrfs_file_extent_item, disk_bytenr))
		return 0;
	fe.type = fi->type;
	fe.compression = fi->compression;
	fe.nodatasum =
		w->cur_ino == it->objectid && (w->cur_flags & INODE_NODATASUM);
	w->st->extents++;
	if (fe.type == FE_INLINE || it->len < sizeof(*fi))
		return 0;
	fe.disk_bytenr = get_le64((const void *)&fi->disk_bytenr);
	fe.disk_num_bytes = get_le64((const void *)&fi->disk_num_bytes);
	fe.offset = get_le64((const void *)&fi->offset);
	fe.num_bytes = get_le64((const void *)&fi->num_bytes);
	if (fe.type == FE_REG)
		w->st->reg_extents++;
	if (!extent_needs_csum(&fe, &need))
		return 0;
	n = csum_gaps(w->csums->r, w->csums->n, need, gaps, 16);
	for (size_t i = 0; i < n && i < 16; i++)
		report_gap(w, &fe, &need, &gaps[i]);
	return 0;
}

static int visit_fs_item(const struct tree_item *it, void *arg)
{
	struct walk *w = arg;

	if (it->type == BTRFS_INODE_ITEM_KEY &&
	    it->len >= sizeof(struct btrfs_inode_item)) {
		const struct btrfs_inode_item *ii = (const void *)it->data;

		w->cur_ino = it->objectid;
		w->cur_flags = get_le64((const void *)&ii->flags);
		return 0;
	}
	if (it->type == BTRFS_EXTENT_DATA_KEY)
		return check_extent(w, it);
	return 0;
}

static int walk_root(struct walk *w, uint64_t root)
{
	w->root = root;
	w->cur_ino = 0;
	w->st->subvols++;
	return tree_search(w->fd, root, BTRFS_FIRST_FREE_OBJECTID,
			   BTRFS_LAST_FREE_OBJECTID, BTRFS_INODE_ITEM_KEY,
			   BTRFS_EXTENT_DATA_KEY, visit_fs_item, w);
}

static int walk_subvols(struct walk *w, char *why, size_t whylen)
{
	struct btrfs_util_subvolume_iterator *iter;
	enum btrfs_util_error err;
	uint64_t id;
	int ret = walk_root(w, BTRFS_FS_TREE_OBJECTID);

	if (ret)
		goto fail;
	err = btrfs_util_create_subvolume_iterator_fd(
		w->fd, BTRFS_FS_TREE_OBJECTID, 0, &iter);
	if (err) {
		snprintf(why, whylen, "listing subvolumes: %s",
			 btrfs_util_strerror(err));
		return -EIO;
	}
	while (!(err = btrfs_util_subvolume_iterator_next(iter, NULL, &id))) {
		ret = walk_root(w, id);
		if (ret)
			break;
	}
	btrfs_util_destroy_subvolume_iterator(iter);
	if (ret)
		goto fail;
	if (err != BTRFS_UTIL_ERROR_STOP_ITERATION) {
		snprintf(why, whylen, "listing subvolumes: %s",
			 btrfs_util_strerror(err));
		return -EIO;
	}
	return 0;
fail:
	snprintf(why, whylen, "searching tree %llu: %s",
		 (unsigned long long)w->root, strerror(-ret));
	return ret;
}

int csum_oracle_check(const char *mnt, struct failure_sink *sink,
		      struct csum_oracle_stats *st, char *why, size_t whylen)
{
	struct btrfs_ioctl_fs_info_args info = {
		.flags = BTRFS_FS_INFO_FLAG_CSUM_INFO
	};
	struct csums c = { 0 };
	struct walk w = { .csums = &c, .sink = sink, .st = st };
	int ret;

	memset(st, 0, sizeof(*st));
	w.fd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.fd < 0) {
		snprintf(why, whylen, "%s: %s", mnt, strerror(errno));
		return -errno;
	}
	if (ioctl(w.fd, BTRFS_IOC_FS_INFO, &info) < 0 || !info.csum_size) {
		ret = -errno;
		snprintf(why, whylen, "%s: BTRFS_IOC_FS_INFO: %s", mnt,
			 strerror(errno));
		goto out;
	}
	c.sectorsize = info.sectorsize;
	c.csum_size = info.csum_size;
	ret = tree_search(w.fd, BTRFS_CSUM_TREE_OBJECTID,
			  BTRFS_EXTENT_CSUM_OBJECTID,
			  BTRFS_EXTENT_CSUM_OBJECTID, BTRFS_EXTENT_CSUM_KEY,
			  BTRFS_EXTENT_CSUM_KEY, add_csum, &c);
	if (ret) {
		snprintf(why, whylen, "reading the csum tree: %s",
			 strerror(-ret));
		goto out;
	}
	st->csum_items = c.n;
	ret = walk_subvols(&w, why, whylen);
out:
	free(c.r);
	close(w.fd);
	return ret;
}
