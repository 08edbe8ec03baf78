// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "lib/workload.h"

static const char *const names[WL_NCODES] = {
	[WL_OPEN] = "open",	      [WL_CLOSE] = "close",
	[WL_FALLOCATE] = "fallocate", [WL_PWRITE] = "pwrite",
	[WL_PREAD] = "pread",	      [WL_FSYNC] = "fsync",
	[WL_FDATASYNC] = "fdatasync", [WL_SYNC] = "sync",
	[WL_TRUNCATE] = "truncate",   [WL_RENAME] = "rename",
	[WL_LINK] = "link",	      [WL_UNLINK] = "unlink",
	[WL_MKDIR] = "mkdir",	      [WL_SUBVOL] = "subvol",
	[WL_SNAPSHOT] = "snapshot",   [WL_TOUCH] = "touch",
	[WL_MARK] = "mark",	      [WL_SLEEP] = "sleep",
	[WL_BARRIER] = "barrier",
};

unsigned int wl_fields(unsigned int code)
{
	static const unsigned int fields[WL_NCODES] = {
		[WL_OPEN] = WL_F_FILE | WL_F_FLAGS,
		[WL_CLOSE] = WL_F_FILE,
		[WL_FALLOCATE] = WL_F_FILE | WL_F_OFF | WL_F_LEN | WL_F_FLAGS,
		[WL_PWRITE] =
			WL_F_FILE | WL_F_OFF | WL_F_LEN | WL_F_FLAGS | WL_F_ARG,
		[WL_PREAD] = WL_F_FILE | WL_F_OFF | WL_F_LEN | WL_F_FLAGS,
		[WL_FSYNC] = WL_F_FILE,
		[WL_FDATASYNC] = WL_F_FILE,
		[WL_SYNC] = 0,
		[WL_TRUNCATE] = WL_F_FILE | WL_F_LEN,
		[WL_RENAME] = WL_F_FILE | WL_F_FILE2,
		[WL_LINK] = WL_F_FILE | WL_F_FILE2,
		[WL_UNLINK] = WL_F_FILE,
		[WL_MKDIR] = WL_F_FILE,
		[WL_SUBVOL] = WL_F_FILE,
		[WL_SNAPSHOT] = WL_F_FILE,
		[WL_TOUCH] = WL_F_FILE,
		[WL_MARK] = WL_F_ARG,
		[WL_SLEEP] = WL_F_ARG,
		[WL_BARRIER] = WL_F_ARG,
	};

	return code < WL_NCODES ? fields[code] : 0;
}

const char *wl_code_name(unsigned int code)
{
	return code < WL_NCODES ? names[code] : "?";
}

static int where(char *why, size_t whylen, const struct wl_thread *t,
		 unsigned int ti, unsigned int i)
{
	if (t->line[i])
		return snprintf(why, whylen, "line %u: ", t->line[i]);
	return snprintf(why, whylen, "thread %u op %u: ", ti, i);
}

/* NULL when @op is valid, else what is wrong with it. */
static const char *op_problem(const struct wl_op *op)
{
	int direct = (op->code == WL_PWRITE || op->code == WL_PREAD) &&
		     (op->flags & IO_DIRECT);

	if (op->code >= WL_NCODES)
		return "unknown operation";
	if (op->file >= WL_FILES || op->file2 >= WL_FILES)
		return "no such file slot (f0..f7)";
	if ((op->code == WL_MKDIR && op->file >= WL_DIRS) ||
	    ((op->code == WL_SUBVOL || op->code == WL_SNAPSHOT) &&
	     op->file >= WL_SUBVOLS))
		return "no such slot (d0..d3, s0..s3)";
	if (op->off >= WL_MAX_OFF)
		return "offset beyond the limit of 64 MiB";
	if (op->len > WL_MAX_LEN && op->code != WL_TRUNCATE)
		return "length beyond the limit of 4 MiB";
	if (op->code == WL_TRUNCATE && op->len >= WL_MAX_OFF)
		return "size beyond the limit of 64 MiB";
	if ((op->code == WL_PWRITE || op->code == WL_PREAD ||
	     op->code == WL_FALLOCATE) &&
	    !op->len)
		return "length 0";
	if (direct && (op->off % WL_BLOCK || op->len % WL_BLOCK))
		return "direct IO needs offset and length multiples of 4096";
	if (op->code == WL_SLEEP && op->arg > WL_MAX_SLEEP_MS)
		return "sleep beyond the limit of 2000 ms";
	if ((op->code == WL_MARK || op->code == WL_BARRIER) &&
	    op->arg > WL_MAX_ID)
		return "id beyond 15";
	if (op->code == WL_OPEN && (op->flags & ~OPEN_MASK))
		return "unknown open flags";
	if (op->code == WL_FALLOCATE && op->flags > FALLOC_ZERO_RANGE)
		return "unknown fallocate mode";
	if ((op->code == WL_PWRITE || op->code == WL_PREAD) &&
	    (op->flags & ~IO_DIRECT))
		return "unknown flags";
	return NULL;
}

