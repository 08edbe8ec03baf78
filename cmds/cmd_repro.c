// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "lib/fsutil.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "lib/spawn.h"
#include "vm/replay_vm.h"
#include "vm/workload_vm.h"

static const char repro_usage[] =
	"usage: lwfuzz repro [OPTIONS] FINDING|WORKLOAD\n\n"
	"Reproduce a finding. FINDING is a directory kept by `lwfuzz run --out`\n"
	"or `lwfuzz fuzz`: each saved log (run-K/log.img, record/run-K/log.img)\n"
	"is replayed — the same crash states, the\n"
	"same verdict, no race needed — and then its workload.lw is run again N\n"
	"times to measure how often the race itself reproduces. A WORKLOAD is\n"
	"only rerun.\n\n"
	"  -k, --kernel V      a variant: {variants} (default buggy)\n"
	"  -n, --runs N        reruns of the workload (default 5; 0: none)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms for the reruns\n"
	"  -h, --help          this text\n\n"
	"Exit status: 1 when the finding reproduces (a saved log still fails, or\n"
	"a rerun does), 0 when it does not, 2 on error.\n";

static const char *const cmd = "repro";

/*
 * A campaign keeps its logs gzip'ed: unpack one into a scratch file
 * (malloc'ed path), leaving the finding as it is.
 */
static char *unpacked(const char *gz)
{
	char tmpl[256], *copy, *img;
	char *argv[] = { "gzip", "-d", "-f", NULL, NULL };
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	snprintf(tmpl, sizeof(tmpl), "%s/lwfuzz-repro.XXXXXX", tmp);
	if (!mkdtemp(tmpl))
		return NULL;
	copy = path_join(tmpl, "log.img.gz");
	img = path_join(tmpl, "log.img");
	size_t len;
	char *data = read_file(gz, &len);

	argv[3] = copy;
	if (!data || write_file_atomic(copy, data, len) ||
	    spawn_run(argv, NULL, NULL) != 0) {
		lw_err("cannot unpack %s into %s", gz, tmpl);
		rm_rf(tmpl);
		free(img);
		img = NULL;
	}
	free(data);
	free(copy);
	return img;
}

static int replay_logs(const struct layout *l, const char *dir,
		       const char *variant, int *any)
{
	/*
	 * `lwfuzz run --out` keeps run-K/log.img; a campaign's finding
	 * record/run-K/log.img.gz.
	 */
	char *pattern = path_join(dir, "{run-*,record/run-*}/log.img{,.gz}");
	int worst = 0;
	glob_t g;

	*any = 0;
	if (glob(pattern, GLOB_BRACE, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			size_t n = strlen(g.gl_pathv[i]);
			int gz = n > 3 && !strcmp(g.gl_pathv[i] + n - 3, ".gz");
			char *img = gz ? unpacked(g.gl_pathv[i]) : NULL;
			struct replay_vm_opts vo = {
				.variant = variant,
				.log = gz ? img : g.gl_pathv[i],
				.timeout_s = 3600,
			};
			char *report = NULL;
			int ret;

			if (gz && !img) {
				worst = 2;
				continue;
			}
			printf("repro: replaying %s\n", g.gl_pathv[i]);
			fflush(stdout);
			ret = replay_vm(l, &vo, &report);
			free(report);
			printf("repro: %s: %s\n", g.gl_pathv[i],
			       ret == 1 ? "the finding reproduces"
			       : ret == 0
				       ? "clean: the finding does not reproduce"
				       : "error");
			*any = 1;
			if (ret > worst)
				worst = ret;
			if (img) {
				char *d = xasprintf(
					"%.*s", (int)(strrchr(img, '/') - img),
					img);

				rm_rf(d);
				free(d);
				free(img);
			}
		}
		globfree(&g);
	}
	free(pattern);
	return worst;
}

int cmd_repro(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "runs", required_argument, NULL, 'n' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wl_run_params p = {
		.variant = "buggy", .runs = 5, .op_timeout = 60, .delay_ms = -1
	};
	struct workload w;
	struct layout l;
	unsigned int found = 0;
	char *wl, *out;
	int c, ret = EXIT_ERROR, replayed = 0, logs = 0;

	opt_begin();
	while ((c = getopt_long(argc, argv, ":k:n:d:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'k':
			if (opt_kernel(cmd, optarg, &p.variant))
				return EXIT_ERROR;
			break;
		case 'n':
			/* 0: only replay the saved logs, no rerun. */
			if (!strcmp(optarg, "0"))
				p.runs = 0;
			else if (opt_runs(cmd, optarg, &p.runs))
				return EXIT_ERROR;
			break;
		case 'd':
			if (opt_delay_ms(cmd, optarg, &p.delay_ms))
				return EXIT_ERROR;
			break;
		case 'h':
			opt_help(repro_usage);
			return EXIT_CLEAN;
		default:
			opt_bad_option(cmd, argv, c);
			return EXIT_ERROR;
		}
	}
	if (optind != argc - 1) {
		opt_usage_error(cmd, "need exactly one FINDING or WORKLOAD");
		return EXIT_ERROR;
	}
	const char *target = argv[optind];
	int is_dir;

	wl = opt_workload_of(target, &is_dir);
	if (wl_load_file(wl, &w) || layout_init(&l)) {
		free(wl);
		return EXIT_ERROR;
	}
	if (is_dir)
		replayed = replay_logs(&l, target, p.variant, &logs);
	if (replayed == EXIT_ERROR)
		goto out;
	ret = replayed;
	if (p.runs) {
		/* A finding keeps its reruns; a bare workload's go away. */
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%s/lwfuzz-repro.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		out = is_dir ? path_join(target, "repro")
			     : (mkdtemp(tmp) ? xasprintf("%s", tmp) : NULL);
		c = out ? workload_run(&l, &p, &w, out, &found) : EXIT_ERROR;
		if (!is_dir && out)
			rm_rf(out);
		free(out);
		if (c == EXIT_ERROR) {
			ret = EXIT_ERROR;
			goto out;
		}
		printf("repro: the workload failed a check in %u of %u reruns on %s\n",
		       found, p.runs, p.variant);
		if (found)
			ret = EXIT_FINDING;
	}
	if (!logs && !p.runs) {
		lw_err("nothing to do: no saved log in %s and --runs 0, in 'lwfuzz repro'; give --runs N",
		       target);
		ret = EXIT_ERROR;
	}
out:
	layout_free(&l);
	free(wl);
	return ret;
}
