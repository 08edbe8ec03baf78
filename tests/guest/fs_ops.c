// SPDX-License-Identifier: GPL-2.0
/*
 * fs_ops: file operations busybox lacks, for the guest workloads of the
 * end-to-end tests.
 *   fs_ops reflink SRC DST   DST shares all of SRC's extents (FICLONE)
 *   fs_ops nocow FILE        create FILE with the NOCOW flag (so its data
 *                            has no checksums: NODATASUM)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "fs_ops: %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

static int reflink(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY), out;

	if (in < 0)
		return fail("open", src);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		return fail("create", dst);
	if (ioctl(out, FICLONE, in) < 0)
		return fail("FICLONE onto", dst);
	close(in);
	return close(out) ? fail("close", dst) : 0;
}

static int nocow(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644), flags;

	if (fd < 0)
		return fail("create", path);
	/* Only an empty file can switch to NOCOW. */
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		return fail("FS_IOC_GETFLAGS", path);
	flags |= FS_NOCOW_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
		return fail("FS_IOC_SETFLAGS", path);
	return close(fd) ? fail("close", path) : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "reflink"))
		return reflink(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "nocow"))
		return nocow(argv[2]);
	fprintf(stderr, "usage: fs_ops reflink SRC DST | fs_ops nocow FILE\n");
	return 2;
}
