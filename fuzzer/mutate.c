// SPDX-License-Identifier: GPL-2.0
/*
 * Structure-aware mutation of workloads. An execution costs seconds, so
 * mutants are mostly small: one operation's parameter changed along the
 * lines the kernel cares about (a flag, a mode, a block boundary, a path
 * the workload uses or one next to it), or one operation made concurrent with
 * its neighbours (fork_op), which is how sequential seeds turn into races.
 * Barriers are only ever added in matched pairs with fresh ids, and a
 * mutant whose barriers could deadlock is thrown away.
 */
#include <string.h>

#include "fuzzer/mutate.h"

uint64_t mut_rand(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static int insert_at(struct wl_thread *t, unsigned int at,
		     const struct wl_op *op);

static const uint32_t *site_ids;
static unsigned int nr_sites;

static const struct wl_thread_sites *thread_sites; /* WL_MAX_THREADS */

void wl_mutate_sites(const uint32_t *ids, unsigned int n)
{
	site_ids = ids;
	nr_sites = n;
}

void wl_mutate_thread_sites(const struct wl_thread_sites *ts)
{
	thread_sites = ts;
}

static uint32_t pick(uint64_t *r, uint32_t n)
{
	return n ? mut_rand(r) % n : 0;
}

/* A block-aligned size, biased to small ones: 4K, 8K, ... 1M. */
static uint32_t block_size(uint64_t *r)
{
	return WL_BLOCK << pick(r, 9);
}

/* Fold raw values into a valid op, as decoding would. */
static void make_valid(struct wl_op *op)
{
	wl_op_fold(op);
}

static unsigned int total_ops(const struct workload *w)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < w->nthreads; t++)
		n += w->threads[t].nops;
	return n;
}

/* A uniformly chosen operation of the whole workload; NULL if none. */
static struct wl_op *some_op(struct workload *w, uint64_t *r, unsigned int *tp,
			     unsigned int *ip)
{
	unsigned int k = pick(r, total_ops(w));

	for (unsigned int t = 0; t < w->nthreads; t++) {
		if (k < w->threads[t].nops) {
			*tp = t;
			*ip = k;
			return &w->threads[t].ops[k];
		}
		k -= w->threads[t].nops;
	}
	return NULL;
}

/* A path near @p: a sibling, the parent, a child, or the same name
 * moved under another directory the workload uses. */
static uint16_t path_near(uint16_t p, uint16_t elsewhere, uint64_t *r)
{
	unsigned int n[WL_PATH_DEPTH_MAX], d = wl_path_depth(p);

	for (unsigned int i = 0; i < d; i++)
		n[i] = wl_path_name(p, i);
	switch (pick(r, 4)) {
	case 0: /* a sibling */
		if (!d)
			break;
		n[d - 1] = pick(r, WL_NAMES);
		return wl_path_make(n, d);
	case 1: /* the parent */
		return d > 1 ? wl_path_parent(p) : p;
	case 2: /* a child: d0 -> d0/f1 */
		if (d == WL_PATH_DEPTH_MAX)
			break;
		n[d] = pick(r, WL_NAMES);
		return wl_path_make(n, d + 1);
	default: { /* the last name under another directory */
		unsigned int m[WL_PATH_DEPTH_MAX],
			de = wl_path_depth(elsewhere);

		if (!d || de == WL_PATH_DEPTH_MAX)
			break;
		for (unsigned int i = 0; i < de; i++)
			m[i] = wl_path_name(elsewhere, i);
		m[de] = n[d - 1];
		return wl_path_make(m, de + 1);
	}
	}
	return p;
}

/* A path of some operation of the workload; @fallback when it has none. */
static uint16_t used_path(struct workload *w, uint64_t *r, uint16_t fallback)
{
	unsigned int t, i;
	struct wl_op *op = some_op(w, r, &t, &i);

	if (!op)
		return fallback;
	if ((wl_fields(op->code) & WL_F_PATH2) && pick(r, 2))
		return op->path2;
	if (wl_fields(op->code) & WL_F_PATH)
		return op->path;
	return fallback;
}

