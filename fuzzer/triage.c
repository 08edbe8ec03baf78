// SPDX-License-Identifier: GPL-2.0
/*
 * `lwfuzz triage` inside. A fix variant differs from its bug variant by the
 * fix alone (kmod-patch/variants), so a finding that shows on the bug
 * variant and in none of the same number of runs on the fix variant is
 * taken for that fix's bug. Races reproduce at a rate: the verdict keeps
 * the counts, and a finding shown in no run on its own variant is not
 * reproduced, never "known".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer/finding_store.h"
#include "fuzzer/triage.h"
#include "lib/fsutil.h"
#include "lib/json_quote.h"
#include "lib/msg.h"
#include "lib/workload_file.h"

static const char *const class_name[] = {
	[TRIAGE_KNOWN] = "known",
	[TRIAGE_UNEXPLAINED] = "unexplained",
	[TRIAGE_UNREPRODUCED] = "unreproduced",
	[TRIAGE_ERROR] = "error",
};

/* The runs on @variant, once per finding: the verdict's tried[] caches. */
static struct triage_try *run_on(const struct layout *l, const char *dir,
				 const struct workload *w,
				 const struct wl_run_params *p, const char *variant,
				 struct triage_verdict *v)
{
	struct wl_run_params q = *p;
	struct triage_try *t;
	char *out;
	int ret;

	for (size_t i = 0; i < v->ntried; i++)
		if (!strcmp(v->tried[i].variant, variant))
			return &v->tried[i];
	if (v->ntried == sizeof(v->tried) / sizeof(v->tried[0]))
		return NULL;
	t = &v->tried[v->ntried++];
	snprintf(t->variant, sizeof(t->variant), "%s", variant);
	q.variant = variant;
	q.quiet = 1;
	out = xasprintf("%s/triage/%s", dir, variant);
	rm_rf(out); /* an earlier triage's runs of this variant */
	printf("triage: %s: %u runs on %s\n", dir, q.runs, variant);
	fflush(stdout);
	ret = workload_run(l, &q, w, out, &t->found);
	t->error = ret == 2;
	if (t->error)
		printf("triage: %s: %s: the runs failed (see %s)\n", dir,
		       variant, out);
	else
		printf("triage: %s: %s: a check failed in %u of %u runs\n",
		       dir, variant, t->found, q.runs);
	fflush(stdout);
	free(out);
	return t;
}

/*
 * Ask the fixes of @bug, then, when each still shows the finding, their
 * own fixes. 1 labelled, 0 not, -1 a run failed.
 */
static int explain(const struct layout *l, const struct patch_set *ps,
		   const char *dir, const struct workload *w,
		   const struct wl_run_params *p, const char *bug,
		   struct triage_verdict *v, unsigned int depth)
{
	int err = 0;

	if (depth > VARIANT_MAX)
		return 0;
	for (size_t i = 0; i < ps->nfixes; i++) {
		const struct known_fix *f = &ps->fixes[i];
		struct triage_try *t;

		if (strcmp(f->bug, bug))
			continue;
		t = run_on(l, dir, w, p, f->fix, v);
		if (!t || t->error) {
			err = 1;
			continue;
		}
		if (t->found == 0) {
			snprintf(v->label, sizeof(v->label), "%s", f->label);
			snprintf(v->via, sizeof(v->via), "%s", f->fix);
			return 1;
		}
	}
	for (size_t i = 0; i < ps->nfixes; i++) {
		const struct known_fix *f = &ps->fixes[i];
		int r;

		if (strcmp(f->bug, bug))
			continue;
		r = explain(l, ps, dir, w, p, f->fix, v, depth + 1);
		if (r)
			return r;
	}
	return err ? -1 : 0;
}

static void write_json(const char *dir, const struct triage_verdict *v)
{
	char *path = path_join(dir, "triage.json"), *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	fprintf(f, "{\n  \"variant\": ");
	json_quote(f, v->variant);
	fprintf(f, ",\n  \"runs\": %u,\n  \"class\": \"%s\",\n  \"label\": ",
		v->runs, class_name[v->class]);
	if (v->label[0])
		json_quote(f, v->label);
	else
		fputs("null", f);
	fprintf(f, ",\n  \"via\": ");
	json_quote(f, v->via);
	fprintf(f, ",\n  \"tried\": [");
	for (size_t i = 0; i < v->ntried; i++) {
		fprintf(f, "%s\n    { \"variant\": ", i ? "," : "");
		json_quote(f, v->tried[i].variant);
		if (v->tried[i].error)
			fprintf(f, ", \"error\": true }");
		else
			fprintf(f, ", \"failed\": %u }", v->tried[i].found);
	}
	fprintf(f, "\n  ]\n}\n");
	fclose(f);
	if (write_file_atomic(path, buf, len))
		lw_warn("cannot write %s: %s", path, strerror(errno));
	free(buf);
	free(path);
}

