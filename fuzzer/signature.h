/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A finding's signature, for deduplication: the checks that failed (from
 * the replay report) and the shape of the workload that made them fail
 * (which operations, direct or buffered, in how many threads), not its
 * offsets, lengths or seeds. Two findings with one signature are one bug
 * as far as a campaign can tell.
 */
#ifndef LWFUZZ_SIGNATURE_H
#define LWFUZZ_SIGNATURE_H

#include <stddef.h>

#include "lib/workload.h"

/*
 * "missing-csum+read/2t/fallocate,fsync,pwrite-direct,touch" into @sig.
 * Returns 0, or -1 when the report does not read (lib/report.h) or names
 * no failed check.
 */
int finding_signature(const char *report_json, const struct workload *w,
		      char *sig, size_t len);

/*
 * For a guest that died or hung: "KIND: HEADLINE/2t/ops", HEADLINE being
 * the console's first BUG/Oops/WARNING/panic line with hex numbers
 * blanked ("no message" when there is none). 0 or -1.
 */
int kernel_signature(const char *kind, const char *console,
		     const struct workload *w, char *sig, size_t len);

#endif
