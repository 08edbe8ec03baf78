// SPDX-License-Identifier: GPL-2.0
/*
 * A campaign whose output file system fills up cannot file what it finds,
 * and its guest stalls (QEMU pauses a VM whose disk image cannot grow), so
 * it stops. Inputs it was executing are kept in OUT/pending by a hard link
 * or a rename, which need no data blocks; --resume runs them first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "fuzzer/campaign.h"
#include "lib/hash.h"
#include "lib/msg.h"

unsigned long long fuzz_free_bytes(const char *path)
{
	struct statvfs st;

	if (statvfs(path, &st))
		return ~0ULL;
	return (unsigned long long)st.f_bavail * st.f_frsize;
}

int fuzz_out_full(struct campaign *c)
{
	unsigned long long free_b = fuzz_free_bytes(c->o->out);

	char why[512];

	if (free_b >= FUZZ_MIN_FREE)
		return 0;
	snprintf(why, sizeof(why), "%s has %llu KiB free (under %llu MiB)",
		 c->o->out, free_b >> 10, FUZZ_MIN_FREE >> 20);
	fuzz_halt(c, why);
	return 1;
}

void fuzz_halt(struct campaign *c, const char *why)
{
	if (!c->halt_why)
		c->halt_why = xasprintf("%s", why);
}

void fuzz_keep_pending(struct campaign *c, const char *path, int move)
{
	size_t len;
	char *buf = read_file(path, &len), *dir, *dst;

	/* Before AFL++ starts, the seed in flight stays in OUT/seeds. */
	if (!buf || !len || !c->afl_started) {
		free(buf);
		return;
	}
	dir = path_join(c->o->out, "pending");
	dst = xasprintf("%s/%016llx.bin", dir,
			(unsigned long long)hash_bytes(HASH_INIT, buf, len));
	free(buf);
	if (link(path, dst) == 0 || errno == EEXIST ||
	    (move && rename(path, dst) == 0))
		c->kept_pending++;
	else
		lw_err("cannot keep %s as %s: %s", path, dst, strerror(errno));
	free(dst);
	free(dir);
}

void fuzz_halt_report(const struct campaign *c)
{
	const char *out = c->o->out;

	lw_err("%s; the campaign stops (%u input(s) in flight kept in %s/pending): free space, then 'lwfuzz fuzz --resume -o %s'",
	       c->halt_why, c->kept_pending, out, out);
}
