// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds/cmds.h"
#include "lib/fsutil.h"
#include "vm/image_probe.h"
#include "setup/layout.h"
#include "lib/log_apply.h"
#include "lib/log_scan.h"
#include "lib/msg.h"
#include "lib/poison.h"
#include "lib/spawn.h"
#include "setup/variants.h"
#include "vm/vm.h"

static const char replay_usage[] =
	"usage: lwfuzz replay [OPTIONS] LOG [DATA-IMAGE]\n\n"
	"Replay a dm-log-writes log to every crash point in a VM of the chosen\n"
	"kernel, mount each crash state on a throw-away dm-snapshot (the mount\n"
	"replays btrfs's log tree) and check it: missing-csum (a regular extent\n"
	"without data checksums), mount, read (every file reads back), and with\n"
	"--fsck `btrfs check --readonly`. By default checking starts after the\n"
	"mark 'mkfs' when the log has one. DATA-IMAGE is the device's image from\n"
	"before the log started, for logs that do not start with mkfs. Neither\n"
	"file is modified.\n\n"
	"  -k, --kernel V        stock, buggy or fixed (default stock)\n"
	"  -p, --points LIST     crash points: flush,fua,mark (default) or all\n"
	"  -s, --start-mark M    check only after mark M\n"
	"  -e, --end-mark M      stop at mark M\n"
	"  -f, --fsck            also run btrfs check --readonly on each state\n"
	"  -j, --json FILE       write the JSON report to FILE (- for stdout)\n"
	"  -K, --keep DIR        save the image of each failing crash state\n"
	"      --device-size N   bytes of the recorded device (default: from the\n"
	"                        log's btrfs super block, or DATA-IMAGE's size)\n"
	"  -t, --timeout S       give up after S seconds (default 3600)\n"
	"  -h, --help            this text\n\n"
	"Exit status: 0 every crash state passed, 1 a check failed, 2 error.\n";

struct replay_opts {
	const char *variant, *points, *start, *end, *json, *keep;
	const char *log, *image;
	unsigned long long device_bytes;
	unsigned int timeout;
	int fsck;
};

