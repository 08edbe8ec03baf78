/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cache keys of the built btrfs.ko variants: what `lwfuzz kernels` compares
 * to say whether a variant is built and current.
 */
#ifndef LWFUZZ_KMOD_BUILD_H
#define LWFUZZ_KMOD_BUILD_H

#include <stddef.h>

#include "setup/layout.h"

struct patch_set;
struct variant;

/* Key of what @v's build would be today (release, source, patches). */
int kmod_key(const struct layout *l, const struct kstate *ks,
	     const struct patch_set *ps, const struct variant *v, char *key,
	     size_t len);
/* Key of the module in the cache; -1 if there is none. */
int kmod_cached_key(const struct layout *l, const char *variant, char *key,
		    size_t len);

#endif
