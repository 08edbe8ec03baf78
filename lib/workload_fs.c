// SPDX-License-Identifier: GPL-2.0
/*
 * The file system a workload runs on: the "mkfs" and "mount" lines of the
 * text form, and what they become for mkfs.btrfs and mount(2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/workload.h"

/* Bits 0-2 are mkfs.btrfs -O features, bit 3 its -R runtime feature
 * (btrfs-progs 6.2 of Debian bookworm). */
static const char *const features[] = { "^no-holes", "^skinny-metadata",
					"^extref", "^free-space-tree" };
static const char *const compress[] = { "", "compress=zstd", "compress=lzo",
					"compress-force=zstd" };
static const char *const discard[] = { "", "discard", "discard=async" };
static const char *const mount_flags[] = { "nodatasum", "nodatacow",
					   "flushoncommit" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Append ",word" (or "word") to @buf. */
static void add(char *buf, size_t len, const char *word)
{
	size_t used = strlen(buf);

	if (*word && used < len)
		snprintf(buf + used, len - used, "%s%s", used ? "," : "", word);
}

void wl_fs_features(const struct wl_fs *fs, char *buf, size_t len)
{
	buf[0] = '\0';
	for (unsigned int i = 0; i < N(features); i++)
		if ((fs->mkfs & (1u << i)) && (1u << i) != FS_FST_OFF)
			add(buf, len, features[i]);
}

void wl_fs_runtime_features(const struct wl_fs *fs, char *buf, size_t len)
{
	buf[0] = '\0';
	if (fs->mkfs & FS_FST_OFF)
		add(buf, len, "^free-space-tree");
}

unsigned int wl_fs_nodesize(const struct wl_fs *fs)
{
	return fs->nodesize ? 1u << (11 + fs->nodesize) : 0;
}

void wl_fs_mount_data(const struct wl_fs *fs, char *buf, size_t len)
{
	char commit[32];

	buf[0] = '\0';
	for (unsigned int i = 0; i < N(mount_flags); i++)
		if (fs->mount & (1u << i))
			add(buf, len, mount_flags[i]);
	add(buf, len, compress[MNT_COMPRESS(fs->mount)]);
	add(buf, len, discard[MNT_DISCARD(fs->mount) % N(discard)]);
	if (fs->commit) {
		snprintf(commit, sizeof(commit), "commit=%u", fs->commit);
		add(buf, len, commit);
	}
	/* Without a free space tree the kernel would make one (v2 is its
	 * default): keep the v1 cache the workload chose. */
	if (fs->mkfs & FS_FST_OFF)
		add(buf, len, "space_cache=v1");
}

void wl_fs_fold(struct wl_fs *fs)
{
	fs->mkfs &= FS_MKFS_MASK;
	fs->nodesize %= FS_NODESIZES;
	fs->mount &= MNT_MASK;
	if (MNT_DISCARD(fs->mount) == 3)
		fs->mount &= ~(1u << 5); /* 3 -> 2: async */
	if (fs->commit > MNT_MAX_COMMIT)
		fs->commit = 1 + fs->commit % MNT_MAX_COMMIT;
}

static int parse_mkfs_word(struct wl_fs *fs, const char *w)
{
	int k = wl_word_index(w, features, N(features));

	if (k >= 0) {
		fs->mkfs |= 1u << k;
		return 0;
	}
	if (!strncmp(w, "nodesize=", 9)) {
		static const char *const sizes[] = { "4K", "8K", "16K", "32K",
						     "64K" };

		k = wl_word_index(w + 9, sizes, N(sizes));
		if (k >= 0) {
			fs->nodesize = k + 1;
			return 0;
		}
	}
	return -1;
}

static int parse_mount_word(struct wl_fs *fs, const char *w)
{
	int k = wl_word_index(w, mount_flags, N(mount_flags));
	char *end;

	if (k >= 0)
		return fs->mount |= 1u << k, 0;
	k = wl_word_index(w, compress, N(compress));
	if (k >= 0 && !MNT_COMPRESS(fs->mount))
		return fs->mount |= k << 3, 0;
	k = wl_word_index(w, discard, N(discard));
	if (k >= 0 && !MNT_DISCARD(fs->mount))
		return fs->mount |= k << 5, 0;
	if (!strncmp(w, "commit=", 7) && w[7] >= '1' && w[7] <= '9') {
		unsigned long v = strtoul(w + 7, &end, 10);

		if (!*end && v <= MNT_MAX_COMMIT)
			return fs->commit = v, 0;
	}
	return -1;
}

int wl_fs_parse(struct wl_fs *fs, int mount, char *const *words, int n,
		const char **bad)
{
	for (int i = 0; i < n; i++)
		if (mount ? parse_mount_word(fs, words[i]) :
			    parse_mkfs_word(fs, words[i])) {
			*bad = words[i];
			return -1;
		}
	return 0;
}

void wl_fs_format(const struct wl_fs *fs, char *buf, size_t len)
{
	static const char *const sizes[] = { "", "4K", "8K", "16K", "32K",
					     "64K" };
	size_t used = 0;

	buf[0] = '\0';
	if (fs->mkfs || fs->nodesize) {
		used += snprintf(buf, len, "mkfs");
		for (unsigned int i = 0; i < N(features); i++)
			if ((fs->mkfs & (1u << i)) && used < len)
				used += snprintf(buf + used, len - used, " %s",
						 features[i]);
		if (fs->nodesize && used < len)
			used += snprintf(buf + used, len - used, " nodesize=%s",
					 sizes[fs->nodesize % FS_NODESIZES]);
		if (used < len)
			used += snprintf(buf + used, len - used, "\n");
	}
	if ((fs->mount || fs->commit) && used < len) {
		char data[160], *save = NULL;

		/* The mount line lists the options the workload chose. */
		struct wl_fs only = *fs;

		only.mkfs = 0;
		wl_fs_mount_data(&only, data, sizeof(data));
		used += snprintf(buf + used, len - used, "mount");
		for (char *w = strtok_r(data, ",", &save); w && used < len;
		     w = strtok_r(NULL, ",", &save))
			used += snprintf(buf + used, len - used, " %s", w);
		if (used < len)
			snprintf(buf + used, len - used, "\n");
	}
}