/*
 * A path: usually one the workload already uses, so operations meet;
 * sometimes one next to it (a sibling, parent, child, or the name moved
 * to another directory), so the tree grows and changes shape.
 */
static uint16_t some_path(struct workload *w, uint64_t *r)
{
	uint16_t p = used_path(w, r, pick(r, 3));

	if (pick(r, 3) == 0)
		p = path_near(p, used_path(w, r, WL_PATH_TOP), r);
	return p;
}

/* An offset or length another operation of the workload uses. */
static uint32_t some_extent_value(struct workload *w, uint64_t *r, int len)
{
	unsigned int t, i;
	struct wl_op *op = some_op(w, r, &t, &i);

	if (op && (wl_fields(op->code) & (len ? WL_F_LEN : WL_F_OFF)))
		return len ? op->len : op->off;
	return len ? block_size(r) : block_size(r) * pick(r, 64);
}

static int thread_has_barrier(const struct wl_thread *th, unsigned int id)
{
	for (unsigned int i = 0; i < th->nops; i++)
		if (th->ops[i].code == WL_BARRIER && th->ops[i].arg == id)
			return 1;
	return 0;
}

/* A barrier id no thread uses; -1 when all are taken. */
static int free_barrier(const struct workload *w)
{
	for (unsigned int id = 0; id <= WL_MAX_ID; id++) {
		int used = 0;

		for (unsigned int t = 0; t < w->nthreads; t++)
			used |= thread_has_barrier(&w->threads[t], id);
		if (!used)
			return id;
	}
	return -1;
}

/* Delays of a few ms up to the limit; most short, so races stay cheap. */
static uint32_t delay_ms(uint64_t *r)
{
	static const uint32_t ms[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500 };

	return ms[pick(r, sizeof(ms) / sizeof(*ms))];
}

/* The first entry mostly, else one of the next few. */
static uint32_t delay_hit(uint64_t *r)
{
	return pick(r, 2) ? 1 : 2 + pick(r, pick(r, 2) ? 3 : 30);
}

/*
 * A site near @id in the table (same family) or anywhere; @id itself when
 * there is no table or @id is not in it and a fresh pick fails.
 */
static uint32_t delay_site(uint64_t *r, uint32_t id)
{
	unsigned int at = nr_sites;

	if (!nr_sites)
		return id;
	for (unsigned int i = 0; i < nr_sites && id; i++)
		if (site_ids[i] == id)
			at = i;
	if (at < nr_sites && pick(r, 2)) {
		int step = 1 + pick(r, 4);

		at = pick(r, 2) ? at + step : at + nr_sites - step;
		return site_ids[at % nr_sites];
	}
	return site_ids[pick(r, nr_sites)];
}

/*
 * A site for a delay in thread @t: mostly one it ran, else what
 * delay_site() makes of @id. Of those it ran, two in three are functions
 * no other thread ran: the steps of its own operation, between which
 * another thread's can land; a race site is mostly a shared helper
 * (tree search, locking) entered thousands of times.
 */
static uint32_t thread_site(uint64_t *r, unsigned int t, uint32_t id)
{
	const struct wl_thread_sites *ts =
		thread_sites && t < WL_MAX_THREADS ? &thread_sites[t] : NULL;

	if (!ts || !ts->n || !pick(r, 4))
		return delay_site(r, id);
	if (ts->n > ts->nshared && (!ts->nshared || pick(r, 3)))
		return ts->ids[ts->nshared + pick(r, ts->n - ts->nshared)];
	return ts->ids[pick(r, ts->nshared)];
}

/* A new "delay" for thread @t: a site, a time, a hit. */
static void delay_op(uint64_t *r, unsigned int t, struct wl_op *op)
{
	memset(op, 0, sizeof(*op));
	op->code = WL_DELAY;
	op->arg = thread_site(r, t, 0);
	op->len = delay_ms(r);
	op->off = delay_hit(r);
}

