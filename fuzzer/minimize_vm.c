// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer/minimize.h"
#include "fuzzer/minimize_vm.h"
#include "lib/fsutil.h"
#include "lib/msg.h"

struct oracle {
	const struct layout *l;
	struct wl_run_params p;
	char work[256];
	unsigned int trial;
};

static int still_fails(const struct workload *w, void *arg)
{
	struct oracle *o = arg;
	char *out = xasprintf("%s/trial-%u", o->work, ++o->trial);
	unsigned int found = 0;
	int ret = workload_run(o->l, &o->p, w, out, &found);

	rm_rf(out);
	free(out);
	if (ret == EXIT_ERROR)
		return -1;
	unsigned int ops = 0;

	for (unsigned int t = 0; t < w->nthreads; t++)
		ops += w->threads[t].nops;
	printf("minimize: trial %u (%u threads, %u ops): %s\n", o->trial,
	       w->nthreads, ops, found ? "still fails" : "clean");
	fflush(stdout);
	return found > 0;
}

int minimize_in_vm(const struct layout *l, const struct wl_run_params *p,
		   const char *name, struct workload *w, int *failing)
{
	struct oracle o = { .l = l, .p = *p };
	struct minimize_stats st;
	int c, ret;

	snprintf(o.work, sizeof(o.work), "%s/lwfuzz-minimize.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(o.work)) {
		lw_err("cannot create a scratch directory %s: %s", o.work,
		       strerror(errno));
		return EXIT_ERROR;
	}
	c = still_fails(w, &o);
	*failing = c == 1;
	if (c != 1) {
		/* A clean workload is an answer (exit 0), not an error. */
		if (!c)
			printf("minimize: %s shows no finding on %s; nothing to minimize\n",
			       name, o.p.variant);
		ret = c ? EXIT_ERROR : EXIT_CLEAN;
	} else {
		ret = wl_minimize(w, still_fails, &o, &st) ? EXIT_ERROR
							   : EXIT_FINDING;
		lw_info("%u trials, %u accepted", st.trials, st.accepted);
	}
	rm_rf(o.work);
	return ret;
}
