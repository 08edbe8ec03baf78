// SPDX-License-Identifier: GPL-2.0
/*
 * The delays of one run ("delay SITE MS [hit N]"): lwfuzz.ko's delay file
 * stays open from the first thread's start to the last one's end, because
 * closing it removes every probe and plan (lib/lwfuzz_kmod.h). A delay is
 * armed by the thread it is for, at its place in that thread: the module
 * takes the writer as the thread to stop. A delay that cannot be armed (no
 * lwfuzz.ko, a site this btrfs.ko lacks) fails like any operation: counted,
 * and the run goes on without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guest/driver_int.h"
#include "lib/delay_site.h"
#include "lib/kmod_req.h"

static int has_delays(const struct workload *w)
{
	for (unsigned int t = 0; t < w->nthreads; t++)
		for (unsigned int i = 0; i < w->threads[t].nops; i++)
			if (w->threads[t].ops[i].code == WL_DELAY)
				return 1;
	return 0;
}

static void note_failure(struct run *r, const char *fmt, const char *what,
			 int err)
{
	struct driver_result *res = r->res;

	res->delays_failed++;
	if (!res->delay_why[0]) {
		int n = snprintf(res->delay_why, sizeof(res->delay_why), fmt,
				 what);

		snprintf(res->delay_why + n, sizeof(res->delay_why) - n,
			 ": %s", strerror(err));
	}
}

void delay_begin(struct run *r)
{
	r->delay_fd = -1;
	r->delay_errno = 0;
	if (!has_delays(r->w))
		return;
	r->delay_fd = open(LWFUZZ_PROC_DELAY, O_RDWR | O_CLOEXEC);
	if (r->delay_fd < 0)
		r->delay_errno = errno;
}

int delay_arm(struct run *r, const struct wl_op *op)
{
	struct lwfuzz_delay_req req;
	char buf[SITE_NAME_MAX + 1];
	const char *site = site_text(op->arg, buf);
	int err = 0;

	if (r->delay_fd < 0)
		err = r->delay_errno;
	else if (site == buf)
		err = ENOENT; /* not in this guest's site table */
	else if (kmod_delay_req(&req, site, op->off, op->len))
		err = EINVAL;
	else if (write(r->delay_fd, &req, sizeof(req)) != sizeof(req))
		err = errno;
	pthread_mutex_lock(&r->lock);
	if (err)
		note_failure(r, "delay %s", site, err);
	else
		r->res->delays++;
	pthread_mutex_unlock(&r->lock);
	return err ? -1 : 0;
}

void delay_end(struct run *r)
{
	struct lwfuzz_delay_status st[LWFUZZ_DELAY_MAX_PLANS];
	ssize_t len;
	int n;

	if (r->delay_fd < 0)
		return;
	len = pread(r->delay_fd, st, sizeof(st), 0);
	n = len < 0 ? -1 : kmod_delay_statuses(len);
	for (int i = 0; i < n; i++)
		r->res->delays_fired += st[i].fired != 0;
	close(r->delay_fd);
	r->delay_fd = -1;
}
