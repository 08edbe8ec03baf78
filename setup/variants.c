// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setup/variants.h"

/* Next non-comment line's first two words; returns 0 at the end. */
static int next_words(const char **pos, unsigned int *lineno, char *w1,
		      size_t l1, char *w2, size_t l2, int *nwords)
{
	while (**pos) {
		const char *line = *pos, *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512];

		*pos = end ? end + 1 : line + len;
		(*lineno)++;
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		char *hash = strchr(buf, '#');

		if (hash)
			*hash = '\0';
		char fmt[32];

		snprintf(fmt, sizeof(fmt), "%%%zus %%%zus %%c", l1 - 1, l2 - 1);
		char extra;

		*nwords = sscanf(buf, fmt, w1, w2, &extra);
		if (*nwords > 0)
			return 1;
	}
	return 0;
}

static int parse_series(struct patch_set *ps, const char *text, char *why,
			size_t whylen)
{
	char w1[256], w2[8];
	unsigned int lineno = 0;
	int nw;

	while (next_words(&text, &lineno, w1, sizeof(w1), w2, sizeof(w2),
			  &nw)) {
		if (nw != 1 || strchr(w1, '/') || ps->nseries == PATCH_MAX) {
			snprintf(
				why, whylen,
				"kmod-patch/series line %u: expected one patch file name",
				lineno);
			return -1;
		}
		ps->series[ps->nseries] = strdup(w1);
		if (!ps->series[ps->nseries++])
			abort();
	}
	return 0;
}

static long series_index(const struct patch_set *ps, const char *patch)
{
	if (!strcmp(patch, "-"))
		return 0;
	for (size_t i = 0; i < ps->nseries; i++)
		if (!strcmp(ps->series[i], patch))
			return (long)i + 1;
	return -1;
}

int variants_parse(struct patch_set *ps, const char *series_text,
		   const char *variants_text, char *why, size_t whylen)
{
	char name[32], last[256];
	unsigned int lineno = 0;
	int nw;

	memset(ps, 0, sizeof(*ps));
	if (parse_series(ps, series_text, why, whylen))
		goto err;
	while (next_words(&variants_text, &lineno, name, sizeof(name), last,
			  sizeof(last), &nw)) {
		long idx = nw == 2 ? series_index(ps, last) : -1;

		if (nw != 2 || ps->nvariants == VARIANT_MAX) {
			snprintf(
				why, whylen,
				"kmod-patch/variants line %u: expected 'NAME LAST-PATCH|-'",
				lineno);
			goto err;
		}
		if (idx < 0) {
			snprintf(
				why, whylen,
				"kmod-patch/variants line %u: %s is not in kmod-patch/series",
				lineno, last);
			goto err;
		}
		if (variant_find(ps, name)) {
			snprintf(
				why, whylen,
				"kmod-patch/variants line %u: %s defined twice",
				lineno, name);
			goto err;
		}
		struct variant *v = &ps->variants[ps->nvariants++];

		snprintf(v->name, sizeof(v->name), "%s", name);
		v->npatches = idx;
	}
	if (!ps->nvariants) {
		snprintf(why, whylen, "kmod-patch/variants defines no variant");
		goto err;
	}
	return 0;
err:
	variants_free(ps);
	return -1;
}

void variants_free(struct patch_set *ps)
{
	for (size_t i = 0; i < ps->nseries; i++)
		free(ps->series[i]);
	ps->nseries = 0;
	ps->nvariants = 0;
}

const struct variant *variant_find(const struct patch_set *ps, const char *name)
{
	for (size_t i = 0; i < ps->nvariants; i++)
		if (!strcmp(ps->variants[i].name, name))
			return &ps->variants[i];
	return NULL;
}

const char *variant_names(const struct patch_set *ps)
{
	static char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ps->nvariants && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? ", " : "", ps->variants[i].name);
	return buf;
}

void variant_of_prefix(const struct patch_set *ps, size_t k,
		       struct variant *out)
{
	for (size_t i = 0; i < ps->nvariants; i++) {
		if (ps->variants[i].npatches == k) {
			*out = ps->variants[i];
			return;
		}
	}
	snprintf(out->name, sizeof(out->name), "series-%zu", k);
	out->npatches = k;
}

int variant_lookup(const struct patch_set *ps, const char *name,
		   struct variant *out)
{
	const struct variant *v = variant_find(ps, name);
	const char *digits = name + strlen("series-");
	char *end;
	unsigned long k;

	if (v) {
		*out = *v;
		return 0;
	}
	if (strncmp(name, "series-", strlen("series-")) || *digits < '0' ||
	    *digits > '9')
		return -1;
	k = strtoul(digits, &end, 10);
	if (*end || k > ps->nseries)
		return -1;
	variant_of_prefix(ps, k, out);
	/* "series-4" where buggy is 4 patches: that cache entry is "buggy". */
	return strcmp(out->name, name) ? -1 : 0;
}
