/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel variants, named in kmod-patch/variants: a prefix of
 * kmod-patch/series ("stock -", "buggy 0004-....patch"), or another
 * variant plus patches ("museum-782 stock + museum/0001-....patch").
 */
#ifndef LWFUZZ_VARIANTS_H
#define LWFUZZ_VARIANTS_H

#include <stddef.h>

#define VARIANT_MAX 16
#define PATCH_MAX 64

struct variant {
	char name[32];
	size_t npatches; /* how many patches it applies, in order */
	unsigned short patch[PATCH_MAX]; /* see variant_patch() */
	int prefix; /* its patches are the series' first npatches */
};

/*
 * A line of kmod-patch/fixes: findings on variant @bug that variant @fix
 * does not show are explained by @label (`lwfuzz triage`).
 */
struct known_fix {
	char bug[32], fix[32];
	char *label;
};

struct patch_set {
	char *series[PATCH_MAX]; /* patch file names, in order */
	size_t nseries;
	char *extra[PATCH_MAX]; /* patches of variants, not of the series */
	size_t nextra;
	struct variant variants[VARIANT_MAX];
	size_t nvariants;
	struct known_fix fixes[VARIANT_MAX];
	size_t nfixes;
	char prefix[16]; /* its kernel series' name prefix: "" or "6.12:" */
};

/* The file name (under kmod-patch/) of @v's patch @i. */
const char *variant_patch(const struct patch_set *ps, const struct variant *v,
			  size_t i);

/*
 * Parse the two files' texts. Returns 0, or -1 with a message naming the
 * file and line in @why.
 */
int variants_parse(struct patch_set *ps, const char *series_text,
		   const char *variants_text, char *why, size_t whylen);
/*
 * Parse kmod-patch/fixes ("BUG-VARIANT FIX-VARIANT LABEL...") into
 * @ps->fixes; both variants must be @ps's. 0, or -1 with the file and line
 * in @why.
 */
int fixes_parse(struct patch_set *ps, const char *text, char *why,
		size_t whylen);
/*
 * Give every variant and fix of @ps the series prefix @prefix ("6.12:"), so
 * its names are the kernel names commands take and its cache entries are
 * apart from other series'. 0, or -1 with the name too long in @why.
 */
int variants_qualify(struct patch_set *ps, const char *prefix, char *why,
		     size_t whylen);
void variants_free(struct patch_set *ps);
/* The variant called @name, or NULL. */
const struct variant *variant_find(const struct patch_set *ps,
				   const char *name);
/* "stock, buggy, fixed" for messages; static buffer. */
const char *variant_names(const struct patch_set *ps);

/*
 * The variant applying the first @k patches of the series: a variant of
 * kmod-patch/variants where one applies exactly that prefix, else
 * "series-K" (the name `lwfuzz bisect` builds and caches it under), with
 * the set's series prefix.
 */
void variant_of_prefix(const struct patch_set *ps, size_t k,
		       struct variant *out);
/*
 * Every name a variant's cache entry can have: a variant of
 * kmod-patch/variants, or a "series-K" of variant_of_prefix(). Fills @out;
 * -1 when @name is neither.
 */
int variant_lookup(const struct patch_set *ps, const char *name,
		   struct variant *out);

#endif
