// SPDX-License-Identifier: GPL-2.0
/*
 * AFL++ harness: the dm-log-writes log reader. Every input is a log; it is
 * read to its end or to its first error, entry by entry, as `lwfuzz log`
 * and the replayer read one. Property: no memory error, and every entry it
 * accepts lies within the log.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "lib/log_reader.h"

static void one_input(const unsigned char *buf, size_t len)
{
	static int fd = -1;
	struct log_reader *r;
	struct log_entry e;
	char why[512];

	if (fd < 0)
		fd = memfd_create("log", 0);
	if (fd < 0 || ftruncate(fd, 0) ||
	    pwrite(fd, buf, len, 0) != (ssize_t)len)
		abort();
	r = log_open_fd(fd, len, 1ULL << 30, why, sizeof(why));
	if (!r)
		return;
	while (log_next(r, &e, why, sizeof(why)) > 0)
		if (e.data_offset + e.data_bytes > len ||
		    strlen(e.mark) >= sizeof(e.mark))
			abort();
	log_close(r);
}
