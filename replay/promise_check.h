/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The promise check: every active promise (lib/promise_mark.h) holds in
 * the mounted crash state. A broken promise is reported as check "data"
 * (content, size, a promised range), "name" (existence, type, inode
 * identity, symlink target, a directory's entries) or "attr" (link count,
 * mode, xattrs), naming the rule, the durability point, the path, what was
 * promised and what was found.
 */
#ifndef LWFUZZ_PROMISE_CHECK_H
#define LWFUZZ_PROMISE_CHECK_H

#include "lib/check_failure.h"
#include "lib/promise_mark.h"

void promise_check(const char *mnt, const struct promise_set *s,
		   struct failure_sink *sink);

#endif
