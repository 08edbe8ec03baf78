// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/cov_map.h"
#include "lib/fsutil.h"

unsigned int cov_from_counts(const uint8_t *counts, uint8_t *bits)
{
	unsigned int n = 0;

	memset(bits, 0, COV_BYTES);
	for (unsigned int i = 0; i < COV_EDGES; i++)
		if (counts[i]) {
			bits[i / 8] |= 1u << (i % 8);
			n++;
		}
	return n;
}

unsigned int cov_count(const uint8_t *bits)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < COV_BYTES; i++)
		n += __builtin_popcount(bits[i]);
	return n;
}

unsigned int cov_common(const uint8_t *a, const uint8_t *b)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < COV_BYTES; i++)
		n += __builtin_popcount(a[i] & b[i]);
	return n;
}

unsigned int cov_merge(uint8_t *total, const uint8_t *bits)
{
	unsigned int fresh = 0;

	for (unsigned int i = 0; i < COV_BYTES; i++) {
		fresh += __builtin_popcount(bits[i] & ~total[i]);
		total[i] |= bits[i];
	}
	return fresh;
}

void cov_fold(const uint8_t *bits, uint8_t *map, size_t size)
{
	for (unsigned int i = 0; size && i < COV_EDGES; i++)
		if (bits[i / 8] & (1u << (i % 8)))
			map[(uint32_t)(i * 0x9e3779b1u) % size]++;
}

long cov_merge_file(const char *path, const uint8_t *bits)
{
	uint8_t total[COV_BYTES] = { 0 };
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	long ret = -1;
	ssize_t got;

	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX))
		goto out;
	got = pread(fd, total, sizeof(total), 0);
	if (got < 0)
		goto out;
	if (got != sizeof(total))
		memset(total, 0, sizeof(total));
	cov_merge(total, bits);
	if (pwrite(fd, total, sizeof(total), 0) != sizeof(total))
		goto out;
	ret = cov_count(total);
out:
	close(fd);
	return ret;
}

unsigned int cov_count_file(const char *path)
{
	size_t len = 0;
	uint8_t *bits = (uint8_t *)read_file(path, &len);
	unsigned int n = bits && len == COV_BYTES ? cov_count(bits) : 0;

	free(bits);
	return n;
}
