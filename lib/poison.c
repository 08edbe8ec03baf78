// SPDX-License-Identifier: GPL-2.0
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/poison.h"

#define MAGIC "LWFZPOIS"
#define CHUNK_BLOCKS 256

void poison_fill(uint64_t blockno, void *buf)
{
	unsigned char unit[16];
	uint64_t le = htole64(blockno);

	memcpy(unit, MAGIC, 8);
	memcpy(unit + 8, &le, 8);
	for (size_t i = 0; i < POISON_BLOCK; i += 16)
		memcpy((unsigned char *)buf + i, unit, 16);
}

int64_t poison_block_of(const void *buf)
{
	unsigned char expect[POISON_BLOCK];
	uint64_t le;

	if (memcmp(buf, MAGIC, 8))
		return -1;
	memcpy(&le, (const unsigned char *)buf + 8, 8);
	poison_fill(le64toh(le), expect);
	return memcmp(buf, expect, POISON_BLOCK) ? -1 : (int64_t)le64toh(le);
}

int poison_range(int fd, uint64_t off, uint64_t len)
{
	uint64_t first = off / POISON_BLOCK;
	uint64_t last = (off + len + POISON_BLOCK - 1) / POISON_BLOCK;
	unsigned char *buf = malloc(POISON_BLOCK * CHUNK_BLOCKS);
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (uint64_t b = first; b < last && !ret;) {
		uint64_t n = last - b < CHUNK_BLOCKS ? last - b : CHUNK_BLOCKS;
		size_t bytes = n * POISON_BLOCK;

		for (uint64_t i = 0; i < n; i++)
			poison_fill(b + i, buf + i * POISON_BLOCK);
		if (pwrite(fd, buf, bytes, b * POISON_BLOCK) != (ssize_t)bytes)
			ret = errno ? -errno : -EIO;
		b += n;
	}
	free(buf);
	return ret;
}