static int have_sites(void)
{
	for (unsigned int t = 0; thread_sites && t < WL_MAX_THREADS; t++)
		if (thread_sites[t].n)
			return 1;
	return nr_sites != 0;
}

/* A delay somewhere in a thread (none without any sites). */
static void insert_delay(struct workload *w, uint64_t *r)
{
	unsigned int t = pick(r, w->nthreads);
	struct wl_op op;

	if (!have_sites())
		return;
	delay_op(r, t, &op);
	insert_at(&w->threads[t], pick(r, w->threads[t].nops + 1), &op);
}

static void tweak_delay(struct wl_op *op, unsigned int t, uint64_t *r)
{
	switch (pick(r, 3)) {
	case 0:
		op->arg = thread_site(r, t, op->arg);
		break;
	case 1:
		op->len = pick(r, 2) ? delay_ms(r) :
		       pick(r, 2)    ? op->len * 2 :
				       op->len / 2;
		break;
	default:
		op->off = pick(r, 2) ? delay_hit(r) : op->off + 1;
	}
	make_valid(op);
}

/* A fresh op; never a barrier (those come in pairs from fork_op). */
static void random_op(struct workload *w, uint64_t *r, unsigned int into,
		      struct wl_op *op)
{
	unsigned int t, i;
	struct wl_op *used = pick(r, 2) ? some_op(w, r, &t, &i) : NULL;

	memset(op, 0, sizeof(*op));
	/* Half the time an operation the workload already has: a language
	 * of thirty operations would otherwise drown its own shape. */
	if (used && used->code != WL_BARRIER)
		op->code = used->code;
	else
		do
			op->code = pick(r, WL_NCODES);
		while (op->code == WL_BARRIER);
	if (op->code == WL_DELAY) {
		delay_op(r, into, op);
		return;
	}
	op->path = some_path(w, r);
	op->path2 = some_path(w, r);
	op->flags = pick(r, 32);
	op->off = some_extent_value(w, r, 0);
	op->len = some_extent_value(w, r, 1);
	if (op->code == WL_SLEEP)
		op->arg = 10 * pick(r, 30);
	else if (op->code == WL_CHMOD)
		op->arg = pick(r, 2) ? 0600 : 04755;
	else if (op->code == WL_CLONE || op->code == WL_COPY_RANGE)
		op->arg = some_extent_value(w, r, 0);
	else
		op->arg = pick(r, 4);
	make_valid(op);
}

static int insert_at(struct wl_thread *t, unsigned int at,
		     const struct wl_op *op)
{
	if (t->nops == WL_MAX_OPS || at > t->nops)
		return -1;
	memmove(&t->ops[at + 1], &t->ops[at],
		(t->nops - at) * sizeof(t->ops[0]));
	t->ops[at] = *op;
	t->nops++;
	return 0;
}

static void remove_at(struct wl_thread *t, unsigned int at)
{
	memmove(&t->ops[at], &t->ops[at + 1],
		(t->nops - at - 1) * sizeof(t->ops[0]));
	t->nops--;
}

/* A new random op, or a copy of one the workload has (not a barrier). */
static void insert_op(struct workload *w, uint64_t *r)
{
	unsigned int to = pick(r, w->nthreads), ti, i;
	struct wl_thread *t = &w->threads[to];
	struct wl_op op, *src = pick(r, 2) ? some_op(w, r, &ti, &i) : NULL;

	if (src && src->code != WL_BARRIER)
		op = *src;
	else
		random_op(w, r, to, &op);
	insert_at(t, pick(r, t->nops + 1), &op);
}

static void delete_op(struct workload *w, uint64_t *r)
{
	unsigned int t, i;

	if (some_op(w, r, &t, &i))
		remove_at(&w->threads[t], i);
}

static void swap_ops(struct workload *w, uint64_t *r)
{
	struct wl_thread *t = &w->threads[pick(r, w->nthreads)];
	struct wl_op tmp;
	unsigned int a, b;

	if (t->nops < 2)
		return;
	a = pick(r, t->nops);
	b = pick(r, t->nops);
	tmp = t->ops[a];
	t->ops[a] = t->ops[b];
	t->ops[b] = tmp;
}

