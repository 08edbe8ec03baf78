// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer/signature.h"
#include "lib/report.h"

#define MAX_CHECKS 16

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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
	const char *names[MAX_CHECKS];
	struct report r;
	size_t nc, used = 0;

	if (report_parse(report_json, strlen(report_json), &r, NULL, 0))
		return -1;
	nc = report_check_names(&r, names, MAX_CHECKS);
	qsort(names, nc, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < nc && used < len; i++)
		used += snprintf(sig + used, len - used, "%s%s", i ? "+" : "",
				 names[i]);
	if (nc)
		used = add_shape(w, sig, len, used);
	report_free(&r);
	return nc && used < len ? 0 : -1;
}
