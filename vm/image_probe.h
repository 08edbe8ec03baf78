/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What is on an image, by libblkid, before lwfuzz uses it: it never works
 * on a device it was not meant for.
 */
#ifndef LWFUZZ_IMAGE_PROBE_H
#define LWFUZZ_IMAGE_PROBE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The file system type libblkid finds in the regular file @path ("" when
 * none). Returns 0, or -1 with a message in @why (not a regular file,
 * unreadable, ambivalent probe).
 */
int probe_fs_type(const char *path, char *type, size_t len, char *why,
		  size_t whylen);

/* 0 if @path is a regular file, else -1 with a message in @why. */
int require_regular_file(const char *path, const char *what, char *why,
			 size_t whylen);

#endif
