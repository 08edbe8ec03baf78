// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "lib/workload.h"

static const char *const names[WL_NCODES] = {
	[WL_OPEN] = "open",
	[WL_CLOSE] = "close",
	[WL_FALLOCATE] = "fallocate",
	[WL_PWRITE] = "pwrite",
	[WL_PREAD] = "pread",
	[WL_MWRITE] = "mwrite",
	[WL_FSYNC] = "fsync",
	[WL_FDATASYNC] = "fdatasync",
	[WL_SYNC_RANGE] = "sync_file_range",
	[WL_SYNC] = "sync",
	[WL_SYNCFS] = "syncfs",
	[WL_TRUNCATE] = "truncate",
	[WL_RENAME] = "rename",
	[WL_LINK] = "link",
	[WL_UNLINK] = "unlink",
	[WL_MKDIR] = "mkdir",
	[WL_RMDIR] = "rmdir",
	[WL_SYMLINK] = "symlink",
	[WL_TMPFILE] = "tmpfile",
	[WL_LINKAT] = "linkat",
	[WL_SETXATTR] = "setxattr",
	[WL_REMOVEXATTR] = "removexattr",
	[WL_CHMOD] = "chmod",
	[WL_CLONE] = "clone",
	[WL_COPY_RANGE] = "copy_range",
	[WL_SUBVOL] = "subvol",
	[WL_SNAPSHOT] = "snapshot",
	[WL_TOUCH] = "touch",
	[WL_MARK] = "mark",
	[WL_SLEEP] = "sleep",
	[WL_BARRIER] = "barrier",
	[WL_DELAY] = "delay",
};

#define P WL_F_PATH
#define P2 WL_F_PATH2
#define RANGE (WL_F_OFF | WL_F_LEN)

unsigned int wl_fields(unsigned int code)
{
	static const unsigned int fields[WL_NCODES] = {
		[WL_OPEN] = P | WL_F_FLAGS,
		[WL_CLOSE] = P,
		[WL_FALLOCATE] = P | RANGE | WL_F_FLAGS,
		[WL_PWRITE] = P | RANGE | WL_F_FLAGS | WL_F_ARG,
		[WL_PREAD] = P | RANGE | WL_F_FLAGS,
		[WL_MWRITE] = P | RANGE | WL_F_FLAGS | WL_F_ARG,
		[WL_FSYNC] = P,
		[WL_FDATASYNC] = P,
		[WL_SYNC_RANGE] = P | RANGE,
		[WL_SYNC] = 0,
		[WL_SYNCFS] = 0,
		[WL_TRUNCATE] = P | WL_F_LEN,
		[WL_RENAME] = P | P2 | WL_F_FLAGS,
		[WL_LINK] = P | P2,
		[WL_UNLINK] = P,
		[WL_MKDIR] = P,
		[WL_RMDIR] = P,
		[WL_SYMLINK] = P | P2,
		[WL_TMPFILE] = P,
		[WL_LINKAT] = P,
		[WL_SETXATTR] = P | WL_F_FLAGS | WL_F_LEN | WL_F_ARG,
		[WL_REMOVEXATTR] = P | WL_F_FLAGS,
		[WL_CHMOD] = P | WL_F_ARG,
		[WL_CLONE] = P | P2 | RANGE | WL_F_ARG,
		[WL_COPY_RANGE] = P | P2 | RANGE | WL_F_ARG,
		[WL_SUBVOL] = P,
		[WL_SNAPSHOT] = P,
		[WL_TOUCH] = P,
		[WL_MARK] = WL_F_ARG,
		[WL_SLEEP] = WL_F_ARG,
		[WL_BARRIER] = WL_F_ARG,
		/* Its off and len are a hit count and a time, not a range. */
		[WL_DELAY] = WL_F_ARG,
	};

	return code < WL_NCODES ? fields[code] : 0;
}

#undef P
#undef P2
#undef RANGE

int wl_op_changes(const struct wl_op *op, uint16_t path)
{
	unsigned int use = wl_fields(op->code);

	switch (op->code) {
	case WL_PREAD:
	case WL_FSYNC:
	case WL_FDATASYNC:
	case WL_SYNC_RANGE:
	case WL_CLOSE:
	case WL_TOUCH:
	case WL_MARK:
	case WL_SLEEP:
	case WL_BARRIER:
	case WL_DELAY:
		return 0;
	case WL_OPEN: /* a reopen changes nothing */
		if (!(op->flags & (OPEN_CREAT | OPEN_TRUNC | OPEN_NOCOW)))
			return 0;
		break;
	}
	return ((use & WL_F_PATH) && wl_path_within(path, op->path)) ||
	       ((use & WL_F_PATH2) && wl_path_within(path, op->path2));
}

