// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "replay/csum_oracle.h"
#include "replay/promise_check.h"
#include "replay/dm_dev.h"
#include "lib/check_failure.h"
#include "lib/fsutil.h"
#include "replay/kmsg.h"
#include "lib/log_apply.h"
#include "lib/msg.h"
#include "lib/report.h"
#include "replay/read_check.h"
#include "replay/replayer.h"
#include "lib/spawn.h"

#define SNAP_NAME "lwfuzz-crash-state"
#define COW_NAME "lwfuzz-cow%d"

int replay_parse_points(const char *s, unsigned int *points)
{
	char *copy = strdup(s), *save = NULL;
	int ret = 0;

	*points = 0;
	for (char *w = strtok_r(copy, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "flush"))
			*points |= POINT_FLUSH;
		else if (!strcmp(w, "fua"))
			*points |= POINT_FUA;
		else if (!strcmp(w, "mark"))
			*points |= POINT_MARK;
		else if (!strcmp(w, "all"))
			*points |= POINT_ALL;
		else
			ret = -1;
	}
	free(copy);
	return *points ? ret : -1;
}

static int is_point(unsigned int points, const struct log_entry *e)
{
	if (points & POINT_ALL)
		return 1;
	/* A group of state marks ends in a mark that is a point of its own. */
	if ((e->flags & LOG_MARK) &&
	    !strncmp(e->mark, STATE_PREFIX, strlen(STATE_PREFIX)))
		return 0;
	return ((points & POINT_FLUSH) && (e->flags & LOG_FLUSH)) ||
	       ((points & POINT_FUA) && (e->flags & LOG_FUA)) ||
	       ((points & POINT_MARK) && (e->flags & LOG_MARK));
}

/* One crash state's findings, gathered for the report. */
struct point_sink {
	struct failure_sink sink;
	struct report_failure fail;
	size_t room; /* in fail.checks */
};

/* Check kinds as feedback bits (replay_stats.checks). */
static const char *const check_kinds[] = { "missing-csum", "mount", "read",
					   "stale",	   "data",  "fsck",
					   "walk" };

static unsigned int check_bit(const char *check)
{
	for (unsigned int i = 0; i < sizeof(check_kinds) / sizeof(*check_kinds);
	     i++)
		if (!strcmp(check, check_kinds[i]))
			return 1u << i;
	return 1u << 31;
}

static unsigned int seen_checks;

static void collect(struct failure_sink *s, const struct check_failure *f)
{
	struct point_sink *ps = (struct point_sink *)s;
	struct report_failure *fl = &ps->fail;

	seen_checks |= check_bit(f->check);
	s->count++;
	if (fl->nchecks == ps->room) {
		/* A broken directory may fail a read check per file. */
		size_t room = ps->room ? 2 * ps->room : 4;
		struct check_failure *c =
			realloc(fl->checks, room * sizeof(*c));

		if (!c)
			abort();
		fl->checks = c;
		ps->room = room;
	}
	fl->checks[fl->nchecks++] = *f;
	printf("  FINDING ");
	check_failure_text(stdout, f);
}

struct run_state {
	const struct replay_cfg *cfg;
	struct log_reader *log;
	int target_fd;
	uint64_t target_sectors;
	FILE *report;
	unsigned long points_total, points_done, points_failed, findings;
	unsigned long points_seen; /* every point so far, checked or not */
	unsigned long first, last; /* the points to check (cfg->part) */
	unsigned long extents, reg_extents, files_read, bad_marks;
	double t_apply, t_snap, t_mount, t_check, t_umount, t_fsck;
	double t_count, t_entries, t_views; /* once per replay, not per point */
	struct promise_set promises;
	double t0;
	/*
	 * A crash point with no write or discard since the previous one has
	 * the same device contents: it shares that point's mount and its
	 * findings about the contents, and only its promises are checked
	 * anew (a mark may promise more or forget). Off with --fsck, which
	 * needs each state unmounted.
	 */
	int dirty; /* a write or discard since the last state mounted */
	int mounted; /* that state is still mounted at cfg->mnt */
	int have_last; /* last_* below describe it */
	struct check_failure *last_fail; /* its content findings */
	size_t last_nfail;
	unsigned long last_extents, last_reg_extents, last_files;
	unsigned long points_shared;
};

