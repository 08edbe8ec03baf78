// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "fsutil.h"
#include "layout.h"
#include "msg.h"
#include "poison.h"
#include "variants.h"
#include "vm_run.h"
#include "workload.h"

static const char run_usage[] =
	"usage: lwfuzz run [OPTIONS] WORKLOAD\n\n"
	"Run a workload (text or binary form; see docs/workloads.md) on btrfs over\n"
	"dm-log-writes in a VM of the chosen kernel, then replay the log to every\n"
	"crash point and check each crash state (as `lwfuzz replay`). The driver\n"
	"marks every fsync in the log and what it promised, so the data check\n"
	"holds the crash states to it.\n\n"
	"  -k, --kernel V      stock, buggy or fixed (default stock)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms (variants that have it)\n"
	"  -n, --runs N        run the workload N times in one VM (default 1)\n"
	"  -o, --out DIR       keep the artifacts: workload.lw, output.txt (the\n"
	"                      text report), dmesg.txt, run-K/report.json and\n"
	"                      run-K/log.img of each failing run\n"
	"  -f, --fsck          also run btrfs check --readonly on each crash state\n"
	"  -T, --op-timeout S  a workload still running after S s hangs (default 60)\n"
	"  -h, --help          this text\n\n"
	"Exit status: 0 clean in every run, 1 a check failed, 2 error or hang.\n";

struct run_opts {
	const char *variant, *out, *workload;
	unsigned int runs, op_timeout;
	int delay_ms, fsck;
};

static int parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "runs", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "fsck", no_argument, NULL, 'f' },
		{ "op-timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*o = (struct run_opts){
		.variant = "stock", .runs = 1, .op_timeout = 60, .delay_ms = -1
	};
	optind = 0;
	while ((c = getopt_long(argc, argv, "k:d:n:o:fT:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'k':
			o->variant = optarg;
			break;
		case 'd':
			o->delay_ms = strtol(optarg, &end, 10);
			if (*end || o->delay_ms < 0 || o->delay_ms > 10000)
				return -1;
			break;
		case 'n':
			o->runs = strtoul(optarg, &end, 10);
			if (*end || !o->runs || o->runs > 1000)
				return -1;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'f':
			o->fsck = 1;
			break;
		case 'T':
			o->op_timeout = strtoul(optarg, &end, 10);
			if (*end || !o->op_timeout)
				return -1;
			break;
		case 'h':
			fputs(run_usage, stdout);
			return 1;
		default:
			return -1;
		}
	}
	if (optind != argc - 1)
		return -1;
	o->workload = argv[optind];
	return 0;
}