int triage_finding(const struct layout *l, const char *dir,
		   const char *variant, const struct wl_run_params *p,
		   struct triage_verdict *v)
{
	struct patch_set set = { 0 }, *ps = &set;
	char *min = path_join(dir, "minimized.lw");
	char *wl = path_exists(min) ? min : path_join(dir, "workload.lw");
	char *own = variant ? strdup(variant) : finding_variant(dir);
	struct triage_try *t;
	struct workload w;
	int ret = -1;

	memset(v, 0, sizeof(*v));
	v->runs = p->runs;
	v->class = TRIAGE_ERROR;
	if (!own)
		goto out;
	snprintf(v->variant, sizeof(v->variant), "%s", own);
	/* The fixes known for a finding are those of its kernel series. */
	if (layout_load_patches_for(l, own, ps))
		goto out;
	if (!variant_find(ps, own)) {
		lw_err("%s: its variant %s is not in kmod-patch/variants (%s); name one with -k",
		       dir, own, variant_names(ps));
		goto out;
	}
	if (wl_load_file(wl, &w))
		goto out;
	t = run_on(l, dir, &w, p, own, v);
	if (t && !t->error && t->found == 0)
		v->class = TRIAGE_UNREPRODUCED;
	else if (t && !t->error) {
		int r = explain(l, ps, dir, &w, p, own, v, 0);

		v->class = r > 0 ? TRIAGE_KNOWN
			   : r == 0 ? TRIAGE_UNEXPLAINED
				    : TRIAGE_ERROR;
	}
	write_json(dir, v);
	ret = 0;
out:
	variants_free(ps);
	if (wl != min)
		free(wl);
	free(min);
	free(own);
	return ret;
}

const char *triage_counts(const struct triage_verdict *v, size_t n)
{
	static char buf[128];
	unsigned int c[4] = { 0 };

	for (size_t i = 0; i < n; i++)
		c[v[i].class]++;
	snprintf(buf, sizeof(buf), "%u unexplained, %u not reproduced, %u known",
		 c[1], c[2], c[0]);
	if (c[3])
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 ", %u not triaged (errors)", c[3]);
	return buf;
}

static void print_class(char *const *dirs, const struct triage_verdict *v,
			size_t n, enum triage_class class, const char *title)
{
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].class != class)
			continue;
		if (!any++)
			printf("triage: %s:\n", title);
		printf("  %s (%s: %u of %u runs)\n", dirs[i], v[i].variant,
		       v[i].ntried ? v[i].tried[0].found : 0, v[i].runs);
	}
}

void triage_print_groups(char *const *dirs, const struct triage_verdict *v,
			 size_t n)
{
	char labels[256] = "";

	print_class(dirs, v, n, TRIAGE_UNEXPLAINED,
		    "unexplained (no known fix removes it)");
	print_class(dirs, v, n, TRIAGE_UNREPRODUCED,
		    "not reproduced (no run on its own variant failed)");
	print_class(dirs, v, n, TRIAGE_ERROR, "not triaged (a run failed)");
	for (size_t i = 0; i < n; i++) {
		unsigned int count = 0;
		int first = 1;

		if (v[i].class != TRIAGE_KNOWN)
			continue;
		for (size_t j = 0; j < i; j++)
			first &= !(v[j].class == TRIAGE_KNOWN &&
				   !strcmp(v[j].label, v[i].label));
		if (!first)
			continue;
		printf("triage: known: %s:\n", v[i].label);
		for (size_t j = i; j < n; j++) {
			if (v[j].class != TRIAGE_KNOWN ||
			    strcmp(v[j].label, v[i].label))
				continue;
			count++;
			printf("  %s (%s: %u of %u runs; %s: 0 of %u)\n",
			       dirs[j], v[j].variant, v[j].tried[0].found,
			       v[j].runs, v[j].via, v[j].runs);
		}
		/* The label's words before its parenthesis name it. */
		snprintf(labels + strlen(labels),
			 sizeof(labels) - strlen(labels), "%s%.*s: %u",
			 *labels ? ", " : "",
			 strstr(v[i].label, " (") ?
				 (int)(strstr(v[i].label, " (") - v[i].label) :
				 (int)strlen(v[i].label),
			 v[i].label, count);
	}
	printf("triage: %zu finding(s): %s%s%s%s\n", n, triage_counts(v, n),
	       *labels ? " (" : "", labels, *labels ? ")" : "");
	fflush(stdout);
}
