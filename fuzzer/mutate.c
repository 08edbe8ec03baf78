// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "mutate.h"

uint64_t mut_rand(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
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

/* Fold raw values into a valid op by a round trip through the codec. */
static void make_valid(struct wl_op *op)
{
	struct workload w = { .nthreads = 1 };
	unsigned char buf[4 + 1 + 16];

	w.threads[0].nops = 1;
	w.threads[0].ops[0] = *op;
	/* The encoder copies raw values; the decoder folds them. */
	if (wl_encode(&w, buf, sizeof(buf)) && !wl_decode(buf, sizeof(buf), &w))
		*op = w.threads[0].ops[0];
}

static void random_op(uint64_t *r, struct wl_op *op)
{
	memset(op, 0, sizeof(*op));
	op->code = pick(r, WL_NCODES);
	op->file = pick(r, 3); /* few files: ops meet on the same ones */
	op->file2 = pick(r, 3);
	op->flags = pick(r, 16);
	op->off = block_size(r) * pick(r, 64);
	op->len = block_size(r);
	op->arg = op->code == WL_SLEEP ? 10 * pick(r, 30) : pick(r, 4);
	make_valid(op);
}

static struct wl_thread *some_thread(struct workload *w, uint64_t *r)
{
	return &w->threads[pick(r, w->nthreads)];
}

static void insert_op(struct workload *w, uint64_t *r)
{
	struct wl_thread *t = some_thread(w, r);
	unsigned int at;

	if (t->nops == WL_MAX_OPS)
		return;
	at = pick(r, t->nops + 1);
	memmove(&t->ops[at + 1], &t->ops[at],
		(t->nops - at) * sizeof(t->ops[0]));
	random_op(r, &t->ops[at]);
	t->nops++;
}

static void delete_op(struct workload *w, uint64_t *r)
{
	struct wl_thread *t = some_thread(w, r);
	unsigned int at;

	if (!t->nops)
		return;
	at = pick(r, t->nops);
	memmove(&t->ops[at], &t->ops[at + 1],
		(t->nops - at - 1) * sizeof(t->ops[0]));
	t->nops--;
}

static void swap_ops(struct workload *w, uint64_t *r)
{
	struct wl_thread *t = some_thread(w, r);
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

/* Move an op to another thread (a new one when there is room). */
static void move_op(struct workload *w, uint64_t *r)
{
	struct wl_thread *from = some_thread(w, r), *to;
	struct wl_op op;
	unsigned int at;

	if (!from->nops)
		return;
	if (w->nthreads < WL_MAX_THREADS && pick(r, 3) == 0)
		w->threads[w->nthreads++].nops = 0;
	to = some_thread(w, r);
	if (to == from || to->nops == WL_MAX_OPS)
		return;
	at = pick(r, from->nops);
	op = from->ops[at];
	memmove(&from->ops[at], &from->ops[at + 1],
		(from->nops - at - 1) * sizeof(op));
	from->nops--;
	to->ops[to->nops++] = op;
}

/* Offsets and lengths along block boundaries; flags flipped. */
static void tweak_op(struct workload *w, uint64_t *r)
{
	struct wl_thread *t = some_thread(w, r);
	struct wl_op *op;

	if (!t->nops)
		return;
	op = &t->ops[pick(r, t->nops)];
	switch (pick(r, 5)) {
	case 0:
		op->off = pick(r, 2) ? op->off + block_size(r)
				     : (op->off > WL_BLOCK ? op->off / 2 : 0);
		break;
	case 1:
		op->len = pick(r, 2) ? op->len * 2 : op->len / 2;
		break;
	case 2:
		op->flags ^= 1u << pick(r, 4);
		break;
	case 3:
		op->file = pick(r, WL_FILES);
		break;
	default:
		op->arg = pick(r, 2) ? op->arg + 1 : pick(r, 200);
	}
	make_valid(op);
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
		*some_thread(w, r) = *src;
}

void wl_mutate(struct workload *w, uint64_t *rng, const struct workload *other)
{
	unsigned int n = 1 + pick(rng, 4);

	if (!w->nthreads)
		w->nthreads = 1;
	for (unsigned int i = 0; i < n; i++) {
		switch (pick(rng, 8)) {
		case 0:
		case 1:
			insert_op(w, rng);
			break;
		case 2:
			delete_op(w, rng);
			break;
		case 3:
			swap_ops(w, rng);
			break;
		case 4:
			move_op(w, rng);
			break;
		case 5:
			splice(w, rng, other);
			break;
		default:
			tweak_op(w, rng);
		}
	}
	/* Line numbers belong to the text the workload came from. */
	for (unsigned int t = 0; t < w->nthreads; t++)
		memset(w->threads[t].line, 0, sizeof(w->threads[t].line));
}
