// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest/agent_cov.h"
#include "guest/driver_int.h"
#include "replay/dm_dev.h"
#include "lib/fsutil.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Caller holds r->lock: marks and promise state change together. */
void mark_locked(struct run *r, const char *text)
{
	char msg[600];

	snprintf(msg, sizeof(msg), "mark %s", text);
	if (dm_dev_message(r->cfg->dm_name, msg) == 0)
		r->res->marks++;
}

void mark(struct run *r, const char *text)
{
	pthread_mutex_lock(&r->lock);
	mark_locked(r, text);
	pthread_mutex_unlock(&r->lock);
}

char *path_abs(struct run *r, uint16_t path)
{
	char text[WL_PATH_TEXT];

	return path == WL_PATH_TOP ?
		       xasprintf("%s", r->cfg->mnt) :
		       xasprintf("%s/%s", r->cfg->mnt, wl_path_text(path, text));
}

/*
 * Barrier N holds every thread that has a "barrier N" until all of them
 * arrived. A thread that never arrives (or arrives twice while the others
 * arrive once) leaves the others waiting until the run's deadline.
 */
static int do_barrier(struct run *r, unsigned int id)
{
	struct barrier *b = &r->barriers[id];
	unsigned long round;
	int ret = 0;

	pthread_mutex_lock(&r->lock);
	round = b->round;
	if (++b->arrived == b->parties) {
		b->arrived = 0;
		b->round++;
		pthread_cond_broadcast(&r->cond);
	}
	while (b->round == round && r->running) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&r->cond, &r->lock, &ts);
	}
	if (b->round == round)
		ret = -1;
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int driver_parse_fault(const char *s, struct driver_fault *f)
{
	char *end;
	const char *id = strchr(s, ':');

	if (!id)
		return -1;
	if (!strncmp(s, "panic:", 6))
		f->kind = FAULT_PANIC;
	else if (!strncmp(s, "hang:", 5))
		f->kind = FAULT_HANG;
	else
		return -1;
	f->mark = strtoul(id + 1, &end, 10);
	return *end || f->mark > WL_MAX_ID ? -1 : 0;
}

/* The test-only fault for "mark @id", if one is set for it. */
static void inject_fault(struct run *r, unsigned int id)
{
	const struct driver_fault *f = &r->cfg->fault;
	int fd;

	if (f->kind == FAULT_NONE || f->mark != id)
		return;
	/* Tests wait for this line to act while the guest sits in the fault. */
	fprintf(stderr, "lwfuzz-agent: test fault: %s at mark %u\n",
		f->kind == FAULT_HANG ? "hanging" : "panicking", id);
	fflush(stderr);
	if (f->kind == FAULT_HANG) {
		for (;;)
			pause();
	}
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd >= 0 && write(fd, "c", 1) < 0)
		perror("sysrq-trigger");
	if (fd >= 0)
		close(fd);
}

static int run_op(struct run *r, const struct wl_op *op, unsigned int t,
		  unsigned int i)
{
	switch (op->code) {
	case WL_MARK: {
		char m[32];

		snprintf(m, sizeof(m), "op-mark-%u", op->arg);
		mark(r, m);
		inject_fault(r, op->arg);
		return 0;
	}
	case WL_SLEEP:
		usleep(op->arg * 1000);
		return 0;
	case WL_BARRIER:
		return do_barrier(r, op->arg);
	case WL_DELAY:
		return delay_arm(r, op);
	}
	return run_fs_op(r, op, t, i);
}

static int is_fs_op(unsigned int code)
{
	return code != WL_SLEEP && code != WL_BARRIER && code != WL_MARK &&
	       code != WL_DELAY;
}

