// SPDX-License-Identifier: GPL-2.0
/*
 * lwfuzz-agent: the part of lwfuzz that runs inside the guest, next to the
 * kernel under test. The host starts it through `lwfuzz vm`.
 *
 *   lwfuzz-agent replay --log DEV --target DEV --cow DEV [--mnt DIR]
 *                [--points LIST] [--start-mark M] [--end-mark M] [--fsck]
 *                [--report FILE] [--part K/N]
 *   lwfuzz-agent run --workload F --data D --log L --target T --cow C
 *                [--runs N] [--delay-ms MS] [--timeout S] [--fsck] [--out DIR]
 *   lwfuzz-agent apply LOG TARGET FROM TO
 *   lwfuzz-agent restore LOG TARGET TO
 *   lwfuzz-agent find LOG fua|mark FROM|NAME
 *   lwfuzz-agent expect-mark MNT FILE OFF LEN
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay/fs_state.h"
#include "lib/promise_mark.h"
#include "lib/log_apply.h"
#include "lib/agent_cmdline.h"
#include "lib/log_reader.h"
#include "guest/agent_run.h"

#include "lib/msg.h"
#include "replay/replayer.h"

static int agent_replay(int argc, char **argv)
{
	struct agent_replay_args a;
	struct replay_cfg cfg = { .points = POINT_FLUSH | POINT_FUA |
					    POINT_MARK };
	char why[256];

	if (agent_replay_parse(argc, argv, &a, why, sizeof(why))) {
		lw_err("lwfuzz-agent replay: %s", why);
		return 2;
	}
	if (a.points && replay_parse_points(a.points, &cfg.points)) {
		lw_err("lwfuzz-agent replay: bad --points '%s' (flush,fua,mark or all)",
		       a.points);
		return 2;
	}
	cfg.log_path = a.log;
	cfg.target_path = a.target;
	cfg.cow_path = a.cow;
	cfg.mnt = a.mnt;
	cfg.start_mark = a.start_mark;
	cfg.end_mark = a.end_mark;
	cfg.fsck = a.fsck;
	cfg.no_share = a.no_share;
	cfg.part = a.part;
	cfg.parts = a.parts;
	cfg.report_path = a.report;
	return replay_run(&cfg);
}

/*
 * apply LOG TARGET FROM TO: write entries [FROM, TO] of LOG onto TARGET
 * (the replay half alone; the benchmark's reference loop uses it the way
 * fstests uses replay-log).
 */
static int agent_apply(int argc, char **argv)
{
	unsigned long long from, to;
	struct log_entry *e = malloc(sizeof(*e));
	struct log_reader *r;
	char why[512];
	int fd, ret = 2;

	if (argc != 5 || !e) {
		lw_err("usage: lwfuzz-agent apply LOG TARGET FROM TO");
		free(e);
		return 2;
	}
	from = strtoull(argv[3], NULL, 10);
	to = strtoull(argv[4], NULL, 10);
	r = log_open(argv[1], 0, why, sizeof(why));
	fd = open(argv[2], O_RDWR | O_CLOEXEC);
	if (!r || fd < 0) {
		lw_err("%s", r ? strerror(errno) : why);
		goto out;
	}
	while (log_next(r, e, why, sizeof(why)) == 1 && e->index <= to) {
		if (e->index >= from && log_apply(r, e, fd))
			goto out;
	}
	ret = fsync(fd) ? 2 : 0;
out:
	if (fd >= 0)
		close(fd);
	log_close(r);
	free(e);
	return ret;
}

/*
 * restore LOG TARGET TO: TARGET holds exactly the logged blocks of the
 * crash state after entry TO, whatever earlier restores left there: the
 * blocks of later entries are zeroed (the state of a fresh disk), then
 * entries 0..TO are written again. The fstests harness of the tests
 * (tests/fstests-harness) replays through this, in any order.
 */
