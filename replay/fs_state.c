// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "replay/fs_state.h"
#include "lib/hash.h"

#define CHUNK (1 << 20)
#define XATTR_LIST_MAX_BYTES 4096
#define XATTR_VALUE_MAX_BYTES 65536
#define MAX_ENTRIES 64

static int digest_fd(int fd, uint64_t off, uint64_t len, int to_eof,
		     uint64_t *digest)
{
	char *buf = malloc(CHUNK);
	uint64_t h = HASH_INIT, done = 0;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	while (to_eof || done < len) {
		size_t want = !to_eof && len - done < CHUNK ? len - done : CHUNK;
		ssize_t n = pread(fd, buf, want, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0) {
			if (!to_eof)
				ret = -ENODATA; /* ends inside the range */
			break;
		}
		h = hash_bytes(h, buf, n);
		done += n;
	}
	free(buf);
	*digest = h;
	return ret;
}

int fs_range_digest(const char *path, uint64_t off, uint64_t len,
		    uint64_t *digest)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	*digest = HASH_INIT;
	if (fd < 0)
		return -errno;
	ret = digest_fd(fd, off, len, 0, digest);
	close(fd);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The user-visible xattrs, sorted by name, hashed as name NUL value. */
static int xattr_digest(const char *path, struct fs_state *st)
{
	char list[XATTR_LIST_MAX_BYTES], *names[64] = { NULL }, *val;
	ssize_t len = llistxattr(path, list, sizeof(list));
	unsigned int n = 0;
	uint64_t h = HASH_INIT;

	if (len < 0)
		return -errno;
	for (ssize_t i = 0; i < len && n < 64; i += strlen(list + i) + 1)
		if (!strncmp(list + i, "user.", 5))
			names[n++] = list + i;
	qsort(names, n, sizeof(names[0]), cmp_str);
	val = malloc(XATTR_VALUE_MAX_BYTES);
	if (!val)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		ssize_t v = lgetxattr(path, names[i], val,
				      XATTR_VALUE_MAX_BYTES);

		if (v < 0) {
			free(val);
			return -errno;
		}
		h = hash_bytes(h, names[i], strlen(names[i]) + 1);
		h = hash_bytes(h, val, v);
	}
	free(val);
	st->xattr = h;
	st->nxattr = n;
	return 0;
}

static enum fs_type type_of_mode(mode_t m)
{
	if (S_ISREG(m))
		return FT_REG;
	if (S_ISDIR(m))
		return FT_DIR;
	if (S_ISLNK(m))
		return FT_LNK;
	return FT_OTHER;
}

static enum fs_type type_of_dirent(unsigned char t)
{
	switch (t) {
	case DT_REG:
		return FT_REG;
	case DT_DIR:
		return FT_DIR;
	case DT_LNK:
		return FT_LNK;
	}
	return FT_OTHER;
}

/* "rf0/dd1": type letter and name of each entry, sorted by name. */
static int list_entries(const char *path, struct fs_state *st)
{
	DIR *d = opendir(path);
	char *names[MAX_ENTRIES];
	unsigned int n = 0;
	size_t used = 0;
	struct dirent *e;
	int ret = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == MAX_ENTRIES) {
			ret = -E2BIG;
			break;
		}
		names[n] = malloc(strlen(e->d_name) + 2);
		if (!names[n]) {
			ret = -ENOMEM;
			break;
		}
		names[n][0] = fs_type_letter(type_of_dirent(e->d_type));
		strcpy(names[n] + 1, e->d_name);
		n++;
	}
	closedir(d);
	/* Sorted by name: the type letter is not part of the order. */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j && strcmp(names[j - 1] + 1,
						     names[j] + 1) > 0;
		     j--) {
			char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	st->entries[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		int k = snprintf(st->entries + used,
				 sizeof(st->entries) - used, "%s%s",
				 i ? "/" : "", names[i]);

		if (!ret && (k < 0 || used + k >= sizeof(st->entries)))
			ret = -E2BIG;
		if (!ret)
			used += k;
		free(names[i]);
	}
	return ret;
}

int fs_state_read(const char *path, unsigned int facts, struct fs_state *st)
{
	struct stat sb;

	memset(st, 0, sizeof(*st));
	if (lstat(path, &sb) < 0)
		return -errno;
	st->type = type_of_mode(sb.st_mode);
	st->ino = sb.st_ino;
	st->dev = sb.st_dev;
	st->size = sb.st_size;
	st->nlink = sb.st_nlink;
	st->mode = sb.st_mode & 07777;
	if ((facts & PF_CONTENT) && st->type == FT_REG) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			st->err = errno;
		else {
			int r = digest_fd(fd, 0, 0, 1, &st->content);

			st->err = r ? -r : 0;
			close(fd);
		}
	}
	if (!st->err && (facts & PF_XATTR) && st->type != FT_LNK) {
		int r = xattr_digest(path, st);

		st->err = r ? -r : 0;
	}
	if (!st->err && (facts & PF_TARGET) && st->type == FT_LNK) {
		ssize_t n = readlink(path, st->target, sizeof(st->target) - 1);

		if (n < 0)
			st->err = errno;
		else
			st->target[n] = '\0';
	}
	if (!st->err && (facts & PF_ENTRIES) && st->type == FT_DIR) {
		int r = list_entries(path, st);

		st->err = r ? -r : 0;
	}
	return 0;
}