/* Move an op to the end of another thread (a new one when there is room). */
static void move_op(struct workload *w, uint64_t *r)
{
	unsigned int ft, at;
	struct wl_op *op = some_op(w, r, &ft, &at), tmp;
	struct wl_thread *to;

	if (!op)
		return;
	if (w->nthreads < WL_MAX_THREADS && pick(r, 3) == 0)
		w->threads[w->nthreads++].nops = 0;
	to = &w->threads[pick(r, w->nthreads)];
	if (to == &w->threads[ft] || to->nops == WL_MAX_OPS ||
	    (op->code == WL_BARRIER && thread_has_barrier(to, op->arg)))
		return;
	tmp = *op;
	remove_at(&w->threads[ft], at);
	to->ops[to->nops++] = tmp;
}

/* Durability points: what a crash-consistency bug races against. */
static int is_sync(const struct wl_op *op)
{
	return op->code == WL_FSYNC || op->code == WL_FDATASYNC ||
	       op->code == WL_SYNCFS || op->code == WL_SYNC;
}

/*
 * Move op @at of thread @ft into a new thread behind a fresh barrier, and
 * put the same barrier @back operations before where it was: the
 * operations in between now race it. @nap_ms delays it into their middle.
 * @persisted: the thread also runs the durability point just before the
 * barrier, so the racing one is the file's second. 1 done, -1 when there
 * is no free barrier or thread, or no room.
 */
static int fork_at(struct workload *w, unsigned int ft, unsigned int at,
		   unsigned int back, unsigned int nap_ms, int persisted)
{
	struct wl_op bar = { .code = WL_BARRIER };
	struct wl_op nap = { .code = WL_SLEEP, .arg = nap_ms };
	struct wl_thread *from = &w->threads[ft], *to;
	struct wl_op op = from->ops[at];
	int id = free_barrier(w);
	unsigned int to_at;

	if (id < 0 || w->nthreads == WL_MAX_THREADS || op.code == WL_BARRIER)
		return -1;
	if (persisted && from->nops >= WL_MAX_OPS)
		return -1;
	to = &w->threads[w->nthreads++];
	to->nops = 0;
	bar.arg = id;
	remove_at(from, at);
	to_at = at > back ? at - back : 0;
	insert_at(from, to_at, &bar);
	if (persisted)
		insert_at(from, to_at, &op);
	to->ops[to->nops++] = bar;
	if (nap_ms)
		to->ops[to->nops++] = nap;
	to->ops[to->nops++] = op;
	return 1;
}

/*
 * Make an operation concurrent with what precedes it in its thread,
 * preferring durability points (fsync, fdatasync): racing them against
 * writes is what crash-consistency bugs are made of.
 */
static void fork_op(struct workload *w, uint64_t *r)
{
	unsigned int ft, at;
	struct wl_op *src = some_op(w, r, &ft, &at);

	for (int tries = 0; src && !is_sync(src) && tries < 8 && pick(r, 4);
	     tries++)
		src = some_op(w, r, &ft, &at);
	if (src)
		fork_at(w, ft, at, 1 + pick(r, 3),
			pick(r, 2) ? 10 * (1 + pick(r, 20)) : 0,
			is_sync(src) && pick(r, 2));
}

/* Where thread @th starts racing: after its first barrier, else at once. */
static unsigned int racing_from(const struct wl_thread *th)
{
	for (unsigned int i = 0; i < th->nops; i++)
		if (th->ops[i].code == WL_BARRIER)
			return i + 1;
	return 0;
}

/* Does thread @th sleep as soon as it races: to let the others go first? */
static int naps_first(const struct wl_thread *th)
{
	unsigned int i = racing_from(th);

	return i < th->nops && th->ops[i].code == WL_SLEEP;
}