/*
 * The devices crash states are viewed through. They outlive one replay
 * when the caller keeps them (replay_cfg.keep_views): an agent running
 * execution after execution makes them once, not three creates and three
 * removes per execution.
 */
static struct view_devs {
	char snap[64];
	char cow[2][64]; /* two halves of the COW disk, used in turn */
	int snap_live;
	unsigned long views; /* made so far: which COW half is next */
	char target[256], cow_path[256]; /* what they were made over */
	uint64_t target_sectors;
} vd;

/* The entry's number in the whole log (a template's entries first). */
static unsigned long long entry_no(const struct run_state *rs,
				   const struct log_entry *e)
{
	return (unsigned long long)e->index + rs->cfg->index_base;
}

static void mount_finding(struct failure_sink *s, int err, const char *kmsg)
{
	struct check_failure f = { .check = "mount" };

	snprintf(f.detail, sizeof(f.detail), "mount failed: %s; kernel: %s",
		 strerror(err), kmsg);
	s->report(s, &f);
}

static void fsck_check(const char *dev, struct failure_sink *s)
{
	char *argv[] = { "btrfs", "check", "--readonly", (char *)dev, NULL };
	char *out = NULL;
	int st = spawn_capture_all(argv, &out);

	if (st != 0) {
		struct check_failure f = { .check = "fsck" };

		snprintf(f.detail, sizeof(f.detail),
			 "btrfs check --readonly exited %d: %s", st,
			 out ? out : "");
		s->report(s, &f);
	}
	free(out);
}

/* The checks of the device contents (the promises are checked apart). */
static void check_contents(struct run_state *rs, struct failure_sink *s)
{
	struct csum_oracle_stats st;
	char why[512];

	if (csum_oracle_check(rs->cfg->mnt, s, &st, why, sizeof(why))) {
		struct check_failure f = { .check = "walk" };

		snprintf(f.detail, sizeof(f.detail),
			 "cannot walk the trees: %s", why);
		s->report(s, &f);
	}
	long files = read_check(rs->cfg->mnt, s);

	rs->last_extents = st.extents;
	rs->last_reg_extents = st.reg_extents;
	rs->last_files = files > 0 ? (unsigned long)files : 0;
}

/*
 * The two COW areas: halves of the COW disk as linear devices. Each new
 * view takes the other one, because dm-snapshot hands a COW device's
 * exceptions over to a new table that names the same COW device.
 */
static void drop_views(void);

static int make_cows(struct run_state *rs, char *why, size_t whylen)
{
	uint64_t bytes;
	int fd;

	if (vd.cow[0][0] && !strcmp(vd.target, rs->cfg->target_path) &&
	    !strcmp(vd.cow_path, rs->cfg->cow_path) &&
	    vd.target_sectors == rs->target_sectors)
		return 0;
	drop_views();
	snprintf(vd.target, sizeof(vd.target), "%s", rs->cfg->target_path);
	snprintf(vd.cow_path, sizeof(vd.cow_path), "%s", rs->cfg->cow_path);
	vd.target_sectors = rs->target_sectors;
	fd = open(rs->cfg->cow_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes) < 0) {
		snprintf(why, whylen, "%s: %s", rs->cfg->cow_path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	uint64_t half = (bytes >> 9) / 2;

	for (int i = 0; i < 2; i++) {
		char name[32], params[512];

		snprintf(name, sizeof(name), COW_NAME, i);
		snprintf(params, sizeof(params), "%s %llu", rs->cfg->cow_path,
			 (unsigned long long)i * half);
		if (dm_dev_create(name, half, "linear", params, vd.cow[i],
				  sizeof(vd.cow[i]), why, whylen))
			return -1;
	}
	return 0;
}

/* A new throw-away view of the target: a snapshot with an empty COW. */
static int fresh_view(struct run_state *rs, char *why, size_t whylen)
{
	char params[512];
	/* Per view, not per point: shared points make no view. */
	int cow = vd.views++ & 1;

	snprintf(params, sizeof(params), "%s %s N 8", rs->cfg->target_path,
		 vd.cow[cow]);
	if (vd.snap_live)
		return dm_dev_reload(SNAP_NAME, rs->target_sectors, "snapshot",
				     params, why, whylen);
	if (dm_dev_create(SNAP_NAME, rs->target_sectors, "snapshot", params,
			  vd.snap, sizeof(vd.snap), why, whylen))
		return -1;
	vd.snap_live = 1;
	return 0;
}

static void drop_views(void)
{
	char name[32];

	if (vd.snap_live && dm_dev_remove(SNAP_NAME))
		lw_err("cannot remove %s", SNAP_NAME);
	vd.snap_live = 0;
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), COW_NAME, i);
		if (vd.cow[i][0] && dm_dev_remove(name))
			lw_err("cannot remove %s", name);
		vd.cow[i][0] = '\0';
	}
}