static int parse(int argc, char **argv, struct replay_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "points", required_argument, NULL, 'p' },
		{ "start-mark", required_argument, NULL, 's' },
		{ "end-mark", required_argument, NULL, 'e' },
		{ "fsck", no_argument, NULL, 'f' },
		{ "json", required_argument, NULL, 'j' },
		{ "keep", required_argument, NULL, 'K' },
		{ "device-size", required_argument, NULL, 'D' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->variant = "stock";
	o->timeout = 3600;
	optind = 0;
	while ((c = getopt_long(argc, argv, "k:p:s:e:fj:K:t:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'k':
			o->variant = optarg;
			break;
		case 'p':
			o->points = optarg;
			break;
		case 's':
			o->start = optarg;
			break;
		case 'e':
			o->end = optarg;
			break;
		case 'f':
			o->fsck = 1;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'K':
			o->keep = optarg;
			break;
		case 'D':
			o->device_bytes = strtoull(optarg, &end, 10);
			if (*end || !o->device_bytes)
				return -1;
			break;
		case 't':
			o->timeout = strtoul(optarg, &end, 10);
			if (*end || !o->timeout)
				return -1;
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return 1;
		default:
			return -1;
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return -1;
	o->log = argv[optind];
	o->image = argc - optind == 2 ? argv[optind + 1] : NULL;
	return 0;
}

/* Checks on the host before a VM is booted; fills in the device size. */
static int check_inputs(struct replay_opts *o, struct log_scan *scan)
{
	char why[512], type[64];
	struct stat st;

	if (require_regular_file(o->log, "log", why, sizeof(why)))
		goto bad;
	if (o->image) {
		if (probe_fs_type(o->image, type, sizeof(type), why,
				  sizeof(why)))
			goto bad;
		if (type[0] && strcmp(type, "btrfs")) {
			snprintf(
				why, sizeof(why),
				"%s holds %s, not btrfs; give the image the log was recorded on",
				o->image, type);
			goto bad;
		}
		if (stat(o->image, &st) == 0 && !o->device_bytes)
			o->device_bytes = st.st_size;
	}
	if (log_scan(o->log, o->device_bytes, scan, why, sizeof(why)))
		goto bad;
	if (!o->device_bytes)
		o->device_bytes = log_scan_device_bytes(scan);
	if (!o->device_bytes) {
		snprintf(
			why, sizeof(why),
			"%s writes nothing: no device size to replay onto; pass --device-size",
			o->log);
		goto bad;
	}
	return 0;
bad:
	lw_err("%s", why);
	return -1;
}

static int make_image(const char *path, const char *from,
		      unsigned long long bytes)
{
	int fd;

	if (from) {
		char *argv[] = { "cp", "--sparse=always", (char *)from,
				 (char *)path, NULL };

		if (spawn_run(argv, NULL, NULL))
			return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, bytes) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Where the log never writes, the target reads as poison (poison.h). */
static int poison_image(const char *path, unsigned long long bytes)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = poison_range(fd, 0, bytes);
	return close(fd) || ret ? -1 : 0;
}

static int run_guest(const struct layout *l, const struct replay_opts *o,
		     const char *work, const char *outdir)
{
	char *target = path_join(work, "target.img");
	char *cow = path_join(work, "cow.img");
	char *cmd[32] = { "sh", "-c",
			  "exec lwfuzz-agent replay --log \"$LWFUZZ_DISK0\" "
			  "--target \"$LWFUZZ_DISK1\" --cow \"$LWFUZZ_DISK2\" "
			  "--report /out/report.json \"$@\"",
			  "lwfuzz-agent" };
	struct vm_run_opts vo = { .variant = o->variant,
				  .timeout_s = o->timeout,
				  .mem_mb = 1024,
				  .out_dir = outdir,
				  .cmd = cmd };
	int n = 4, ret = 2;

	if (o->points) {
		cmd[n++] = "--points";
		cmd[n++] = (char *)o->points;
	}
	if (o->start) {
		cmd[n++] = "--start-mark";
		cmd[n++] = (char *)o->start;
	}
	if (o->end) {
		cmd[n++] = "--end-mark";
		cmd[n++] = (char *)o->end;
	}
	if (o->fsck)
		cmd[n++] = "--fsck";
	if (make_image(target, o->image, o->device_bytes) ||
	    make_image(cow, NULL, o->device_bytes) ||
	    (!o->image && poison_image(target, o->device_bytes))) {
		lw_err("cannot create the replay images in %s: %s", work,
		       strerror(errno));
		goto out;
	}
	vo.disks[0] = o->log;
	vo.disk_ro[0] = 1;
	vo.disks[1] = target;
	vo.disks[2] = cow;
	vo.ndisks = 3;
	ret = vm_run(l, &vo);
	if (ret > 2) {
		lw_err("the replay VM failed (status %d)", ret);
		ret = 2;
	}
out:
	free(cow);
	free(target);
	return ret;
}

/* The entry indexes of the failing crash points, from the report. */
static size_t failing_entries(const char *report, unsigned long long *idx,
			      size_t max)
{
	size_t n = 0;

	for (const char *p = strstr(report, "\"entry\": "); p && n < max;
	     p = strstr(p + 1, "\"entry\": "))
		idx[n++] = strtoull(p + 9, NULL, 10);
	return n;
}

/* Rebuild the failing crash states on the host, one image each. */
static int keep_states(const struct replay_opts *o, const char *report)
{
	unsigned long long idx[64];
	size_t n = failing_entries(report, idx, 64), next = 0;
	char *tmp = xasprintf("%s/.lwfuzz-state.img", o->keep), why[512];
	struct log_reader *r = NULL;
	struct log_entry *e = malloc(sizeof(*e));
	int fd = -1, ret = -1;

	if (!n || !e) {
		ret = n ? -1 : 0;
		goto out;
	}
	if (mkdir_p(o->keep, 0755) ||
	    make_image(tmp, o->image, o->device_bytes))
		goto out;
	fd = open(tmp, O_RDWR | O_CLOEXEC);
	r = log_open(o->log, 0, why, sizeof(why));
	while (fd >= 0 && r && next < n &&
	       log_next(r, e, why, sizeof(why)) == 1) {
		if (log_apply(r, e, fd))
			goto out;
		if (e->index != idx[next])
			continue;
		char *dst = xasprintf("%s/crash-entry-%llu.img", o->keep,
				      idx[next]);
		char *argv[] = { "cp", "--sparse=always", tmp, dst, NULL };

		if (!path_exists(dst) && spawn_run(argv, NULL, NULL) == 0)
			lw_info("kept crash state %s", dst);
		free(dst);
		next++;
	}
	ret = next == n ? 0 : -1;
out:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	log_close(r);
	free(e);
	free(tmp);
	return ret;
}

static int finish(const struct replay_opts *o, const char *outdir, int status)
{
	char *rpath = path_join(outdir, "report.json");
	char *report = read_file(rpath, NULL);
	int ret = status;

	if (!report) {
		if (status < 2)
			lw_err("the guest left no report");
		ret = 2;
		goto out;
	}
	if (o->json && !strcmp(o->json, "-")) {
		fputs(report, stdout);
	} else if (o->json &&
		   write_file_atomic(o->json, report, strlen(report))) {
		lw_err("cannot write %s: %s%s", o->json, strerror(errno),
		       errno == EEXIST
			       ? " (not a regular file; '-j -' writes to stdout)"
			       : "");
		ret = 2;
	}
	if (o->keep && status == 1 && keep_states(o, report)) {
		lw_err("cannot save the failing crash states into %s", o->keep);
		ret = 2;
	}
out:
	free(report);
	free(rpath);
	return ret;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	struct log_scan scan;
	struct patch_set ps;
	struct layout l;
	char work[256];
	int ret = parse(argc, argv, &o);

	if (ret > 0)
		return 0;
	if (ret < 0) {
		lw_err("bad arguments; see 'lwfuzz replay --help'");
		return 2;
	}
	if (layout_init(&l))
		return 2;
	ret = 2;
	if (layout_load_patches(&l, &ps))
		goto out_layout;
	if (!variant_find(&ps, o.variant)) {
		lw_err("unknown kernel variant '%s'; choose one of: %s",
		       o.variant, variant_names(&ps));
		goto out;
	}
	if (check_inputs(&o, &scan))
		goto out;
	lw_info("log %s: %llu entries, device %llu bytes%s", o.log,
		(unsigned long long)scan.entries, o.device_bytes,
		scan.has_mkfs_mark ? ", starts with mkfs" : "");
	snprintf(work, sizeof(work), "%s/lwfuzz-replay.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(work)) {
		lw_err("cannot create a scratch directory: %s",
		       strerror(errno));
		goto out;
	}
	char *outdir = path_join(work, "out");

	ret = finish(&o, outdir, run_guest(&l, &o, work, outdir));
	free(outdir);
	rm_rf(work);
out:
	variants_free(&ps);
out_layout:
	layout_free(&l);
	return ret;
}