int wl_word_index(const char *w, const char *const *words, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (words[i][0] && !strcmp(w, words[i]))
			return i;
	return -1;
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

static int aligned(uint32_t v)
{
	return !(v % WL_BLOCK);
}

/* The flags an op may carry: a mask, or a count of values (modes). */
static const char *flags_problem(const struct wl_op *op)
{
	switch (op->code) {
	case WL_OPEN:
		return op->flags & ~OPEN_MASK ? "unknown open flags" : NULL;
	case WL_FALLOCATE:
		return op->flags >= FALLOC_MODES ? "unknown fallocate mode" :
						   NULL;
	case WL_PWRITE:
	case WL_PREAD:
	case WL_MWRITE: /* IO_DIRECT, MWRITE_MSYNC: bit 0 */
		return op->flags & ~1u ? "unknown flags" : NULL;
	case WL_RENAME:
		return op->flags > RENAME_NOREPL ? "unknown rename flags" :
						   NULL;
	case WL_SETXATTR:
	case WL_REMOVEXATTR:
		return op->flags >= WL_XATTR_NAMES ? "no such xattr (x0..x3)" :
						     NULL;
	}
	return op->flags ? "unexpected flags" : NULL;
}

/* NULL when @op is valid, else what is wrong with it. */
static const char *op_problem(const struct wl_op *op)
{
	unsigned int use;
	int direct = (op->code == WL_PWRITE || op->code == WL_PREAD) &&
		     (op->flags & IO_DIRECT);

	if (op->code >= WL_NCODES)
		return "unknown operation";
	if (op->code == WL_DELAY) {
		if (op->path || op->path2 || op->flags)
			return "malformed delay";
		if (op->len < 1 || op->len > WL_MAX_DELAY_MS)
			return "a delay is 1 to 1000 ms";
		if (op->off < 1 || op->off > WL_MAX_DELAY_HIT)
			return "hit is 1 to 1000";
		return NULL;
	}
	use = wl_fields(op->code);
	if (wl_path_fold(op->path) != op->path ||
	    wl_path_fold(op->path2) != op->path2)
		return "malformed path";
	if (((use & WL_F_PATH) || (use & WL_F_PATH2)) &&
	    op->code != WL_FSYNC && op->code != WL_FDATASYNC &&
	    ((op->path == WL_PATH_TOP && (use & WL_F_PATH)) ||
	     (op->path2 == WL_PATH_TOP && (use & WL_F_PATH2))))
		return "'.' is only for fsync and fdatasync";
	if (op->off >= WL_MAX_OFF)
		return "offset beyond the limit of 64 MiB";
	if (op->code == WL_TRUNCATE) {
		if (op->len >= WL_MAX_OFF)
			return "size beyond the limit of 64 MiB";
	} else if (op->code == WL_SETXATTR) {
		if (op->len > WL_MAX_XATTR)
			return "xattr value beyond 4000 bytes";
	} else if (op->len > WL_MAX_LEN) {
		return "length beyond the limit of 4 MiB";
	}
	if ((use & WL_F_LEN) && op->code != WL_TRUNCATE &&
	    op->code != WL_SETXATTR && !op->len)
		return "length 0";
	if (direct && (!aligned(op->off) || !aligned(op->len)))
		return "direct IO needs offset and length multiples of 4096";
	if (op->code == WL_CLONE &&
	    (!aligned(op->off) || !aligned(op->len) || !aligned(op->arg)))
		return "clone needs offsets and length multiples of 4096";
	if ((op->code == WL_CLONE || op->code == WL_COPY_RANGE) &&
	    op->arg >= WL_MAX_OFF)
		return "destination offset beyond the limit of 64 MiB";
	if (op->code == WL_SLEEP && op->arg > WL_MAX_SLEEP_MS)
		return "sleep beyond the limit of 2000 ms";
	if ((op->code == WL_MARK || op->code == WL_BARRIER) &&
	    op->arg > WL_MAX_ID)
		return "id beyond 15";
	if (op->code == WL_CHMOD && op->arg > WL_MAX_MODE)
		return "mode beyond 07777";
	return flags_problem(op);
}

int wl_validate(const struct workload *w, char *why, size_t whylen)
{
	struct wl_fs fs = w->fs;

	wl_fs_fold(&fs);
	if (fs.mkfs != w->fs.mkfs || fs.nodesize != w->fs.nodesize ||
	    fs.mount != w->fs.mount || fs.commit != w->fs.commit) {
		snprintf(why, whylen, "invalid mkfs or mount options");
		return -1;
	}
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
	if (a->nthreads != b->nthreads || a->fs.mkfs != b->fs.mkfs ||
	    a->fs.nodesize != b->fs.nodesize || a->fs.mount != b->fs.mount ||
	    a->fs.commit != b->fs.commit)
		return 0;
	for (unsigned int t = 0; t < a->nthreads; t++) {
		const struct wl_thread *x = &a->threads[t], *y = &b->threads[t];

		if (x->nops != y->nops)
			return 0;
		for (unsigned int i = 0; i < x->nops; i++) {
			const struct wl_op *o = &x->ops[i], *p = &y->ops[i];

			if (o->code != p->code || o->flags != p->flags ||
			    o->path != p->path || o->path2 != p->path2 ||
			    o->off != p->off || o->len != p->len ||
			    o->arg != p->arg)
				return 0;
		}
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