/* Caller holds r->lock: note which operations @op overlaps. */
static void note_overlaps(struct run *r, struct worker *me,
			  const struct wl_op *op)
{
	for (unsigned int t = 0; t < r->w->nthreads; t++) {
		const struct wl_op *o = r->wk[t].cur;
		unsigned int bit;

		if (&r->wk[t] == me || !o)
			continue;
		bit = ((op->code * WL_NCODES + o->code) * 2 +
		       (op->path == o->path)) %
		      (DRIVER_OVERLAP_BYTES * 8);
		r->res->overlap[bit / 8] |= 1u << (bit % 8);
	}
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct run *r = wk->run;
	const struct wl_thread *th = &r->w->threads[wk->t];
	int waits = 0, passed = 0;

	for (unsigned int i = 0; i < th->nops; i++)
		waits |= th->ops[i].code == WL_BARRIER;
	agent_cov_thread(wk->t, waits);

	for (unsigned int i = 0; i < th->nops; i++) {
		pthread_mutex_lock(&r->lock);
		wk->at = i;
		if (!r->running) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		if (is_fs_op(th->ops[i].code)) {
			note_overlaps(r, wk, &th->ops[i]);
			wk->cur = &th->ops[i];
		}
		pthread_mutex_unlock(&r->lock);
		/* Failing operations are part of fuzzing: count, go on. */
		int ret = run_op(r, &th->ops[i], wk->t, i);

		if (th->ops[i].code == WL_BARRIER && !ret && !passed++)
			agent_cov_thread_racing(wk->t);

		pthread_mutex_lock(&r->lock);
		wk->cur = NULL;
		r->res->ops++;
		r->res->op_errors += ret != 0;
		if (ret)
			r->res->err_codes |= 1u << th->ops[i].code;
		else
			r->res->ok_codes |= 1u << th->ops[i].code;
		pthread_mutex_unlock(&r->lock);
	}
	pthread_mutex_lock(&r->lock);
	wk->done = 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static void count_parties(struct run *r)
{
	for (unsigned int t = 0; t < r->w->nthreads; t++) {
		int seen[WL_MAX_ID + 1] = { 0 };
		const struct wl_thread *th = &r->w->threads[t];

		for (unsigned int i = 0; i < th->nops; i++)
			if (th->ops[i].code == WL_BARRIER &&
			    !seen[th->ops[i].arg]++)
				r->barriers[th->ops[i].arg].parties++;
	}
}

/* Wait for the workers until the deadline; 0 when all finished. */
static int wait_workers(struct run *r, struct worker *wk)
{
	int all;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		all = 1;
		for (unsigned int t = 0; t < r->w->nthreads; t++)
			all &= wk[t].done;
		if (all || now() > r->deadline)
			break;
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&r->cond, &r->lock, &ts);
	}
	pthread_mutex_unlock(&r->lock);
	return all ? 0 : -1;
}

static void describe_hang(struct run *r, struct worker *wk)
{
	for (unsigned int t = 0; t < r->w->nthreads; t++) {
		const struct wl_thread *th = &r->w->threads[t];
		char what[32], path[WL_PATH_TEXT];

		if (wk[t].done)
			continue;
		const struct wl_op *op = &th->ops[wk[t].at];

		if (op->code == WL_BARRIER)
			snprintf(what, sizeof(what), "barrier %u", op->arg);
		else if (wl_fields(op->code) & WL_F_PATH)
			snprintf(what, sizeof(what), "%s %s",
				 wl_code_name(op->code),
				 wl_path_text(op->path, path));
		else
			snprintf(what, sizeof(what), "%s",
				 wl_code_name(op->code));
		if (th->line[wk[t].at])
			snprintf(r->res->why, sizeof(r->res->why),
				 "line %u: %s did not finish within %u s (thread %u)",
				 th->line[wk[t].at], what, r->cfg->timeout_s, t);
		else
			snprintf(r->res->why, sizeof(r->res->why),
				 "thread %u op %u: %s did not finish within %u s",
				 t, wk[t].at, what, r->cfg->timeout_s);
		return;
	}
}

int driver_run(const struct workload *w, const struct driver_cfg *cfg,
	       struct driver_result *res)
{
	struct worker wk[WL_MAX_THREADS] = { 0 };
	struct run r = {
		.w = w, .cfg = cfg, .res = res, .wk = wk, .running = 1
	};
	pthread_t tid[WL_MAX_THREADS];
	int ret;

	memset(res, 0, sizeof(*res));
	r.fds = malloc(WL_PATH_IDS * sizeof(*r.fds));
	if (!r.fds || model_init(&r)) {
		free(r.fds);
		snprintf(res->why, sizeof(res->why), "out of memory");
		return -1;
	}
	for (unsigned int i = 0; i < WL_PATH_IDS; i++)
		r.fds[i] = (struct path_fd){ .fd = -1, .dfd = -1 };
	driver_ops_init();
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);
	count_parties(&r);
	r.deadline = now() + cfg->timeout_s;
	delay_begin(&r);
	for (unsigned int t = 0; t < w->nthreads; t++) {
		wk[t] = (struct worker){ .run = &r, .t = t };
		pthread_create(&tid[t], NULL, worker_main, &wk[t]);
	}
	ret = wait_workers(&r, wk);
	if (ret) {
		/* Threads stuck in a barrier give up; one stuck in the kernel
		 * cannot be stopped: the caller reports and gives up the VM. */
		describe_hang(&r, wk);
		res->hung = 1;
		pthread_mutex_lock(&r.lock);
		r.running = 0;
		pthread_cond_broadcast(&r.cond);
		pthread_mutex_unlock(&r.lock);
		r.deadline = now() + 3;
		if (wait_workers(&r, wk)) {
			res->stuck = 1;
			return -1;
		}
	}
	for (unsigned int t = 0; t < w->nthreads; t++)
		pthread_join(tid[t], NULL);
	delay_end(&r);
	for (unsigned int i = 0; i < WL_PATH_IDS; i++)
		if (r.fds[i].fd >= 0 || r.fds[i].dfd >= 0)
			close_path(&r, i);
	pthread_cond_destroy(&r.cond);
	pthread_mutex_destroy(&r.lock);
	model_free(&r);
	free(r.fds);
	return ret;
}
