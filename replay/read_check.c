// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/poison.h"
#include "replay/read_check.h"

#define BUF (1 << 20)
#define BLOCK 4096

static struct failure_sink *cur_sink;
static const char *cur_mnt;
static char *buf;
static long files;

static void report(const char *path, long long start, long long end, int err)
{
	struct check_failure f = { .check = "read", .has_file_range = 1 };
	size_t ml = strlen(cur_mnt);

	snprintf(f.path, sizeof(f.path), "%s",
		 path + (strncmp(path, cur_mnt, ml) ? 0 : ml + 1));
	f.file_start = start;
	f.file_end = end;
	snprintf(f.detail, sizeof(f.detail), "reading [%lld, %lld): %s", start,
		 end, strerror(err));
	cur_sink->report(cur_sink, &f);
}

static void report_stale(const char *path, long long start, long long end,
			 int64_t block)
{
	struct check_failure f = { .check = "stale", .has_file_range = 1 };
	size_t ml = strlen(cur_mnt);

	snprintf(f.path, sizeof(f.path), "%s",
		 path + (strncmp(path, cur_mnt, ml) ? 0 : ml + 1));
	f.file_start = start;
	f.file_end = end;
	snprintf(
		f.detail, sizeof(f.detail),
		"reads device content that was never written (poison of device block %lld onwards)",
		(long long)block);
	cur_sink->report(cur_sink, &f);
}

/*
 * A chunk failed: find the failing blocks inside it and report each run of
 * them once, so the finding names the exact range.
 */
static void narrow(int fd, const char *path, long long off, long long size)
{
	long long bad = -1, end = off + BUF < size ? off + BUF : size;
	int err = EIO;

	for (long long pos = off; pos < end; pos += BLOCK) {
		ssize_t n = pread(fd, buf, BLOCK, pos);

		if (n < 0 && bad < 0) {
			bad = pos;
			err = errno;
		} else if (n >= 0 && bad >= 0) {
			report(path, bad, pos, err);
			bad = -1;
		}
	}
	if (bad >= 0)
		report(path, bad, end, err);
}

/* Blocks of file data that are the target's poison: stale device content. */
static void look_for_poison(const char *path, long long off, ssize_t n)
{
	long long start = -1;
	int64_t first = -1;

	for (ssize_t i = 0; i + (ssize_t)POISON_BLOCK <= n; i += POISON_BLOCK) {
		int64_t b = (off + i) % POISON_BLOCK ? -1
						     : poison_block_of(buf + i);

		if (b >= 0 && start < 0) {
			start = off + i;
			first = b;
		} else if (b < 0 && start >= 0) {
			report_stale(path, start, off + i, first);
			start = -1;
		}
	}
	if (start >= 0)
		report_stale(path, start, off + n, first);
}

static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	long long off = 0;
	ssize_t n;
	int fd;

	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		report(path, 0, 0, errno);
		return 0;
	}
	files++;
	while (off < st->st_size) {
		n = pread(fd, buf, BUF, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			narrow(fd, path, off, st->st_size);
			off += BUF;
			continue;
		}
		if (n == 0)
			break;
		look_for_poison(path, off, n);
		off += n;
	}
	close(fd);
	return 0;
}

long read_check(const char *mnt, struct failure_sink *sink)
{
	buf = malloc(BUF);
	if (!buf)
		return -1;
	cur_sink = sink;
	cur_mnt = mnt;
	files = 0;
	nftw(mnt, visit, 64, FTW_PHYS);
	free(buf);
	buf = NULL;
	return files;
}