void replay_release_views(void)
{
	drop_views();
}

/* Keep the content findings of the state just checked for the next point. */
static void keep_contents(struct run_state *rs, const struct point_sink *ps)
{
	size_t n = ps->fail.nchecks;

	free(rs->last_fail);
	rs->last_fail = NULL;
	if (n) {
		rs->last_fail = malloc(n * sizeof(*rs->last_fail));
		if (!rs->last_fail)
			abort();
		memcpy(rs->last_fail, ps->fail.checks,
		       n * sizeof(*rs->last_fail));
	}
	rs->last_nfail = n;
	rs->have_last = 1;
	rs->dirty = 0;
}

static void count_contents(struct run_state *rs)
{
	rs->extents += rs->last_extents;
	rs->reg_extents += rs->last_reg_extents;
	rs->files_read += rs->last_files;
}

static void unmount_last(struct run_state *rs)
{
	double t = lw_now();

	if (!rs->mounted)
		return;
	if (umount(rs->cfg->mnt) < 0)
		lw_err("umount %s: %s", rs->cfg->mnt, strerror(errno));
	rs->mounted = 0;
	rs->t_umount += lw_now() - t;
}

/* The same contents as the last state: its findings, new promises. */
static void check_shared(struct run_state *rs, struct point_sink *ps)
{
	double t = lw_now();

	for (size_t i = 0; i < rs->last_nfail; i++)
		ps->sink.report(&ps->sink, &rs->last_fail[i]);
	count_contents(rs);
	if (rs->mounted)
		promise_check(rs->cfg->mnt, &rs->promises, &ps->sink);
	rs->t_check += lw_now() - t;
	rs->points_shared++;
}

/* Mount a snapshot of the target as it is now and run every check. */
static int check_state(struct run_state *rs, struct point_sink *ps)
{
	struct failure_sink *s = &ps->sink;
	char why[512], kmsg[1536];
	int kfd, ret;

	if (!rs->cfg->fsck && !rs->cfg->no_share && rs->have_last &&
	    !rs->dirty) {
		check_shared(rs, ps);
		return 0;
	}
	unmount_last(rs);
	rs->have_last = 0;

	double t = lw_now();

	if (fsync(rs->target_fd) < 0) {
		lw_err("flushing the replay target: %s", strerror(errno));
		return -1;
	}
	rs->t_apply += lw_now() - t;
	t = lw_now();
	if (fresh_view(rs, why, sizeof(why))) {
		lw_err("%s", why);
		return -1;
	}
	rs->t_snap += lw_now() - t;
	t = lw_now();
	kfd = kmsg_open();
	if (mount(vd.snap, rs->cfg->mnt, "btrfs", 0, NULL) < 0) {
		ret = errno;
		kmsg_read(kfd, kmsg, sizeof(kmsg));
		mount_finding(s, ret, kmsg);
		rs->t_mount += lw_now() - t;
		rs->last_extents = rs->last_reg_extents = rs->last_files = 0;
		keep_contents(rs, ps);
	} else {
		rs->mounted = 1;
		rs->t_mount += lw_now() - t;
		t = lw_now();
		check_contents(rs, s);
		keep_contents(rs, ps);
		count_contents(rs);
		promise_check(rs->cfg->mnt, &rs->promises, s);
		rs->t_check += lw_now() - t;
		/* The next point may share this mount (see run_state). */
		if (rs->cfg->fsck) {
			unmount_last(rs);
			t = lw_now();
			fsck_check(vd.snap, s);
			rs->t_fsck += lw_now() - t;
		}
	}
	kmsg_close(kfd);
	return 0;
}