/* Parse and validate on the host: errors cost no VM boot. */
static int load(const char *path, struct workload *w)
{
	size_t len;
	char *buf = read_file(path, &len), why[512];
	int ret;

	if (!buf) {
		lw_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (len >= 3 && !memcmp(buf, "LW\1", 3)) {
		ret = wl_decode((unsigned char *)buf, len, w);
		snprintf(why, sizeof(why), "not a binary workload");
	} else {
		ret = wl_parse_text(buf, w, why, sizeof(why));
	}
	if (ret)
		lw_err("%s: %s", path, why);
	free(buf);
	return ret;
}

static int make_disks(const char *work, char *paths[4])
{
	static const char *const names[] = { "data", "log", "target", "cow" };
	/* Sparse: the log gets room for the largest workload's writes. The
	 * target is poisoned whole: see poison.h. */
	static const unsigned long long sizes[] = { 256ULL << 20, 2048ULL << 20,
						    256ULL << 20,
						    256ULL << 20 };

	for (int i = 0; i < 4; i++) {
		int fd;

		paths[i] = xasprintf("%s/%s.img", work, names[i]);
		fd = open(paths[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			  0600);
		if (fd < 0 || ftruncate(fd, sizes[i]) < 0 ||
		    (i == 2 && poison_range(fd, 0, sizes[i]))) {
			lw_err("cannot create %s: %s", paths[i],
			       strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static int run_guest(const struct layout *l, const struct run_opts *o,
		     const char *work, const char *wl_path, const char *outdir)
{
	char *disks[4] = { 0 }, runs[16], delay[16], tmo[16];
	char *cmd[24] = { "sh",
			  "-c",
			  "exec lwfuzz-agent run --data \"$LWFUZZ_DISK0\" "
			  "--log \"$LWFUZZ_DISK1\" --target \"$LWFUZZ_DISK2\" "
			  "--cow \"$LWFUZZ_DISK3\" \"$@\"",
			  "lwfuzz-agent",
			  "--workload",
			  "/in/workload.lw",
			  "--runs",
			  runs,
			  "--timeout",
			  tmo };
	char *tee = path_join(outdir, "output.txt");
	struct vm_run_opts vo = { .variant = o->variant,
				  .mem_mb = 1024,
				  .out_dir = outdir,
				  .cmd = cmd,
				  .tee_path = tee };
	int n = 10, ret = 2;

	(void)wl_path;
	snprintf(runs, sizeof(runs), "%u", o->runs);
	snprintf(tmo, sizeof(tmo), "%u", o->op_timeout);
	if (o->delay_ms >= 0) {
		snprintf(delay, sizeof(delay), "%d", o->delay_ms);
		cmd[n++] = "--delay-ms";
		cmd[n++] = delay;
	}
	if (o->fsck)
		cmd[n++] = "--fsck";
	if (make_disks(work, disks))
		goto out;
	vo.files[vo.nfiles++] = wl_path;
	for (int i = 0; i < 4; i++)
		vo.disks[vo.ndisks++] = disks[i];
	/* Boot, mkfs and replay per run, plus each op's own bound. */
	vo.timeout_s = 120 + o->runs * (60 + o->op_timeout);
	ret = vm_run(l, &vo);
	if (ret > 2) {
		lw_err("the VM failed (status %d)%s", ret,
		       ret == VM_EXIT_TIMEOUT ? ": a hang in the kernel?" : "");
		ret = 2;
	}
out:
	for (int i = 0; i < 4; i++)
		free(disks[i]);
	free(tee);
	return ret;
}

/* The canonical text form of the workload, for the guest and for DIR. */
static char *write_workload(const char *dir, const struct workload *w)
{
	char *text = wl_format_text(w), *path = path_join(dir, "workload.lw");

	if (!text || write_file_atomic(path, text, strlen(text))) {
		lw_err("cannot write %s: %s", path, strerror(errno));
		free(path);
		path = NULL;
	}
	free(text);
	return path;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct workload w;
	struct patch_set ps;
	struct layout l;
	char work[256], *wl_path = NULL, *outdir;
	int ret = parse(argc, argv, &o);

	if (ret > 0)
		return 0;
	if (ret < 0) {
		lw_err("bad arguments; see 'lwfuzz run --help'");
		return 2;
	}
	if (load(o.workload, &w) || layout_init(&l))
		return 2;
	ret = 2;
	if (layout_load_patches(&l, &ps))
		goto out_layout;
	if (!variant_find(&ps, o.variant)) {
		lw_err("unknown kernel variant '%s'; choose one of: %s",
		       o.variant, variant_names(&ps));
		goto out;
	}
	snprintf(work, sizeof(work), "%s/lwfuzz-run.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(work)) {
		lw_err("cannot create a scratch directory: %s",
		       strerror(errno));
		goto out;
	}
	outdir = o.out ? xasprintf("%s", o.out) : path_join(work, "out");
	if (mkdir_p(outdir, 0755) == 0)
		wl_path = write_workload(outdir, &w);
	if (wl_path)
		ret = run_guest(&l, &o, work, wl_path, outdir);
	free(wl_path);
	free(outdir);
	rm_rf(work);
out:
	variants_free(&ps);
out_layout:
	layout_free(&l);
	return ret;
}
