// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/exec_proto.h"
#include "fuzzer/finding_post.h"
#include "lib/fsutil.h"
#include "fuzzer/minimize.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "fuzzer/signature.h"
#include "lib/workload.h"
#include "vm/workload_vm.h"

struct live_oracle {
	const char *sock;
	char kinds[256]; /* the failed checks the finding is about */
	char *report; /* of the last failing trial */
	unsigned int trials, max_trials;
};

/* "missing-csum+read" of "missing-csum+read/2t/..." */
static void kinds_of(const char *sig, char *out, size_t len)
{
	snprintf(out, len, "%.*s", (int)strcspn(sig, "/"), sig);
}

static int live_still_fails(const struct workload *w, void *arg)
{
	struct live_oracle *o = arg;
	unsigned char bin[WL_BIN_MAX];
	struct workload copy = *w;
	struct exec_reply rep;
	size_t n = wl_encode(&copy, bin, sizeof(bin));
	char sig[512], kinds[256];
	int fd, same;

	if (o->trials++ >= o->max_trials)
		return 0;
	fd = exec_connect(o->sock, 30);
	if (fd < 0 || exec_request(fd, bin, n, &rep, 600)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	same = rep.status == 1 && rep.report &&
	       !finding_signature(rep.report, w, sig, sizeof(sig));
	if (same) {
		kinds_of(sig, kinds, sizeof(kinds));
		same = !strcmp(kinds, o->kinds);
	}
	if (same) {
		free(o->report);
		o->report = rep.report;
	} else {
		free(rep.report);
	}
	return same;
}

static unsigned int count_ops(const struct workload *w)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < w->nthreads; t++)
		n += w->threads[t].nops;
	return n;
}

int finding_minimize_live(const char *dir, const char *sock,
			  unsigned int max_trials)
{
	struct live_oracle o = { .sock = sock, .max_trials = max_trials };
	char *wl = path_join(dir, "workload.lw"),
	     *sp = path_join(dir, "signature");
	char *sig = read_file(sp, NULL), *mp = path_join(dir, "minimized.lw");
	char *rp = path_join(dir, "minimized.json");
	struct minimize_stats st = { 0 };
	struct workload w;
	unsigned int before;
	int ret = -1;

	if (!sig || wl_load_file(wl, &w))
		goto out;
	kinds_of(sig, o.kinds, sizeof(o.kinds));
	before = count_ops(&w);
	if (wl_minimize(&w, live_still_fails, &o, &st)) {
		lw_err("minimizing %s: the guest gave no answer", dir);
		goto out;
	}
	char *text = wl_format_text(&w);

	ret = write_file_atomic(mp, text, strlen(text)) ||
			      (o.report && write_file_atomic(rp, o.report,
							     strlen(o.report)))
		      ? -1
		      : 0;
	printf("fuzz: minimized %s: %u -> %u operations in %u trials\n", dir,
	       before, count_ops(&w), st.trials);
	fflush(stdout);
	free(text);
out:
	free(o.report);
	free(wl);
	free(sp);
	free(sig);
	free(mp);
	free(rp);
	return ret;
}
