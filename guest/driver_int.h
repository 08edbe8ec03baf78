/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver's insides, shared by its three files: driver.c (threads,
 * barriers, the deadline), driver_ops.c (the operations) and
 * driver_promise.c (what the file system promised, as marks).
 */
#ifndef LWFUZZ_DRIVER_INT_H
#define LWFUZZ_DRIVER_INT_H

#include <pthread.h>
#include <stdint.h>

#include "guest/driver.h"
#include "lib/promise_mark.h"

/* The descriptors a path opened, kept until "close" (workload.h). */
struct path_fd {
	int fd, dfd; /* buffered and O_DIRECT */
	int osync; /* opened O_SYNC (2) or O_DSYNC (1) */
};

/* Per path id, what the driver knows of the name. */
#define PATH_DURABLE (1u << 0) /* names what it names in every crash state */
#define PATH_FRESH (1u << 1) /* made by mkdir, untouched since */
#define PATH_PROMISED (1u << 2) /* a promise mark about it is active */

/* Modifications in flight and done, per inode. */
struct ino_track {
	uint64_t ino;
	unsigned long gen;
	int busy;
};

#define INO_TRACK 256

struct model {
	uint8_t flags[WL_PATH_IDS];
	uint64_t removed[WL_PATH_IDS]; /* the inode unlinked from it, or 0 */
	uint64_t pino[WL_PATH_IDS]; /* the inode its promise is about */
	struct promise *held[WL_PATH_IDS]; /* its active state promise */
	unsigned long ns_gen, all_gen;
	int ns_busy, all_busy;
	struct ino_track inos[INO_TRACK];
};

struct barrier {
	unsigned int parties, arrived;
	unsigned long round;
};

struct worker;

struct run {
	const struct workload *w;
	const struct driver_cfg *cfg;
	struct driver_result *res;
	pthread_mutex_t lock; /* everything below, and the order of marks */
	pthread_cond_t cond;
	struct path_fd *fds; /* WL_PATH_IDS */
	struct model *m;
	struct barrier barriers[WL_MAX_ID + 1];
	struct worker *wk;
	double deadline;
	int running;
	int delay_fd, delay_errno; /* lwfuzz.ko's delay file (driver_delay.c) */
};

struct worker {
	struct run *run;
	unsigned int t;
	unsigned int at; /* index of the op being run */
	const struct wl_op *cur; /* a file system operation in flight */
	int done;
};

/* driver.c */
void mark_locked(struct run *r, const char *text);
void mark(struct run *r, const char *text);
char *path_abs(struct run *r, uint16_t path);

/* driver_ops.c: run one operation; 0 or -1 (counted, the run goes on). */
void driver_ops_init(void);
int run_fs_op(struct run *r, const struct wl_op *op, unsigned int t,
	      unsigned int i);
void close_path(struct run *r, uint16_t path);

/* driver_delay.c: the run's delays (lwfuzz.ko). */
void delay_begin(struct run *r);
int delay_arm(struct run *r, const struct wl_op *op);
/* After every thread ended: how many fired, then the probes go. */
void delay_end(struct run *r);

/* driver_promise.c: the model; callers hold r->lock unless said. */
int model_init(struct run *r);
void model_free(struct run *r);
/* Before and after changing the names @paths (and the inodes @inos). */
void ns_begin(struct run *r, const uint16_t *paths, unsigned int n,
	      const uint64_t *inos, unsigned int ni);
void ns_end(struct run *r);
/* Before and after changing inode @ino's data or attributes. */
void ino_begin(struct run *r, uint64_t ino);
void ino_end(struct run *r, uint64_t ino);
struct ino_track *ino_track(struct run *r, uint64_t ino);

/*
 * A durability point's snapshot of the counters, taken (under the lock)
 * before it starts; promise_*() are called without the lock once it
 * returned and promise only when nothing overlapped it.
 */
struct sync_point {
	char by[40]; /* its mark */
	unsigned long ns_gen, all_gen, ino_gen;
	int ns_quiet, all_quiet, ino_quiet;
	uint64_t ino, dev;
};
void sync_point_begin(struct run *r, struct sync_point *sp, int fd);
enum promise_kind {
	PROMISE_FSYNC,
	PROMISE_FDATASYNC,
	PROMISE_SYNC,
	PROMISE_RANGE,
};
struct pending;
/* Read what the point will promise, after sync_point_begin(), before it. */
struct pending *promise_prepare(struct run *r, const struct sync_point *sp,
				int fd, enum promise_kind kind);
/* Once it returned: the marks, if it succeeded and nothing overlapped. */
void promise_commit(struct run *r, struct pending *p, int succeeded);
/* ... for a range of bytes (O_SYNC, O_DSYNC, msync) hashing to @digest. */
void promise_commit_range(struct run *r, struct pending *p, uint64_t off,
			  uint64_t len, uint64_t digest, const char *rule);
/* Rename atomicity: see driver_promise.c. */
struct rename_point {
	int durable;
	uint64_t ino_a, ino_b;
	unsigned long ns_gen;
};
void rename_point_begin(struct run *r, struct rename_point *rp, uint16_t a,
			uint16_t b);
void promise_rename(struct run *r, const struct rename_point *rp, uint16_t a,
		    uint16_t b, int exchange, const char *by);
/* After a successful mkdir, unlink, rmdir or rename (lock held). */
void model_created_dir(struct run *r, uint16_t path);
void model_removed(struct run *r, uint16_t path, uint64_t ino);
void model_moved_out(struct run *r, uint16_t dir);

#endif
