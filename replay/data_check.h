/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data check: every active expectation (expect_mark.h) holds in the
 * mounted crash state.
 */
#ifndef LWFUZZ_DATA_CHECK_H
#define LWFUZZ_DATA_CHECK_H

#include "lib/expect_mark.h"
#include "lib/check_failure.h"

/* Digest of [off, off+len) of the file at @path into *@digest; -errno. */
int data_digest(const char *path, uint64_t off, uint64_t len, uint64_t *digest);

void data_check(const char *mnt, const struct expect_set *s,
		struct failure_sink *sink);

#endif