/* 1 when @m changes what durability point @d promises. */
static int breaks_promise(const struct wl_op *d, const struct wl_op *m)
{
	unsigned int use = wl_fields(m->code);

	if (d->code == WL_SYNC || d->code == WL_SYNCFS)
		return wl_op_changes(m, m->path) || wl_op_changes(m, m->path2);
	/* A directory's durability point promises its entries too. */
	return wl_op_changes(m, d->path) ||
	       (wl_op_changes(m, m->path) && (use & WL_F_PATH) &&
		wl_path_parent(m->path) == d->path) ||
	       (wl_op_changes(m, m->path2) && (use & WL_F_PATH2) &&
		wl_path_parent(m->path2) == d->path);
}

int wl_races_a_promise(const struct workload *w)
{
	int rank = PROMISE_NONE;

	for (unsigned int a = 0; a < w->nthreads; a++) {
		const struct wl_thread *ta = &w->threads[a];

		for (unsigned int i = racing_from(ta); i < ta->nops; i++) {
			const struct wl_op *d = &ta->ops[i];

			if (!is_sync(d))
				continue;
			for (unsigned int b = 0; b < w->nthreads; b++) {
				const struct wl_thread *tb = &w->threads[b];

				for (unsigned int j = racing_from(tb);
				     b != a && j < tb->nops; j++) {
					if (!breaks_promise(d, &tb->ops[j]))
						continue;
					if (d->code == WL_FSYNC ||
					    d->code == WL_FDATASYNC)
						return PROMISE_FSYNC;
					rank = PROMISE_SYNC;
				}
			}
		}
	}
	return rank;
}

/* The flag values @op could have instead of its own. */
static unsigned int flag_variants(const struct wl_op *op, uint8_t *out)
{
	unsigned int n = 0;

	if (op->code == WL_OPEN)
		for (unsigned int b = 0; b < OPEN_FLAGS; b++)
			out[n++] = op->flags ^ (1u << b);
	else if (op->code == WL_FALLOCATE) {
		/* In order from the default mode; collapse and insert range,
		 * which btrfs does not support, are left to random mutants. */
		for (unsigned int m = 0; m < FALLOC_COLLAPSE_RANGE; m++)
			if (m != op->flags)
				out[n++] = m;
	}
	else if (op->code == WL_RENAME)
		for (unsigned int m = 1; m <= RENAME_NOREPL; m++)
			out[n++] = (op->flags + m) % (RENAME_NOREPL + 1);
	else if (op->code == WL_PWRITE || op->code == WL_PREAD ||
		 op->code == WL_MWRITE)
		out[n++] = op->flags ^ 1u; /* IO_DIRECT, MWRITE_MSYNC */
	else if (op->code == WL_SETXATTR || op->code == WL_REMOVEXATTR)
		for (unsigned int m = 1; m < WL_XATTR_NAMES; m++)
			out[n++] = (op->flags + m) % WL_XATTR_NAMES;
	return n;
}

/* Change one field the op uses, the way the kernel would see a difference. */
static void tweak_op(struct workload *w, uint64_t *r)
{
	unsigned int t, i, use, field;
	struct wl_op *op = some_op(w, r, &t, &i);

	if (op && op->code == WL_DELAY) {
		tweak_delay(op, t, r);
		return;
	}
	if (!op || !(use = wl_fields(op->code)))
		return;
	do
		field = 1u << pick(r, 6);
	while (!(use & field));
	switch (field) {
	case WL_F_PATH:
		op->path = pick(r, 2) ? path_near(op->path, some_path(w, r), r)
				      : some_path(w, r);
		break;
	case WL_F_PATH2:
		op->path2 = pick(r, 2) ? path_near(op->path2, some_path(w, r), r)
				       : some_path(w, r);
		break;
	case WL_F_OFF:
		if (pick(r, 3) == 0)
			op->off = some_extent_value(w, r, 0);
		else if (pick(r, 2))
			op->off += block_size(r);
		else
			op->off = op->off > WL_BLOCK ? op->off / 2 : 0;
		break;
	case WL_F_LEN:
		if (pick(r, 3) == 0)
			op->len = some_extent_value(w, r, 1);
		else
			op->len = pick(r, 2) ? op->len * 2 : op->len / 2;
		break;
	case WL_F_FLAGS: {
		uint8_t v[8];
		unsigned int nv = flag_variants(op, v);

		op->flags = nv ? v[pick(r, nv)] : op->flags + 1;
		break;
	}
	default:
		if (op->code == WL_BARRIER)
			return; /* ids stay paired */
		if (op->code == WL_SLEEP)
			op->arg = 10 * pick(r, 30);
		else if (op->code == WL_CHMOD)
			op->arg ^= 1u << pick(r, 12);
		else if (op->code == WL_CLONE || op->code == WL_COPY_RANGE)
			op->arg = some_extent_value(w, r, 0);
		else
			op->arg++;
	}
	make_valid(op);
}