static int agent_restore(int argc, char **argv)
{
	unsigned long long to;
	struct log_entry *e = malloc(sizeof(*e));
	struct log_reader *r = NULL;
	char why[512];
	int fd = -1, ret = 2;

	if (argc != 4 || !e) {
		lw_err("usage: lwfuzz-agent restore LOG TARGET TO");
		goto out;
	}
	to = strtoull(argv[3], NULL, 10);
	for (int pass = 0; pass < 2; pass++) {
		log_close(r);
		r = log_open(argv[1], 0, why, sizeof(why));
		if (!r) {
			lw_err("%s", why);
			goto out;
		}
		if (fd < 0)
			fd = open(argv[2], O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			lw_err("%s: %s", argv[2], strerror(errno));
			goto out;
		}
		while (log_next(r, e, why, sizeof(why)) == 1) {
			/* Pass 0: a later entry's blocks become a discard's zeroes. */
			if (pass == 0 && e->index > to && e->nr_sectors &&
			    !(e->flags & LOG_MARK)) {
				struct log_entry z = *e;

				z.flags = LOG_DISCARD;
				if (log_apply(r, &z, fd))
					goto out;
			}
			if (pass == 1 && e->index <= to && log_apply(r, e, fd))
				goto out;
		}
	}
	ret = fsync(fd) ? 2 : 0;
out:
	if (fd >= 0)
		close(fd);
	log_close(r);
	free(e);
	return ret;
}

/*
 * find LOG fua FROM: the index of the first FUA entry at or after FROM;
 * find LOG mark NAME: the index of the mark NAME. Prints nothing (exit 1)
 * when there is none.
 */
static int agent_find(int argc, char **argv)
{
	struct log_entry *e = malloc(sizeof(*e));
	struct log_reader *r;
	unsigned long long from = 0;
	char why[512];
	int fua = argc == 4 && !strcmp(argv[2], "fua"), ret = 1;

	if (argc != 4 || (!fua && strcmp(argv[2], "mark")) || !e) {
		lw_err("usage: lwfuzz-agent find LOG fua|mark FROM|NAME");
		free(e);
		return 2;
	}
	if (fua)
		from = strtoull(argv[3], NULL, 10);
	r = log_open(argv[1], 0, why, sizeof(why));
	if (!r) {
		lw_err("%s", why);
		free(e);
		return 2;
	}
	while (ret == 1 && log_next(r, e, why, sizeof(why)) == 1)
		if (fua ? e->index >= from && (e->flags & LOG_FUA) :
			  (e->flags & LOG_MARK) && !strcmp(e->mark, argv[3])) {
			printf("%llu\n", (unsigned long long)e->index);
			ret = 0;
		}
	log_close(r);
	free(e);
	return ret;
}

/* expect-mark MNT FILE OFF LEN: the mark promising FILE's current bytes. */
static int agent_expect_mark(int argc, char **argv)
{
	struct promise x = { 0 };
	size_t ml;
	char mark[512];
	int ret;

	if (argc != 5) {
		lw_err("usage: lwfuzz-agent expect-mark MNT FILE OFF LEN");
		return 2;
	}
	ml = strlen(argv[1]);
	if (strncmp(argv[2], argv[1], ml) || argv[2][ml] != '/') {
		lw_err("%s is not under %s", argv[2], argv[1]);
		return 2;
	}
	snprintf(x.path, sizeof(x.path), "%s", argv[2] + ml + 1);
	x.off = strtoull(argv[3], NULL, 10);
	x.len = strtoull(argv[4], NULL, 10);
	ret = fs_range_digest(argv[2], x.off, x.len, &x.range);
	if (ret) {
		lw_err("%s: %s", argv[2], strerror(-ret));
		return 2;
	}
	if (expect_mark_format(mark, sizeof(mark), &x)) {
		lw_err("path %s does not fit a mark", x.path);
		return 2;
	}
	puts(mark);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "replay"))
		return agent_replay(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return agent_run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "apply"))
		return agent_apply(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "restore"))
		return agent_restore(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "find"))
		return agent_find(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "expect-mark"))
		return agent_expect_mark(argc - 1, argv + 1);
	fprintf(stderr, "usage: lwfuzz-agent replay OPTIONS\n"
			"       lwfuzz-agent run OPTIONS\n"
			"       lwfuzz-agent apply LOG TARGET FROM TO\n"
			"       lwfuzz-agent restore LOG TARGET TO\n"
			"       lwfuzz-agent find LOG fua|mark FROM|NAME\n"
			"       lwfuzz-agent expect-mark MNT FILE OFF LEN\n");
	return 2;
}
