// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay/data_check.h"
#include "lib/fsutil.h"
#include "lib/hash.h"

#define CHUNK (1 << 20)

int data_digest(const char *path, uint64_t off, uint64_t len, uint64_t *digest)
{
	char *buf = malloc(CHUNK);
	uint64_t h = HASH_INIT, done = 0;
	int fd, ret = 0;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	while (done < len) {
		size_t want = len - done < CHUNK ? len - done : CHUNK;
		ssize_t n = pread(fd, buf, want, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0) {
			ret = -ENODATA; /* the file ends inside the range */
			break;
		}
		h = hash_bytes(h, buf, n);
		done += n;
	}
	close(fd);
	free(buf);
	*digest = h;
	return ret;
}

static void check_one(const char *mnt, const struct expectation *x,
		      struct failure_sink *sink)
{
	char *path = path_join(mnt, x->path);
	struct check_failure f = { .check = "data",
				   .has_file_range = 1,
				   .file_start = x->off,
				   .file_end = x->off + x->len };
	uint64_t got = 0;
	int ret = data_digest(path, x->off, x->len, &got);

	free(path);
	if (!ret && got == x->digest)
		return;
	snprintf(f.path, sizeof(f.path), "%s", x->path);
	if (ret)
		snprintf(f.detail, sizeof(f.detail),
			 "promised at log entry %" PRIu64 " but %s", x->entry,
			 ret == -ENODATA ? "the file ends inside the range"
					 : strerror(-ret));
	else
		snprintf(f.detail, sizeof(f.detail),
			 "promised at log entry %" PRIu64 ": digest %016" PRIx64
			 ", found %016" PRIx64,
			 x->entry, x->digest, got);
	sink->report(sink, &f);
}

void data_check(const char *mnt, const struct expect_set *s,
		struct failure_sink *sink)
{
	for (size_t i = 0; i < s->n; i++)
		check_one(mnt, &s->x[i], sink);
}
