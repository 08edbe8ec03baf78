/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading Debian's package tools: which cloud kernel the registry offers
 * today (its ABI number moves with security updates) and which of our
 * packages are missing. Pure parsers over the tools' text output.
 */
#ifndef LWFUZZ_PKG_RESOLVE_H
#define LWFUZZ_PKG_RESOLVE_H

#include <stddef.h>

/*
 * From `apt-cache depends` of a cloud image meta package, the kernel
 * release ("6.1.0-56-cloud-amd64", "6.12.118+deb12-cloud-amd64") of its
 * "Depends: linux-image-RELEASE" line.
 * Returns 0, or -1 when no well-formed release is there.
 */
int pkg_parse_kernel_release(const char *text, char *release, size_t len);

/*
 * 1 if @s looks like "MAJ.MIN.PATCH-ABI-cloud-amd64" (6.1) or
 * "MAJ.MIN.PATCH+debN-cloud-amd64" (6.12), else 0.
 */
int pkg_release_valid(const char *s);

/*
 * From `apt-cache policy PKG`, the "Candidate:" version. Returns 0, or -1
 * when there is none (the line is missing or says "(none)").
 */
int pkg_parse_candidate(const char *text, char *ver, size_t len);

/*
 * From `dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' PKG...`: the
 * names in @pkgs that are not installed ("ii") are appended to @missing,
 * separated by spaces. Returns how many are missing.
 */
int pkg_find_missing(const char *text, const char *const pkgs[], size_t n,
		     char *missing, size_t len);

#endif