/*
 * The forks of each durability point, in the order the stage makes them,
 * each kind for every durability point before the next kind (a visit
 * makes only a slice of the stage: the first slices try every point).
 * Napping first: a thread released by a barrier with the others runs its
 * point before they got going (the fork of snapshot.lw's last fsync
 * without its nap was clean in 2 of 2 runs on buggy with the race's
 * delay). Persisted before first, then not: a file's second durability
 * point takes the incremental path (btrfs's fast fsync, the log of what
 * changed since the last), the first the full one (the same fork not
 * persisted was clean in 2 of 2); fstests' fsync tests race the second.
 */
static const struct {
	unsigned char persisted, nap_ms, back;
} sync_forks[] = {
	{ 1, 50, 1 }, { 1, 50, 2 }, { 0, 50, 1 }, { 0, 50, 2 },
	{ 1, 0, 1 },  { 1, 0, 2 },  { 0, 0, 1 },  { 0, 0, 2 },
};

#define SYNC_FORKS (sizeof(sync_forks) / sizeof(sync_forks[0]))

/* Delay stage: sites per racing thread, and how long each stops it. */
#define DET_DELAY_SITES 64
#define DET_DELAY_MS 200

/*
 * The delay stage's sites of thread @t of @w: the functions only it ran
 * (its own operations' steps), an even spread of at most DET_DELAY_SITES;
 * none unless another thread ran btrfs code too (they raced).
 */
static unsigned int det_delay_sites(const struct workload *w, unsigned int t)
{
	unsigned int others = 0, own;

	if (!thread_sites || t >= WL_MAX_THREADS)
		return 0;
	for (unsigned int u = 0; u < w->nthreads && u < WL_MAX_THREADS; u++)
		others += u != t && thread_sites[u].n;
	own = thread_sites[t].n - thread_sites[t].nshared;
	if (!others || !thread_sites[t].n)
		return 0;
	return own < DET_DELAY_SITES ? own : DET_DELAY_SITES;
}

/*
 * The @q-th of @n indexes in coarse-to-fine order: @q's bits reversed
 * over the smallest power of two >= @n (the van der Corput sequence),
 * @n or more for the @q that fall past the end (skipped).
 */
static unsigned int coarse_to_fine(unsigned int q, unsigned int n)
{
	unsigned int bits = 0, r = 0;

	while ((1u << bits) < n)
		bits++;
	if (q >= 1u << bits)
		return n;
	for (unsigned int b = 0; b < bits; b++)
		r |= ((q >> b) & 1u) << (bits - 1 - b);
	return r;
}

/* Thread @t's own site @j of the @nj its delay stage spreads over. */
static uint32_t det_delay_site(unsigned int t, unsigned int j, unsigned int nj)
{
	const struct wl_thread_sites *ts = &thread_sites[t];
	unsigned int own = ts->n - ts->nshared;

	return ts->ids[ts->nshared + (unsigned long)j * own / nj];
}

/*
 * Thread @t stops DET_DELAY_MS at the first entry of its own site @j
 * (of @nj) from right after its first barrier, where it starts racing.
 */
