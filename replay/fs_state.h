/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a path shows in a mounted file system, read the one way both the
 * driver (making a promise) and the checker (holding a crash state to it)
 * read it: so a digest, an xattr list or an entry list means the same on
 * both sides.
 */
#ifndef LWFUZZ_FS_STATE_H
#define LWFUZZ_FS_STATE_H

#include <stdint.h>

#include "lib/promise_mark.h"

struct fs_state {
	enum fs_type type; /* FT_NONE: the path does not exist */
	int err; /* errno of a read that failed (lstat aside), else 0 */
	uint64_t ino, dev, size;
	uint32_t nlink, mode;
	uint64_t content; /* PF_CONTENT: digest of the whole file */
	uint64_t xattr; /* PF_XATTR: digest of the sorted (name, value) list */
	unsigned int nxattr;
	char target[PROMISE_TARGET_MAX + 1]; /* PF_TARGET */
	char entries[PROMISE_ENTRIES_MAX + 1]; /* PF_ENTRIES */
};

/*
 * Read @path's state: always type, ino, dev, size, nlink and mode (from
 * lstat); the costlier facts only when @facts asks for them. 0, or -errno
 * of lstat (-ENOENT: type FT_NONE).
 */
int fs_state_read(const char *path, unsigned int facts, struct fs_state *st);

/* Digest of [off, off+len) of the file at @path into *@digest; -errno,
 * -ENODATA when the file ends inside the range. */
int fs_range_digest(const char *path, uint64_t off, uint64_t len,
		    uint64_t *digest);

#endif
