// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signature.h"

#define MAX_CHECKS 16

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct values of "check": "..." in the report, sorted. */
static size_t checks_of(const char *json, char names[][32], size_t max)
{
	static const char key[] = "\"check\": \"";
	size_t n = 0;

	for (const char *p = strstr(json, key); p && n < max;
	     p = strstr(p + 1, key)) {
		const char *s = p + strlen(key), *e = strchr(s, '"');
		size_t i;

		if (!e || e - s >= 32)
			continue;
		for (i = 0; i < n; i++)
			if (!strncmp(names[i], s, e - s) && !names[i][e - s])
				break;
		if (i == n) {
			memcpy(names[n], s, e - s);
			names[n++][e - s] = '\0';
		}
	}
	return n;
}

/* The operations that shape a workload: no marks, sleeps, barriers. */
static size_t shape_of(const struct workload *w, const char *ops[],
		       unsigned int *threads)
{
	int seen[WL_NCODES][2] = { { 0 } };
	size_t n = 0;

	*threads = 0;
	for (unsigned int t = 0; t < w->nthreads; t++) {
		const struct wl_thread *th = &w->threads[t];

		*threads += th->nops > 0;
		for (unsigned int i = 0; i < th->nops; i++) {
			const struct wl_op *op = &th->ops[i];
			int direct = (op->code == WL_PWRITE ||
				      op->code == WL_PREAD) &&
				     (op->flags & IO_DIRECT);

			if (op->code == WL_MARK || op->code == WL_SLEEP ||
			    op->code == WL_BARRIER || seen[op->code][direct]++)
				continue;
			ops[n++] = direct ? (op->code == WL_PWRITE
						     ? "pwrite-direct"
						     : "pread-direct")
					  : wl_code_name(op->code);
		}
	}
	qsort(ops, n, sizeof(ops[0]), cmp_str);
	return n;
}

int finding_signature(const char *report_json, const struct workload *w,
		      char *sig, size_t len)
{
	char names[MAX_CHECKS][32];
	const char *sorted[MAX_CHECKS], *ops[2 * WL_NCODES];
	size_t nc = checks_of(report_json, names, MAX_CHECKS), no, used = 0;
	unsigned int threads;

	if (!nc)
		return -1;
	for (size_t i = 0; i < nc; i++)
		sorted[i] = names[i];
	qsort(sorted, nc, sizeof(sorted[0]), cmp_str);
	for (size_t i = 0; i < nc && used < len; i++)
		used += snprintf(sig + used, len - used, "%s%s", i ? "+" : "",
				 sorted[i]);
	no = shape_of(w, ops, &threads);
	if (used < len)
		used += snprintf(sig + used, len - used, "/%ut/", threads);
	for (size_t i = 0; i < no && used < len; i++)
		used += snprintf(sig + used, len - used, "%s%s", i ? "," : "",
				 ops[i]);
	return used < len ? 0 : -1;
}