static int det_delay(struct workload *w, unsigned int t, unsigned int j,
		     unsigned int nj)
{
	struct wl_thread *th = &w->threads[t];
	struct wl_op op = { .code = WL_DELAY, .len = DET_DELAY_MS, .off = 1 };

	op.arg = det_delay_site(t, j, nj);
	make_valid(&op);
	return insert_at(th, racing_from(th), &op) ? -1 : 1;
}

static unsigned int count_syncs(const struct workload *w)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < w->nthreads; t++)
		for (unsigned int i = 0; i < w->threads[t].nops; i++)
			n += is_sync(&w->threads[t].ops[i]);
	return n;
}

/* Fork @src's durability point @s (in thread order) the @v-th way. */
static int fork_sync(struct workload *w, const struct workload *src,
		     unsigned int s, unsigned int v)
{
	for (unsigned int t = 0; t < src->nthreads; t++)
		for (unsigned int i = 0; i < src->threads[t].nops; i++) {
			if (!is_sync(&src->threads[t].ops[i]) || s--)
				continue;
			return fork_at(w, t, i, sync_forks[v].back,
				       sync_forks[v].nap_ms,
				       sync_forks[v].persisted);
		}
	return -1;
}

/*
 * Mutant @k of the deterministic stage (counting when @w is NULL): first
 * the delay stage (each racing thread stopped at each of its own sites),
 * then every durability point made concurrent with the one or two
 * operations before it, the ways sync_forks lists (races first: they are
 * what this stage is for),
 * then every other value of every operation's flags; @delays_only: the
 * delay stage alone. Returns 1 when @w became mutant @k, 0 when @k is
 * past the end, -1 when mutant @k cannot be made (no free barrier or
 * thread, a full thread). With @site, a delay mutant @k is not made:
 * *@site says where it stops.
 */
static int det_walk(struct workload *w, const struct workload *src,
		    unsigned int k, unsigned int *count, int delays_only,
		    uint32_t *site)
{
	unsigned int n = 0;
	uint8_t v[8];

	/*
	 * Round robin over the racing threads: each is searched as fast.
	 * Coarse to fine over each thread's sites (0, 1/2, 1/4, 3/4, ...):
	 * a window several functions wide is hit early, and the stage is
	 * served in passes (afl_mutator.c). A thread that naps first is
	 * there to run into the others' middle: they are stopped first.
	 */
	for (int late = 0; late < 2; late++)
		for (unsigned int q = 0; q < DET_DELAY_SITES; q++)
			for (unsigned int t = 0; t < src->nthreads; t++) {
				unsigned int nj = det_delay_sites(src, t);
				unsigned int j = coarse_to_fine(q, nj);

				if (j >= nj ||
				    naps_first(&src->threads[t]) != late)
					continue;
				if (site && k == n) {
					*site = det_delay_site(t, j, nj);
					return 1;
				}
				if (w && k == n)
					return det_delay(w, t, j, nj);
				n++;
			}
	if (!delays_only) {
		unsigned int nsync = count_syncs(src);

		if (w && k >= n && k < n + nsync * SYNC_FORKS)
			return fork_sync(w, src, (k - n) % nsync,
					 (k - n) / nsync);
		n += nsync * SYNC_FORKS;
	}
	for (unsigned int t = 0; t < src->nthreads && !delays_only; t++)
		for (unsigned int i = 0; i < src->threads[t].nops; i++) {
			unsigned int nv =
				flag_variants(&src->threads[t].ops[i], v);

			if (w && k >= n && k < n + nv) {
				w->threads[t].ops[i].flags = v[k - n];
				make_valid(&w->threads[t].ops[i]);
				return 1;
			}
			n += nv;
		}
	if (count)
		*count = n;
	return 0;
}

static unsigned int det_count(const struct workload *w, int delays_only)
{
	unsigned int n = 0;

	det_walk(NULL, w, 0, &n, delays_only, NULL);
	return n;
}

static int det_mutant(struct workload *w, unsigned int k, int delays_only)
{
	struct workload src = *w;
	int ret = det_walk(w, &src, k, NULL, delays_only, NULL);

	if (ret == 1 && wl_barrier_deadlock(w))
		ret = -1;
	if (ret != 1)
		*w = src;
	for (unsigned int t = 0; ret == 1 && t < w->nthreads; t++)
		memset(w->threads[t].line, 0, sizeof(w->threads[t].line));
	return ret;
}

