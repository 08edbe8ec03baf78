// SPDX-License-Identifier: GPL-2.0
#include <blkid/blkid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "vm/image_probe.h"

int require_regular_file(const char *path, const char *what, char *why,
			 size_t whylen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(why, whylen, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (S_ISBLK(st.st_mode)) {
		snprintf(
			why, whylen,
			"%s %s is a block device of this machine; lwfuzz only works on image files (copy it into one first)",
			what, path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s %s is not a regular file", what,
			 path);
		return -1;
	}
	return 0;
}

int probe_fs_type(const char *path, char *type, size_t len, char *why,
		  size_t whylen)
{
	const char *value = NULL;
	blkid_probe pr;
	int ret;

	if (require_regular_file(path, "image", why, whylen))
		return -1;
	pr = blkid_new_probe_from_filename(path);
	if (!pr) {
		snprintf(why, whylen, "cannot probe %s: %s", path,
			 strerror(errno));
		return -1;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	ret = blkid_do_safeprobe(pr);
	type[0] = '\0';
	if (ret == 0 && !blkid_probe_lookup_value(pr, "TYPE", &value, NULL))
		snprintf(type, len, "%s", value);
	blkid_free_probe(pr);
	if (ret == -2) {
		snprintf(why, whylen,
			 "%s carries several conflicting signatures", path);
		return -1;
	}
	if (ret < 0) {
		snprintf(why, whylen, "probing %s failed", path);
		return -1;
	}
	return 0;
}
