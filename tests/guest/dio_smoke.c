// SPDX-License-Identifier: GPL-2.0
/*
 * dio_smoke FILE: the smallest workload of the seed race's shape, used by
 * the test-bed test in the guest: fallocate 1 MiB, fsync, O_DIRECT write
 * 64 KiB into the preallocated range, fsync, read it back with O_DIRECT.
 * Exit 0 when the data reads back, 1 otherwise, with one line saying why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PREALLOC (1 << 20)
#define OFF (64 << 10)
#define LEN (64 << 10)

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "dio_smoke: %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	unsigned char *buf, *back;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: dio_smoke FILE\n");
		return 2;
	}
	if (posix_memalign((void **)&buf, 4096, LEN) ||
	    posix_memalign((void **)&back, 4096, LEN))
		return fail("allocating buffers for", argv[1]);
	for (int i = 0; i < LEN; i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	fd = open(argv[1], O_CREAT | O_RDWR, 0644);
	if (fd < 0)
		return fail("creating", argv[1]);
	if (fallocate(fd, 0, 0, PREALLOC) || fsync(fd))
		return fail("fallocate+fsync", argv[1]);
	close(fd);
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0)
		return fail("opening O_DIRECT", argv[1]);
	if (pwrite(fd, buf, LEN, OFF) != LEN || fsync(fd))
		return fail("O_DIRECT write+fsync", argv[1]);
	if (pread(fd, back, LEN, OFF) != LEN)
		return fail("O_DIRECT read", argv[1]);
	if (memcmp(buf, back, LEN)) {
		fprintf(stderr, "dio_smoke: %s: data read back differs\n",
			argv[1]);
		return 1;
	}
	close(fd);
	printf("dio_smoke: ok\n");
	return 0;
}
