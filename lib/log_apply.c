// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/log_apply.h"

#define CHUNK (1 << 20)

static int zero_range(int fd, uint64_t off, uint64_t len)
{
	struct stat st;
	uint64_t range[2] = { off, len };

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKZEROOUT, range) < 0 ? -errno : 0;
	/* Punching keeps the image sparse; past EOF there is nothing. */
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off,
		      len) < 0)
		return -errno;
	return 0;
}

int log_apply(struct log_reader *r, const struct log_entry *e, int fd)
{
	uint64_t ss = log_super(r)->sectorsize;
	uint64_t off = e->sector * ss;
	char *buf;
	int ret = 0;

	if (e->flags & LOG_DISCARD)
		return zero_range(fd, off, e->nr_sectors * ss);
	if (!e->data_bytes)
		return 0;
	buf = malloc(CHUNK);
	if (!buf)
		return -ENOMEM;
	for (uint64_t done = 0; done < e->data_bytes && !ret;) {
		size_t n = e->data_bytes - done < CHUNK ? e->data_bytes - done
							: CHUNK;

		if (log_read_data(r, e, done, buf, n))
			ret = -EIO;
		else
			ret = pwrite_full(fd, buf, n, off + done);
		done += n;
	}
	free(buf);
	return ret;
}