unsigned int wl_det_count(const struct workload *w)
{
	return det_count(w, 0);
}

int wl_det_mutant(struct workload *w, unsigned int k)
{
	return det_mutant(w, k, 0);
}

int wl_det_new_race(const struct workload *src, unsigned int k,
		    const struct workload *mutant)
{
	unsigned int first = det_count(src, 1);

	return k >= first && k < first + count_syncs(src) &&
	       wl_races_a_promise(mutant) > wl_races_a_promise(src);
}

unsigned int wl_delay_stage_count(const struct workload *w)
{
	return det_count(w, 1);
}

int wl_delay_stage_mutant(struct workload *w, unsigned int k)
{
	return det_mutant(w, k, 1);
}

uint32_t wl_delay_stage_site(const struct workload *w, unsigned int k)
{
	uint32_t site = 0;

	if (det_walk(NULL, w, k, NULL, 1, &site) != 1)
		return 0;
	return site;
}

static void splice(struct workload *w, uint64_t *r,
		   const struct workload *other)
{
	const struct wl_thread *src;

	if (!other || !other->nthreads)
		return;
	src = &other->threads[pick(r, other->nthreads)];
	if (w->nthreads < WL_MAX_THREADS && pick(r, 2))
		w->threads[w->nthreads++] = *src;
	else
		w->threads[pick(r, w->nthreads)] = *src;
}

/* Another file system: one mkfs feature, the node size or a mount option. */
static void tweak_fs(struct workload *w, uint64_t *r)
{
	static const uint16_t commits[] = { 0, 1, 5, 30 };

	switch (pick(r, 4)) {
	case 0:
		w->fs.mkfs ^= 1u << pick(r, 4);
		break;
	case 1:
		w->fs.nodesize = pick(r, FS_NODESIZES);
		break;
	case 2:
		w->fs.mount ^= 1u << pick(r, 7);
		break;
	default:
		w->fs.commit = commits[pick(r, 4)];
	}
	wl_fs_fold(&w->fs);
}

static void mutate_once(struct workload *w, uint64_t *r,
			const struct workload *other)
{
	unsigned int k = pick(r, 100);

	if (k < 3)
		tweak_fs(w, r);
	else if (k < 35)
		tweak_op(w, r);
	else if (k < 50)
		insert_op(w, r);
	else if (k < 60)
		delete_op(w, r);
	else if (k < 65)
		swap_ops(w, r);
	else if (k < 70)
		move_op(w, r);
	else if (k < 88)
		fork_op(w, r);
	else if (k < 95)
		splice(w, r, other);
	else
		insert_delay(w, r);
}

/* Drop threads left empty; their barrier partners need them gone. */
static void drop_empty_threads(struct workload *w)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < w->nthreads; t++)
		if (w->threads[t].nops)
			w->threads[n++] = w->threads[t];
	w->nthreads = n ? n : 1;
	if (!n)
		w->threads[0].nops = 0;
}

int wl_mutate(struct workload *w, uint64_t *rng, const struct workload *other)
{
	struct workload orig = *w;
	/* Mostly one mutation: 1/2 one, 1/4 two, 1/8 three, 1/8 four. */
	unsigned int n = 1 + (pick(rng, 2)   ? 0
			      : pick(rng, 2) ? 1
					     : 2 + pick(rng, 2));

	if (!w->nthreads)
		w->nthreads = 1;
	for (unsigned int i = 0; i < n; i++)
		mutate_once(w, rng, other);
	drop_empty_threads(w);
	/* Line numbers belong to the text the workload came from. */
	for (unsigned int t = 0; t < w->nthreads; t++)
		memset(w->threads[t].line, 0, sizeof(w->threads[t].line));
	if (wl_barrier_deadlock(w)) {
		*w = orig;
		return -1;
	}
	return 0;
}
