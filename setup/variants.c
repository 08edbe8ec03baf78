// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setup/variants.h"

#define MAX_WORDS (PATCH_MAX + 3)

/* The next line with words (comments dropped); 0 at the end. */
static int next_line(const char **pos, unsigned int *lineno, char *buf,
		     size_t len, char **words, int *nwords)
{
	while (**pos) {
		const char *line = *pos, *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		char *save = NULL;

		*pos = end ? end + 1 : line + n;
		(*lineno)++;
		if (n >= len)
			n = len - 1;
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (strchr(buf, '#'))
			*strchr(buf, '#') = '\0';
		*nwords = 0;
		for (char *w = strtok_r(buf, " \t\r", &save);
		     w && *nwords < MAX_WORDS; w = strtok_r(NULL, " \t\r", &save))
			words[(*nwords)++] = w;
		if (*nwords)
			return 1;
	}
	return 0;
}

static int parse_series(struct patch_set *ps, const char *text, char *why,
			size_t whylen)
{
	char buf[512], *w[MAX_WORDS];
	unsigned int lineno = 0;
	int nw;

	while (next_line(&text, &lineno, buf, sizeof(buf), w, &nw)) {
		if (nw != 1 || strchr(w[0], '/') || ps->nseries == PATCH_MAX) {
			snprintf(
				why, whylen,
				"kmod-patch/series line %u: expected one patch file name",
				lineno);
			return -1;
		}
		ps->series[ps->nseries] = strdup(w[0]);
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

const char *variant_patch(const struct patch_set *ps, const struct variant *v,
			  size_t i)
{
	unsigned int k = v->patch[i];

	return k < PATCH_MAX ? ps->series[k] : ps->extra[k - PATCH_MAX];
}

static void set_prefix(struct variant *v, size_t k)
{
	v->npatches = k;
	v->prefix = 1;
	for (size_t i = 0; i < k; i++)
		v->patch[i] = i;
}

/* A patch outside the series: a relative path under kmod-patch/. */
static long extra_index(struct patch_set *ps, const char *patch)
{
	if (patch[0] == '/' || strstr(patch, "..") || ps->nextra == PATCH_MAX)
		return -1;
	for (size_t i = 0; i < ps->nseries; i++)
		if (!strcmp(ps->series[i], patch))
			return i;
	for (size_t i = 0; i < ps->nextra; i++)
		if (!strcmp(ps->extra[i], patch))
			return PATCH_MAX + i;
	ps->extra[ps->nextra] = strdup(patch);
	if (!ps->extra[ps->nextra])
		abort();
	return PATCH_MAX + ps->nextra++;
}

/* "NAME BASE + PATCH...": BASE's patches, then these. */
static int parse_plus(struct patch_set *ps, struct variant *v, char **w,
		      int nw, unsigned int lineno, char *why, size_t whylen)
{
	const struct variant *base = variant_find(ps, w[1]);

	if (!base) {
		snprintf(why, whylen,
			 "kmod-patch/variants line %u: no variant %s above it",
			 lineno, w[1]);
		return -1;
	}
	*v = *base;
	v->prefix = 0;
	for (int i = 3; i < nw; i++) {
		long k = extra_index(ps, w[i]);

		if (k < 0 || v->npatches == PATCH_MAX) {
			snprintf(why, whylen,
				 "kmod-patch/variants line %u: bad patch name %s",
				 lineno, w[i]);
			return -1;
		}
		v->patch[v->npatches++] = k;
	}
	return 0;
}

int variants_parse(struct patch_set *ps, const char *series_text,
		   const char *variants_text, char *why, size_t whylen)
{
	char buf[4096], *w[MAX_WORDS];
	unsigned int lineno = 0;
	int nw;

	memset(ps, 0, sizeof(*ps));
	if (parse_series(ps, series_text, why, whylen))
		goto err;
	while (next_line(&variants_text, &lineno, buf, sizeof(buf), w, &nw)) {
		int plus = nw >= 4 && !strcmp(w[2], "+");
		long idx = nw == 2 ? series_index(ps, w[1]) : -1;
		struct variant v = { 0 };

		if ((nw != 2 && !plus) || ps->nvariants == VARIANT_MAX ||
		    strlen(w[0]) >= sizeof(v.name)) {
			snprintf(
				why, whylen,
				"kmod-patch/variants line %u: expected 'NAME LAST-PATCH|-' or 'NAME BASE + PATCH...'",
				lineno);
			goto err;
		}
		if (!plus && idx < 0) {
			snprintf(
				why, whylen,
				"kmod-patch/variants line %u: %s is not in kmod-patch/series",
				lineno, w[1]);
			goto err;
		}
		if (variant_find(ps, w[0])) {
			snprintf(
				why, whylen,
				"kmod-patch/variants line %u: %s defined twice",
				lineno, w[0]);
			goto err;
		}
		if (plus && parse_plus(ps, &v, w, nw, lineno, why, whylen))
			goto err;
		if (!plus)
			set_prefix(&v, idx);
		snprintf(v.name, sizeof(v.name), "%s", w[0]);
		ps->variants[ps->nvariants++] = v;
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

int fixes_parse(struct patch_set *ps, const char *text, char *why,
		size_t whylen)
{
	char buf[4096], *w[MAX_WORDS];
	unsigned int lineno = 0;
	int nw;

	while (next_line(&text, &lineno, buf, sizeof(buf), w, &nw)) {
		struct known_fix *f = &ps->fixes[ps->nfixes];
		size_t len = 0;

		if (nw < 3 || ps->nfixes == VARIANT_MAX) {
			snprintf(why, whylen,
				 "kmod-patch/fixes line %u: expected 'BUG-VARIANT FIX-VARIANT LABEL'",
				 lineno);
			return -1;
		}
		for (int i = 0; i < 2; i++)
			if (!variant_find(ps, w[i])) {
				snprintf(why, whylen,
					 "kmod-patch/fixes line %u: %s is not a variant of kmod-patch/variants",
					 lineno, w[i]);
				return -1;
			}
		if (!strcmp(w[0], w[1])) {
			snprintf(why, whylen,
				 "kmod-patch/fixes line %u: %s cannot fix itself",
				 lineno, w[0]);
			return -1;
		}
		snprintf(f->bug, sizeof(f->bug), "%s", w[0]);
		snprintf(f->fix, sizeof(f->fix), "%s", w[1]);
		for (int i = 2; i < nw; i++)
			len += strlen(w[i]) + 1;
		f->label = calloc(1, len);
		if (!f->label)
			abort();
		for (int i = 2; i < nw; i++) {
			if (i > 2)
				strcat(f->label, " ");
			strcat(f->label, w[i]);
		}
		ps->nfixes++;
	}
	return 0;
}

static int qualify(char *name, size_t size, const char *prefix, char *why,
		   size_t whylen)
{
	char full[64];

	snprintf(full, sizeof(full), "%s%s", prefix, name);
	if (strlen(full) >= size) {
		snprintf(why, whylen, "kernel name %s is longer than %zu bytes",
			 full, size - 1);
		return -1;
	}
	memcpy(name, full, strlen(full) + 1);
	return 0;
}

int variants_qualify(struct patch_set *ps, const char *prefix, char *why,
		     size_t whylen)
{
	struct variant *v = ps->variants;
	struct known_fix *f = ps->fixes;

	snprintf(ps->prefix, sizeof(ps->prefix), "%s", prefix);
	for (size_t i = 0; i < ps->nvariants; i++)
		if (qualify(v[i].name, sizeof(v[i].name), prefix, why, whylen))
			return -1;
	for (size_t i = 0; i < ps->nfixes; i++)
		if (qualify(f[i].bug, sizeof(f[i].bug), prefix, why, whylen) ||
		    qualify(f[i].fix, sizeof(f[i].fix), prefix, why, whylen))
			return -1;
	return 0;
}

void variants_free(struct patch_set *ps)
{
	for (size_t i = 0; i < ps->nfixes; i++)
		free(ps->fixes[i].label);
	ps->nfixes = 0;
	for (size_t i = 0; i < ps->nseries; i++)
		free(ps->series[i]);
	for (size_t i = 0; i < ps->nextra; i++)
		free(ps->extra[i]);
	ps->nseries = 0;
	ps->nextra = 0;
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
		if (ps->variants[i].prefix && ps->variants[i].npatches == k) {
			*out = ps->variants[i];
			return;
		}
	}
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%sseries-%zu", ps->prefix, k);
	set_prefix(out, k);
}

int variant_lookup(const struct patch_set *ps, const char *name,
		   struct variant *out)
{
	const struct variant *v = variant_find(ps, name);
	size_t plen = strlen(ps->prefix);
	const char *digits = name + plen + strlen("series-");
	char *end;
	unsigned long k;

	if (v) {
		*out = *v;
		return 0;
	}
	if (strncmp(name, ps->prefix, plen) ||
	    strncmp(name + plen, "series-", strlen("series-")) ||
	    *digits < '0' || *digits > '9')
		return -1;
	k = strtoul(digits, &end, 10);
	if (*end || k > ps->nseries)
		return -1;
	variant_of_prefix(ps, k, out);
	/* "series-4" where buggy is 4 patches: that cache entry is "buggy". */
	return strcmp(out->name, name) ? -1 : 0;
}