int wl_validate(const struct workload *w, char *why, size_t whylen)
{
	if (!w->nthreads || w->nthreads > WL_MAX_THREADS) {
		snprintf(why, whylen, "a workload has 1 to %d threads",
			 WL_MAX_THREADS);
		return -1;
	}
	for (unsigned int t = 0; t < w->nthreads; t++) {
		const struct wl_thread *th = &w->threads[t];

		for (unsigned int i = 0; i < th->nops; i++) {
			const char *p = op_problem(&th->ops[i]);

			if (!p)
				continue;
			int n = where(why, whylen, th, t, i);

			snprintf(why + n, whylen - n, "%s: %s",
				 wl_code_name(th->ops[i].code), p);
			return -1;
		}
	}
	return 0;
}

int wl_equal(const struct workload *a, const struct workload *b)
{
	if (a->nthreads != b->nthreads)
		return 0;
	for (unsigned int t = 0; t < a->nthreads; t++) {
		const struct wl_thread *x = &a->threads[t], *y = &b->threads[t];

		if (x->nops != y->nops)
			return 0;
		for (unsigned int i = 0; i < x->nops; i++)
			if (memcmp(&x->ops[i], &y->ops[i], sizeof(x->ops[i])))
				return 0;
	}
	return 1;
}

void wl_pattern(uint32_t seed, uint64_t off, void *buf, size_t len)
{
	unsigned char *p = buf;

	for (size_t i = 0; i < len; i++) {
		uint64_t pos = off + i;
		/* splitmix64 of (seed, 8-byte word): cheap and reproducible */
		uint64_t z = ((uint64_t)seed << 40) ^ (pos >> 3);

		z += 0x9e3779b97f4a7c15ULL;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		p[i] = (unsigned char)(z >> ((pos & 7) * 8));
	}
}

/*
 * Barrier N releases when every thread that has a "barrier N" waits at
 * one. Run the threads' barrier sequences against each other: a state
 * where some thread is still waiting and no barrier can release is a
 * deadlock (two barriers in opposite orders, one id twice in a thread).
 */
int wl_barrier_deadlock(const struct workload *w)
{
	unsigned int pos[WL_MAX_THREADS] = { 0 },
		     parties[WL_MAX_ID + 1] = { 0 };

	for (unsigned int t = 0; t < w->nthreads; t++) {
		int seen[WL_MAX_ID + 1] = { 0 };

		for (unsigned int i = 0; i < w->threads[t].nops; i++) {
			const struct wl_op *op = &w->threads[t].ops[i];

			if (op->code == WL_BARRIER && op->arg <= WL_MAX_ID &&
			    !seen[op->arg]++)
				parties[op->arg]++;
		}
	}
	for (;;) {
		unsigned int waiting[WL_MAX_ID + 1] = { 0 }, blocked = 0;
		int progress = 0;

		for (unsigned int t = 0; t < w->nthreads; t++) {
			const struct wl_thread *th = &w->threads[t];

			while (pos[t] < th->nops &&
			       th->ops[pos[t]].code != WL_BARRIER)
				pos[t]++;
			if (pos[t] < th->nops) {
				waiting[th->ops[pos[t]].arg %
					(WL_MAX_ID + 1)]++;
				blocked++;
			}
		}
		if (!blocked)
			return 0;
		for (unsigned int t = 0; t < w->nthreads; t++) {
			const struct wl_thread *th = &w->threads[t];
			unsigned int id;

			if (pos[t] >= th->nops)
				continue;
			id = th->ops[pos[t]].arg % (WL_MAX_ID + 1);
			if (waiting[id] == parties[id]) {
				pos[t]++;
				progress = 1;
			}
		}
		if (!progress)
			return 1;
	}
}
