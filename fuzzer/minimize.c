// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "fuzzer/minimize.h"

/* Try @cand: keep it in @w when it still fails. -1 on oracle error. */
static int try(struct workload *w, const struct workload *cand,
	       wl_oracle still_fails, void *arg, struct minimize_stats *st)
{
	int r;

	if (wl_equal(w, cand))
		return 0;
	st->trials++;
	r = still_fails(cand, arg);
	if (r == 1) {
		*w = *cand;
		st->accepted++;
	}
	return r < 0 ? -1 : r;
}

static void drop_thread(struct workload *w, unsigned int t)
{
	memmove(&w->threads[t], &w->threads[t + 1],
		(w->nthreads - t - 1) * sizeof(w->threads[0]));
	w->nthreads--;
}

static void drop_ops(struct wl_thread *th, unsigned int at, unsigned int n)
{
	memmove(&th->ops[at], &th->ops[at + n],
		(th->nops - at - n) * sizeof(th->ops[0]));
	memmove(&th->line[at], &th->line[at + n],
		(th->nops - at - n) * sizeof(th->line[0]));
	th->nops -= n;
}

static int threads_pass(struct workload *w, wl_oracle f, void *arg,
			struct minimize_stats *st)
{
	for (unsigned int t = 0; w->nthreads > 1 && t < w->nthreads;) {
		struct workload cand = *w;

		drop_thread(&cand, t);
		int r = try(w, &cand, f, arg, st);

		if (r < 0)
			return -1;
		if (!r)
			t++;
	}
	return 0;
}

/* ddmin-style: chunks of ops, halving the chunk size. */
static int ops_pass(struct workload *w, wl_oracle f, void *arg,
		    struct minimize_stats *st)
{
	for (unsigned int t = 0; t < w->nthreads; t++) {
		for (unsigned int chunk = w->threads[t].nops / 2; chunk;
		     chunk /= 2) {
			for (unsigned int at = 0;
			     at + chunk <= w->threads[t].nops;) {
				struct workload cand = *w;

				drop_ops(&cand.threads[t], at, chunk);
				int r = try(w, &cand, f, arg, st);

				if (r < 0)
					return -1;
				if (!r)
					at += chunk;
			}
			if (chunk == 1)
				break;
		}
	}
	return 0;
}

/* Halve lengths (block-aligned) while the finding stays. */
static int lens_pass(struct workload *w, wl_oracle f, void *arg,
		     struct minimize_stats *st)
{
	for (unsigned int t = 0; t < w->nthreads; t++) {
		for (unsigned int i = 0; i < w->threads[t].nops; i++) {
			for (;;) {
				struct workload cand = *w;
				struct wl_op *op = &cand.threads[t].ops[i];
				uint32_t half = op->len / 2;

				if (!(wl_fields(op->code) & WL_F_LEN) ||
				    half < WL_BLOCK || half % WL_BLOCK)
					break;
				op->len = half;
				int r = try(w, &cand, f, arg, st);

				if (r < 0)
					return -1;
				if (!r)
					break;
			}
		}
	}
	return 0;
}

int wl_minimize(struct workload *w, wl_oracle still_fails, void *arg,
		struct minimize_stats *st)
{
	struct minimize_stats dummy;

	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (threads_pass(w, still_fails, arg, st) ||
	    ops_pass(w, still_fails, arg, st) ||
	    lens_pass(w, still_fails, arg, st))
		return -1;
	return 0;
}
