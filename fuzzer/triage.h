/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sorting findings by root cause (`lwfuzz triage`, `fuzz --triage`): a
 * finding is run on the variants that carry a known fix for its own
 * variant (kmod-patch/fixes) and labelled with the fix that makes it
 * disappear. It writes FINDING/triage.json and keeps the runs under
 * FINDING/triage/; nobody else writes or reads them.
 */
#ifndef LWFUZZ_TRIAGE_H
#define LWFUZZ_TRIAGE_H

#include "setup/layout.h"
#include "setup/variants.h"
#include "vm/workload_vm.h"

enum triage_class {
	TRIAGE_KNOWN, /* a known fix makes it disappear */
	TRIAGE_UNEXPLAINED, /* it reproduces and no known fix removes it */
	TRIAGE_UNREPRODUCED, /* it did not show in any run on its variant */
	TRIAGE_ERROR, /* a run could not be made (said) */
};

struct triage_try {
	char variant[32];
	unsigned int found; /* runs (of the verdict's runs) that failed */
	int error;
};

struct triage_verdict {
	char variant[32]; /* the finding's own variant */
	unsigned int runs; /* per variant tried */
	struct triage_try tried[VARIANT_MAX + 1]; /* [0]: its own variant */
	size_t ntried;
	enum triage_class class;
	char label[256]; /* TRIAGE_KNOWN: the fix's label */
	char via[32]; /* TRIAGE_KNOWN: the fix variant that does not show it */
};

/*
 * Triage the finding in @dir (its minimized.lw, else workload.lw) found
 * on @variant (NULL: the one its `kernel` file names): @p->runs runs on
 * that variant, then on each fix variant of its kernel series' fixes file
 * (kmod-patch/fixes, kmod-patch/6.12/fixes) for it; when
 * every fix variant still shows it, the same is asked of those variants'
 * own fixes (a finding on `buggy` that `fixed` still shows may be the
 * log-commit race that `logfix` removes). A fix counts when its variant
 * shows the finding in none of the runs while the finding's own variant
 * showed it in at least one. Prints a line per variant; writes
 * @dir/triage.json. 0 done (verdict in @v), -1 error (said).
 */
int triage_finding(const struct layout *l, const char *dir,
		   const char *variant, const struct wl_run_params *p,
		   struct triage_verdict *v);

/*
 * Print findings grouped by verdict, unexplained first, then each known
 * label with its findings; the last line is "triage: N finding(s): U
 * unexplained, R not reproduced, K known (LABEL: n, ...)".
 */
void triage_print_groups(char *const *dirs, const struct triage_verdict *v,
			 size_t n);

/* "U unexplained, R not reproduced, K known" of @n verdicts; static. */
const char *triage_counts(const struct triage_verdict *v, size_t n);

#endif
