/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A campaign's findings on disk: FINDINGS/HASH/ (HASH of the signature)
 * with workload.lw, workload.bin, signature and whatever the finding
 * brings (report.json, console.txt, ...). A finding is written into a
 * hidden directory and renamed into place: it is whole or absent, even
 * when the disk fills up or the process dies half way.
 */
#ifndef LWFUZZ_FINDING_STORE_H
#define LWFUZZ_FINDING_STORE_H

#include <stddef.h>

#include "lib/workload.h"

struct finding_file {
	const char *name;
	const void *data;
	size_t len;
};

/*
 * Store the finding unless one with @sig is there. Returns 1 when stored
 * (*@where, when not NULL, is its malloc'ed path), 0 when known, -1 on
 * error (said on stderr; nothing is left behind).
 */
int finding_store(const char *findings, const char *sig,
		  const struct workload *w, const struct finding_file *extra,
		  size_t nextra, char **where);

/*
 * A text report of a failed-check finding (report.txt): its signature, the
 * kernel, the first failing crash state (point, log entry, flags, mark)
 * and what failed there, one line per check, from the replay's JSON
 * report (or why that does not read). malloc'ed.
 */
char *finding_summary(const char *report_json, const char *sig,
		      const char *kernel);

/*
 * The variant a finding was found on: the first word of @dir/kernel, as a
 * campaign writes it ("VARIANT RELEASE"). malloc'ed; NULL (said) when
 * there is no such file.
 */
char *finding_variant(const char *dir);

/* The number of findings stored in @findings. */
unsigned int finding_count(const char *findings);

#endif