static void report_point(struct run_state *rs, const struct log_entry *e,
			 struct point_sink *ps)
{
	if (ps->sink.count) {
		rs->points_failed++;
		rs->findings += ps->sink.count;
		ps->fail.point = rs->points_seen;
		ps->fail.entry = entry_no(rs, e);
		ps->fail.flags = log_flags_str(e->flags);
		ps->fail.mark = e->mark;
		if (rs->report)
			report_write_failure(rs->report, &ps->fail,
					     rs->points_failed - 1);
	}
	free(ps->fail.checks);
}

static int do_point(struct run_state *rs, const struct log_entry *e)
{
	struct point_sink ps = { .sink = { .report = collect } };
	int ret;

	rs->points_done++;
	ret = check_state(rs, &ps);
	double dt = lw_now() - rs->t0;

	if (!rs->cfg->quiet || ps.sink.count)
		printf("replay: point %lu/%lu entry %llu %s%s%s: %s (%.1f points/s)\n",
		       rs->points_seen, rs->points_total,
		       entry_no(rs, e),
		       log_flags_str(e->flags),
		       e->mark[0] ? " " : "", e->mark,
		       ps.sink.count ? "FAILED" : "ok",
		       dt > 0 ? rs->points_done / dt : 0.0);
	fflush(stdout);
	report_point(rs, e, &ps);
	return ret;
}

/*
 * Headers only: how many crash points lie between the start and the end
 * mark, and whether the default start mark is in the log at all.
 */
static int count_points(struct run_state *rs, const char *start, int *has_start)
{
	struct log_entry *e = malloc(sizeof(*e));
	char why[512];
	int ret, started = !start;

	*has_start = 0;
	if (!e)
		return -1;
	while ((ret = log_next(rs->log, e, why, sizeof(why))) == 1) {
		if (started && is_point(rs->cfg->points, e))
			rs->points_total++;
		if (start && (e->flags & LOG_MARK) && !strcmp(e->mark, start)) {
			*has_start = 1;
			started = 1;
		}
		if (rs->cfg->end_mark && (e->flags & LOG_MARK) &&
		    !strcmp(e->mark, rs->cfg->end_mark))
			break;
	}
	free(e);
	if (ret < 0)
		lw_err("%s: %s", rs->cfg->log_path, why);
	return ret < 0 ? -1 : 0;
}

/* VmHWM: the replayer's own peak resident memory. */
static long peak_rss_kib(void)
{
	char *status = read_file("/proc/self/status", NULL);
	char *p = status ? strstr(status, "VmHWM:") : NULL;
	long kib = p ? strtol(p + 6, NULL, 10) : -1;

	free(status);
	return kib;
}

/* A mark may carry a promise (lib/promise_mark.h). */
static int track_mark(struct run_state *rs, const struct log_entry *e)
{
	struct promise x;
	enum mark_kind kind = promise_mark_parse(e->mark, &x);

	if (kind == MARK_BAD) {
		/* Not ours to judge the crash state by; say so once each. */
		lw_err("entry %llu: malformed promise mark '%s' ignored",
		       entry_no(rs, e),
		       e->mark);
		rs->bad_marks++;
		return 0;
	}
	x.entry = entry_no(rs, e);
	if (promise_set_apply(&rs->promises, kind, &x)) {
		lw_err("out of memory for promises");
		return -1;
	}
	return 0;
}

