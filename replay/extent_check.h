/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The missing-csum oracle's arithmetic, apart from the ioctls that feed it:
 * which disk bytes of a file extent item must be covered by data checksums,
 * and which of them the csum tree does not cover.
 *
 * Rules (btrfs on-disk format):
 * - inline extents, prealloc extents and holes (REG with disk_bytenr 0)
 *   need no checksums, and neither does any extent of a NODATASUM inode;
 * - an uncompressed REG extent needs [disk_bytenr + offset, + num_bytes):
 *   the part of the disk extent this item references (reflinks and partial
 *   overwrites reference parts);
 * - a compressed REG extent needs the whole on-disk extent
 *   [disk_bytenr, + disk_num_bytes): csums are over the compressed bytes.
 */
#ifndef LWFUZZ_EXTENT_CHECK_H
#define LWFUZZ_EXTENT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define FE_INLINE 0
#define FE_REG 1
#define FE_PREALLOC 2

struct file_extent {
	uint64_t root, ino, file_offset;
	uint8_t type, compression;
	uint64_t disk_bytenr, disk_num_bytes, offset, num_bytes;
	int nodatasum; /* the inode's NODATASUM flag */
};

/* One csum item: covers [start, start + len) of the disk. */
struct csum_range {
	uint64_t start, len;
};

struct byte_range {
	uint64_t start, end; /* [start, end) */
};

/*
 * The disk range @fe needs checksums for, in *@need. Returns 1 when it
 * needs some, 0 when it needs none.
 */
int extent_needs_csum(const struct file_extent *fe, struct byte_range *need);

/*
 * Parts of @need not covered by @csums (sorted by start, not overlapping:
 * btrfs splits and merges csum items so that they never overlap; an item
 * may start before @need). Writes up to @max ranges to
 * @gaps and returns how many gaps there are in all (which may be more).
 */
size_t csum_gaps(const struct csum_range *csums, size_t n,
		 struct byte_range need, struct byte_range *gaps, size_t max);

#endif
