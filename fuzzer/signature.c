// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer/signature.h"

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

static size_t add_shape(const struct workload *w, char *sig, size_t len,
			size_t used)
{
	const char *ops[2 * WL_NCODES] = { 0 };
	unsigned int threads;
	size_t no = shape_of(w, ops, &threads);

	if (used < len)
		used += snprintf(sig + used, len - used, "/%ut/", threads);
	for (size_t i = 0; i < no && used < len; i++)
		used += snprintf(sig + used, len - used, "%s%s", i ? "," : "",
				 ops[i]);
	return used;
}

/*
 * The console's first line that says what went wrong, without its time
 * stamp and with hex numbers (addresses, offsets) blanked out.
 */
static void headline(const char *console, char *out, size_t len)
{
	static const char *const keys[] = {
		"kernel BUG at", "BUG:",	 "Oops",
		"WARNING:",	 "Kernel panic", "HANG: "
	};
	const char *hit = NULL, *end;
	size_t n = 0;

	for (size_t k = 0; console && k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *p = strstr(console, keys[k]);

		if (p && (!hit || p < hit))
			hit = p;
	}
	if (!hit) {
		snprintf(out, len, "no message");
		return;
	}
	end = strchr(hit, '\n');
	end = end ? end : hit + strlen(hit);
	for (const char *p = hit; p < end && n + 1 < len; p++) {
		if (p[0] == '0' && p[1] == 'x') {
			while (p + 1 < end && isxdigit((unsigned char)p[2]))
				p++;
			out[n++] = '#';
			p++;
			continue;
		}
		if (*p != '\r')
			out[n++] = *p == '/' ? '_' : *p;
	}
	out[n] = 0;
}

int kernel_signature(const char *kind, const char *console,
		     const struct workload *w, char *sig, size_t len)
{
	char head[160];
	size_t used;

	headline(console, head, sizeof(head));
	used = snprintf(sig, len, "%s: %s", kind, head);
	used = add_shape(w, sig, len, used);
	return used < len ? 0 : -1;
}

int finding_signature(const char *report_json, const struct workload *w,
		      char *sig, size_t len)
{
	char names[MAX_CHECKS][32];
	const char *sorted[MAX_CHECKS];
	size_t nc = checks_of(report_json, names, MAX_CHECKS), used = 0;

	if (!nc)
		return -1;
	for (size_t i = 0; i < nc; i++)
		sorted[i] = names[i];
	qsort(sorted, nc, sizeof(sorted[0]), cmp_str);
	for (size_t i = 0; i < nc && used < len; i++)
		used += snprintf(sig + used, len - used, "%s%s", i ? "+" : "",
				 sorted[i]);
	used = add_shape(w, sig, len, used);
	return used < len ? 0 : -1;
}
