/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel series: the Debian kernel lines lwfuzz builds its variants for.
 * A kernel name is "SERIES:VARIANT" ("6.12:stock"); a bare variant name
 * ("stock") is the default series', 6.1, so every name that worked before
 * series existed still means the same kernel.
 */
#ifndef LWFUZZ_SERIES_H
#define LWFUZZ_SERIES_H

#include <stddef.h>

struct kseries {
	const char *name; /* "6.12" */
	const char *prefix; /* how its kernel names start: "" or "6.12:" */
	const char *image_meta; /* the package whose Depends names the release */
	const char *source_pkg; /* linux-source-6.12: package, tarball, tree */
	const char *patch_dir; /* kmod-patch/6.12: series, variants, fixes */
	const char *state_file; /* what setup resolved, under the cache */
	int own; /* "own:NAME": a kernel the user gave `lwfuzz setup --own` */
};

/* The series, in the order `lwfuzz kernels` lists them; NULL-terminated. */
extern const struct kseries *const kseries_all[];

/* The default series (6.1). */
const struct kseries *kseries_default(void);

/* The series called @name ("6.12"), or NULL. */
const struct kseries *kseries_find(const char *name);

/*
 * The series of kernel name @kernel: the part before ':' or, without one,
 * the default; "own:NAME" is a user's kernel (kseries_own). NULL when that
 * part names no series.
 */
const struct kseries *kseries_of(const char *kernel);

/* The pseudo-series of users' kernels ("own:NAME"), not in kseries_all. */
extern const struct kseries kseries_own;

/* "6.1, 6.12" for messages; static buffer. */
const char *kseries_names(void);

#endif
