/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replayer (runs in the guest): apply a dm-log-writes log to a target
 * device entry by entry and, at every chosen crash point, mount a
 * throw-away copy-on-write view of the target (dm-snapshot), check it and
 * drop the view. Replay is incremental: point k+1 continues from point k.
 */
#ifndef LWFUZZ_REPLAYER_H
#define LWFUZZ_REPLAYER_H

#include <stdint.h>

/* Which entries are crash points. */
#define POINT_FLUSH (1u << 0)
#define POINT_FUA (1u << 1)
#define POINT_MARK (1u << 2)
#define POINT_ALL (1u << 3)

struct replay_stats;

struct replay_cfg {
	const char *log_path; /* the log (block device or image) */
	const char *target_path; /* replayed onto this block device */
	const char *cow_path; /* scratch for the snapshot's COW data */
	const char *mnt; /* mount point for the crash states */
	unsigned int points; /* POINT_* */
	const char *start_mark; /* NULL: "mkfs" if the log has it */
	const char *end_mark; /* NULL: to the end */
	/*
	 * A log whose file system came from a template (guest/fs_template.h):
	 * it has no mkfs mark, every crash point counts, and its entries are
	 * numbered after the template's @index_base, as in the log saved.
	 */
	int from_first;
	uint64_t index_base;
	/*
	 * Leave the view devices (dm-snapshot and its COW halves) for the
	 * next replay over the same target and COW disk; the caller removes
	 * them with replay_release_views() when done.
	 */
	int keep_views;
	int fsck; /* also run btrfs check --readonly */
	int no_share; /* a mount per crash state even when the contents equal
			 the previous one's (today's cost, for benchmarks) */
	/*
	 * Check only part @part (from 0) of @parts equal runs of the crash
	 * points (0 or 1 parts: all); the others are replayed, not mounted,
	 * and keep their numbers. Replays of one log's parts in separate
	 * kernels check it on several CPUs: one kernel cannot mount two
	 * views of one btrfs at once.
	 */
	unsigned int part, parts;
	const char *report_path; /* JSON report; NULL: none */
	int quiet; /* no line per crash point */
	struct replay_stats *stats; /* filled at the end when not NULL */
};

/* What a replay saw, for the fuzzer's feedback. */
struct replay_stats {
	unsigned long points, failed, findings, extents, reg_extents;
	unsigned int checks; /* bit per failed check kind (replayer.c) */
};

/*
 * Parse "flush,fua,mark" / "all" into POINT_* bits; -1 on a bad word.
 */
int replay_parse_points(const char *s, unsigned int *points);

/* 0: every crash state passed, 1: a check failed, 2: error (printed). */
int replay_run(const struct replay_cfg *cfg);

/* Remove the view devices a replay with keep_views left. */
void replay_release_views(void);

#endif