static int replay_loop(struct run_state *rs, const char *start)
{
	struct log_entry *e = malloc(sizeof(*e));
	char why[512];
	int ret, started = !start, err = 0;

	if (!e)
		return -1;
	while (!err && (ret = log_next(rs->log, e, why, sizeof(why))) == 1) {
		double t = lw_now();
		int r = log_apply(rs->log, e, rs->target_fd);

		rs->t_entries += lw_now() - t;
		if (e->nr_sectors || (e->flags & LOG_DISCARD))
			rs->dirty = 1;

		if (r) {
			lw_err("replaying entry %llu onto %s: %s",
			       entry_no(rs, e),
			       rs->cfg->target_path, strerror(-r));
			err = 1;
			break;
		}
		if ((e->flags & LOG_MARK) && track_mark(rs, e))
			err = 1;
		if (!err && started && is_point(rs->cfg->points, e) &&
		    ++rs->points_seen >= rs->first) {
			if (rs->points_seen > rs->last)
				break; /* the rest is another part's */
			err = do_point(rs, e) ? 1 : 0;
		}
		if (start && (e->flags & LOG_MARK) && !strcmp(e->mark, start))
			started = 1;
		if (rs->cfg->end_mark && (e->flags & LOG_MARK) &&
		    !strcmp(e->mark, rs->cfg->end_mark))
			break;
	}
	if (!err && ret < 0) {
		lw_err("%s: %s", rs->cfg->log_path, why);
		err = 1;
	}
	free(e);
	return err ? -1 : 0;
}

static int open_target(struct run_state *rs)
{
	uint64_t bytes;

	rs->target_fd = open(rs->cfg->target_path, O_RDWR | O_CLOEXEC);
	if (rs->target_fd < 0 ||
	    ioctl(rs->target_fd, BLKGETSIZE64, &bytes) < 0) {
		lw_err("%s: %s (the replay target must be a block device)",
		       rs->cfg->target_path, strerror(errno));
		return -1;
	}
	rs->target_sectors = bytes >> 9;
	return 0;
}

/* Points first..last (from 1) are this replay's part of the log's. */
static void part_range(struct run_state *rs)
{
	unsigned long n = rs->points_total;
	unsigned int k = rs->cfg->part, parts = rs->cfg->parts;

	if (parts < 2) {
		rs->first = 1;
		rs->last = n;
		return;
	}
	rs->first = n * k / parts + 1;
	rs->last = n * (k + 1) / parts;
}

static void report_head(struct run_state *rs, const char *start)
{
	const struct log_super *sb = log_super(rs->log);
	struct report r = { .log_entries = sb->nr_entries,
			    .log_sectorsize = sb->sectorsize,
			    .start_mark = start,
			    .fsck = rs->cfg->fsck };

	report_write_head(rs->report, &r);
}

static int report_tail(struct run_state *rs, int err)
{
	struct report r = { .points_total = rs->points_total,
			    .points_checked = rs->points_done,
			    .points_failed = rs->points_failed,
			    .findings = rs->findings,
			    .extents_checked = rs->extents,
			    .regular_extents_checked = rs->reg_extents,
			    .files_read = rs->files_read,
			    .seconds = lw_now() - rs->t0,
			    .verdict = err		   ? REPORT_ERROR
				       : rs->points_failed ? REPORT_CORRUPT
							   : REPORT_CLEAN };

	return report_write_tail(rs->report, &r);
}

