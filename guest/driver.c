// SPDX-License-Identifier: GPL-2.0
#include <btrfsutil.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "replay/data_check.h"
#include "replay/dm_dev.h"
#include "guest/driver.h"
#include "lib/expect_mark.h"
#include "lib/fsutil.h"

#define EXPECT_MAX_BYTES (8u << 20)

struct slot {
	int fd, dfd; /* buffered and O_DIRECT descriptors */
	unsigned long gen; /* bumped by every modification */
	int busy; /* modifications in flight */
	int promised; /* an expectation mark is active */
};

struct barrier {
	unsigned int parties, arrived;
	unsigned long round;
};

struct run {
	const struct workload *w;
	const struct driver_cfg *cfg;
	struct driver_result *res;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct slot slots[WL_FILES];
	struct barrier barriers[WL_MAX_ID + 1];
	struct worker *wk;
	double deadline;
	int running;
};

struct worker {
	struct run *run;
	unsigned int t;
	unsigned int at; /* index of the op being run */
	const struct wl_op *cur; /* a file system operation in flight */
	int done;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Caller holds r->lock: marks and promise state change together. */
static void mark_locked(struct run *r, const char *text)
{
	char msg[600];

	snprintf(msg, sizeof(msg), "mark %s", text);
	if (dm_dev_message(r->cfg->dm_name, msg) == 0)
		r->res->marks++;
}

static void mark(struct run *r, const char *text)
{
	pthread_mutex_lock(&r->lock);
	mark_locked(r, text);
	pthread_mutex_unlock(&r->lock);
}

static char *slot_path(struct run *r, char prefix, unsigned int n)
{
	return xasprintf("%s/%c%u", r->cfg->mnt, prefix, n);
}

/* Before modifying file slot @n: drop its promise, count the writer. */
static void modify_begin(struct run *r, unsigned int n)
{
	int forget;
	char m[64];

	pthread_mutex_lock(&r->lock);
	forget = r->slots[n].promised;
	r->slots[n].promised = 0;
	r->slots[n].gen++;
	r->slots[n].busy++;
	if (forget) {
		snprintf(m, sizeof(m), FORGET_PREFIX "f%u", n);
		mark_locked(r, m);
	}
	pthread_mutex_unlock(&r->lock);
}

static void modify_end(struct run *r, unsigned int n)
{
	pthread_mutex_lock(&r->lock);
	r->slots[n].gen++;
	r->slots[n].busy--;
	pthread_mutex_unlock(&r->lock);
}

/*
 * After fsync of slot @n returned: promise the file's content, unless a
 * modification overlapped the fsync (then nobody knows what it covered).
 */
static void promise(struct run *r, unsigned int n, int fd, unsigned long gen0)
{
	struct expectation x = { 0 };
	char *path = slot_path(r, 'f', n), m[512];
	struct stat st, fst;
	int ok;

	/* Only what was fsynced: the path must still name that inode. */
	if (stat(path, &st) < 0 || fstat(fd, &fst) < 0 ||
	    st.st_ino != fst.st_ino || st.st_dev != fst.st_dev ||
	    !S_ISREG(st.st_mode) || st.st_size > EXPECT_MAX_BYTES)
		goto out;
	snprintf(x.path, sizeof(x.path), "f%u", n);
	x.len = st.st_size;
	if (!x.len || data_digest(path, 0, x.len, &x.digest))
		goto out;
	pthread_mutex_lock(&r->lock);
	ok = r->slots[n].gen == gen0 && !r->slots[n].busy &&
	     !expect_mark_format(m, sizeof(m), &x);
	if (ok) {
		r->slots[n].promised = 1;
		mark_locked(r, m);
		r->res->expectations++;
	}
	pthread_mutex_unlock(&r->lock);
out:
	free(path);
}

static int fd_of(struct run *r, unsigned int n, int direct)
{
	struct slot *sl = &r->slots[n];
	int fd;

	pthread_mutex_lock(&r->lock);
	fd = direct ? sl->dfd : sl->fd;
	pthread_mutex_unlock(&r->lock);
	if (fd >= 0 || !direct)
		return fd;
	/* The direct descriptor is opened on first use. */
	char *path = slot_path(r, 'f', n);

	fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
	free(path);
	pthread_mutex_lock(&r->lock);
	if (sl->dfd < 0) {
		sl->dfd = fd;
	} else if (fd >= 0) {
		close(fd);
		fd = sl->dfd;
	}
	pthread_mutex_unlock(&r->lock);
	return fd;
}

static int do_open(struct run *r, const struct wl_op *op)
{
	int flags = O_RDWR | O_CLOEXEC, fd;
	char *path = slot_path(r, 'f', op->file);

	if (op->flags & OPEN_CREAT)
		flags |= O_CREAT;
	if (op->flags & OPEN_TRUNC)
		flags |= O_TRUNC;
	if (op->flags & OPEN_DSYNC)
		flags |= O_DSYNC;
	if (op->flags & OPEN_TRUNC)
		modify_begin(r, op->file);
	fd = open(path, flags, 0644);
	if (op->flags & OPEN_TRUNC)
		modify_end(r, op->file);
	free(path);
	if (fd < 0)
		return -1;
	if (op->flags & OPEN_NOCOW) {
		int attr = 0;

		/* Takes effect on an empty file only; fails otherwise. */
		if (ioctl(fd, FS_IOC_GETFLAGS, &attr) == 0) {
			attr |= FS_NOCOW_FL;
			ioctl(fd, FS_IOC_SETFLAGS, &attr);
		}
	}
	pthread_mutex_lock(&r->lock);
	if (r->slots[op->file].fd >= 0)
		close(r->slots[op->file].fd);
	r->slots[op->file].fd = fd;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

static int do_close(struct run *r, unsigned int n)
{
	pthread_mutex_lock(&r->lock);
	if (r->slots[n].fd >= 0)
		close(r->slots[n].fd);
	if (r->slots[n].dfd >= 0)
		close(r->slots[n].dfd);
	r->slots[n].fd = r->slots[n].dfd = -1;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

static int do_io(struct run *r, const struct wl_op *op)
{
	int direct = op->flags & IO_DIRECT;
	int fd = fd_of(r, op->file, direct);
	void *buf;
	ssize_t n;

	if (fd < 0)
		return -1;
	if (posix_memalign(&buf, WL_BLOCK, op->len))
		return -1;
	if (op->code == WL_PWRITE) {
		wl_pattern(op->arg, op->off, buf, op->len);
		modify_begin(r, op->file);
		n = pwrite(fd, buf, op->len, op->off);
		modify_end(r, op->file);
	} else {
		n = pread(fd, buf, op->len, op->off);
	}
	free(buf);
	return n < 0 ? -1 : 0;
}

static int do_sync(struct run *r, const struct wl_op *op, unsigned int t,
		   unsigned int i)
{
	int fd = fd_of(r, op->file, 0), ret;
	unsigned long gen0;
	char m[64];

	if (fd < 0)
		return -1;
	/* Name the durability point in the log before it starts. */
	snprintf(m, sizeof(m), "%s-t%u-o%u", wl_code_name(op->code), t, i);
	mark(r, m);
	pthread_mutex_lock(&r->lock);
	gen0 = r->slots[op->file].gen;
	pthread_mutex_unlock(&r->lock);
	ret = op->code == WL_FSYNC ? fsync(fd) : fdatasync(fd);
	if (!ret)
		promise(r, op->file, fd, gen0);
	return ret;
}

static int do_falloc_trunc(struct run *r, const struct wl_op *op)
{
	static const int modes[] = {
		0,
		FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_ZERO_RANGE,
	};
	int fd = fd_of(r, op->file, 0), ret;

	if (fd < 0)
		return -1;
	modify_begin(r, op->file);
	if (op->code == WL_TRUNCATE)
		ret = ftruncate(fd, op->len);
	else
		ret = fallocate(fd, modes[op->flags & 3], op->off, op->len);
	modify_end(r, op->file);
	return ret;
}

static int do_path_op(struct run *r, const struct wl_op *op)
{
	char *a = slot_path(r, 'f', op->file),
	     *b = slot_path(r, 'f', op->file2);
	int ret;

	modify_begin(r, op->file);
	if (op->code != WL_UNLINK)
		modify_begin(r, op->file2);
	if (op->code == WL_RENAME)
		ret = rename(a, b);
	else if (op->code == WL_LINK)
		ret = link(a, b);
	else
		ret = unlink(a);
	if (op->code != WL_UNLINK)
		modify_end(r, op->file2);
	modify_end(r, op->file);
	free(a);
	free(b);
	return ret;
}

static int do_subvol(struct run *r, const struct wl_op *op)
{
	char *path = slot_path(r, 's', op->file);
	enum btrfs_util_error err;

	if (op->code == WL_SUBVOL)
		err = btrfs_util_create_subvolume(path, 0, NULL, NULL);
	else
		err = btrfs_util_create_snapshot(r->cfg->mnt, path, 0, NULL,
						 NULL);
	free(path);
	return err ? -1 : 0;
}

static int do_touch(struct run *r, unsigned int n)
{
	int fd = fd_of(r, n, 0);

	return fd < 0 ? -1 : futimens(fd, NULL);
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
	case WL_OPEN:
		return do_open(r, op);
	case WL_CLOSE:
		return do_close(r, op->file);
	case WL_FALLOCATE:
	case WL_TRUNCATE:
		return do_falloc_trunc(r, op);
	case WL_PWRITE:
	case WL_PREAD:
		return do_io(r, op);
	case WL_FSYNC:
	case WL_FDATASYNC:
		return do_sync(r, op, t, i);
	case WL_SYNC:
		sync();
		return 0;
	case WL_RENAME:
	case WL_LINK:
	case WL_UNLINK:
		return do_path_op(r, op);
	case WL_MKDIR: {
		char *path = slot_path(r, 'd', op->file);
		int ret = mkdir(path, 0755);

		free(path);
		return ret;
	}
	case WL_SUBVOL:
	case WL_SNAPSHOT:
		return do_subvol(r, op);
	case WL_TOUCH:
		return do_touch(r, op->file);
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
	}
	return -1;
}

static int is_fs_op(unsigned int code)
{
	return code != WL_SLEEP && code != WL_BARRIER && code != WL_MARK;
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
		bit = (op->code * WL_NCODES + o->code) * 2 +
		      (op->file == o->file);
		r->res->overlap[bit / 8] |= 1u << (bit % 8);
	}
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct run *r = wk->run;
	const struct wl_thread *th = &r->w->threads[wk->t];

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

		if (wk[t].done)
			continue;
		const struct wl_op *op = &th->ops[wk[t].at];

		if (th->line[wk[t].at])
			snprintf(
				r->res->why, sizeof(r->res->why),
				"line %u: %s %u did not finish within %u s (thread %u)",
				th->line[wk[t].at], wl_code_name(op->code),
				op->code == WL_BARRIER ? op->arg : op->file,
				r->cfg->timeout_s, t);
		else
			snprintf(
				r->res->why, sizeof(r->res->why),
				"thread %u op %u: %s did not finish within %u s",
				t, wk[t].at, wl_code_name(op->code),
				r->cfg->timeout_s);
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
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);
	for (unsigned int i = 0; i < WL_FILES; i++)
		r.slots[i].fd = r.slots[i].dfd = -1;
	count_parties(&r);
	r.deadline = now() + cfg->timeout_s;
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
	for (unsigned int i = 0; i < WL_FILES; i++)
		do_close(&r, i);
	pthread_cond_destroy(&r.cond);
	pthread_mutex_destroy(&r.lock);
	return ret;
}
