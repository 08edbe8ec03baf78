/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What setup adds to each variant's build besides btrfs.ko's own sources
 * (kmod/): the coverage collector linked into btrfs.ko, lwfuzz.ko (delay
 * injection, coverage read-out), and the variant's delay-site table.
 */
#ifndef LWFUZZ_KMOD_HELPER_H
#define LWFUZZ_KMOD_HELPER_H

#include <stdint.h>

#include "setup/layout.h"

/* The files of kmod/ (and the ABI header) into the cache key @h. */
int kmod_helper_key(const struct layout *l, uint64_t *h);
/*
 * Put the collector into the btrfs source directory @btrfs and build every
 * other object of btrfs.ko with -fsanitize-coverage=trace-pc.
 */
int kmod_add_coverage(const struct layout *l, const char *btrfs);
/* Build lwfuzz.ko in @work against @ks's headers into @out/lwfuzz.ko. */
int kmod_helper_build(const struct layout *l, const struct kstate *ks,
		      const char *work, const char *out, const char *log);
/* Let this process print @variant's delay sites by name (if it has them). */
void kmod_sites_know(const struct layout *l, const char *variant);
/* The delay sites of the built (unstripped) module @ko into @path. */
int kmod_sites_write(const char *ko, const char *path, const char *log);

#endif