int replay_run(const struct replay_cfg *cfg)
{
	struct run_state rs = { .cfg = cfg, .target_fd = -1 };

	seen_checks = 0;
	const char *start = cfg->start_mark ? cfg->start_mark
			    : cfg->from_first ? NULL
					      : "mkfs";
	char why[512], *tmp = NULL;
	int has_start, err = 1;
	double t = lw_now();

	rs.log = log_open(cfg->log_path, 0, why, sizeof(why));
	if (!rs.log) {
		lw_err("%s", why);
		return 2;
	}
	if (count_points(&rs, start, &has_start))
		goto out;
	if (!has_start && cfg->start_mark) {
		lw_err("start mark '%s' is not in the log", cfg->start_mark);
		goto out;
	}
	if (!has_start && start) {
		/* No mkfs mark: check from the first entry on. */
		start = NULL;
		rs.points_total = 0;
		log_close(rs.log);
		rs.log = log_open(cfg->log_path, 0, why, sizeof(why));
		if (!rs.log || count_points(&rs, NULL, &has_start))
			goto out;
	}
	log_close(rs.log);
	rs.log = log_open(cfg->log_path, 0, why, sizeof(why));
	rs.t_count = lw_now() - t;
	part_range(&rs);
	if (!rs.log || open_target(&rs))
		goto out;
	t = lw_now();
	if (make_cows(&rs, why, sizeof(why))) {
		lw_err("%s", why);
		goto out;
	}
	rs.t_views = lw_now() - t;
	if (cfg->report_path) {
		tmp = xasprintf("%s.tmp", cfg->report_path);
		rs.report = fopen(tmp, "w");
		if (!rs.report) {
			lw_err("%s: %s", tmp, strerror(errno));
			goto out;
		}
		/* The template's entries ended with the mark "mkfs". */
		report_head(&rs, cfg->from_first && cfg->index_base ? "mkfs"
								    : start);
	}
	printf("replay: %lu crash points%s%s%s\n", rs.points_total,
	       start ? " after mark '" : "", start ? start : "",
	       start ? "'" : "");
	if (cfg->parts > 1)
		printf("replay: part %u of %u: crash points %lu to %lu\n",
		       cfg->part + 1, cfg->parts, rs.first, rs.last);
	fflush(stdout);
	mkdir_p(cfg->mnt, 0755);
	rs.t0 = lw_now();
	err = replay_loop(&rs, start) ? 1 : 0;
	unmount_last(&rs);
	if (rs.report) {
		int bad = report_tail(&rs, err);

		if (fclose(rs.report) || bad || rename(tmp, cfg->report_path)) {
			lw_err("cannot write %s", cfg->report_path);
			err = 1;
		}
	}
	printf("replay: peak memory %ld KiB\n", peak_rss_kib());
	if (rs.points_done) {
		double n = rs.points_done / 1000.0;

		printf("replay: ms per crash point: flush %.1f, new view %.1f, mount %.1f, checks %.1f, umount %.1f, fsck %.1f\n",
		       rs.t_apply / n, rs.t_snap / n, rs.t_mount / n,
		       rs.t_check / n, rs.t_umount / n, rs.t_fsck / n);
		printf("replay: %lu of %lu crash points had the previous one's contents (its mount shared, promises checked anew)\n",
		       rs.points_shared, rs.points_done);
	}
	t = lw_now();
	if (!cfg->keep_views)
		drop_views();
	rs.t_views += lw_now() - t;
	printf("replay: once per replay: reading the log %.0f ms, applying its entries %.0f ms, making and removing devices %.0f ms\n",
	       rs.t_count * 1000, rs.t_entries * 1000, rs.t_views * 1000);
	printf("replay: %s: %lu of %lu crash points checked (%lu extents, %lu regular, %lu file reads), %lu failed, %lu findings (%.1f points/s)\n",
	       err		  ? "ERROR"
	       : rs.points_failed ? "CORRUPT"
				  : "CLEAN",
	       rs.points_done, rs.points_total, rs.extents, rs.reg_extents,
	       rs.files_read, rs.points_failed, rs.findings,
	       rs.points_done / (lw_now() - rs.t0 + 1e-9));
out:
	unmount_last(&rs);
	free(rs.last_fail);
	if (err || !cfg->keep_views)
		drop_views();
	promise_set_free(&rs.promises);
	free(tmp);
	if (rs.target_fd >= 0)
		close(rs.target_fd);
	log_close(rs.log);
	if (err)
		return 2;
	if (cfg->stats)
		*cfg->stats =
			(struct replay_stats){ .points = rs.points_done,
					       .failed = rs.points_failed,
					       .findings = rs.findings,
					       .extents = rs.extents,
					       .reg_extents = rs.reg_extents,
					       .checks = seen_checks };
	return rs.points_failed ? 1 : 0;
}
