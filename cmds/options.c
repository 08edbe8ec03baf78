// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/options.h"
#include "lib/fsutil.h"
#include "lib/msg.h"
#include "setup/layout.h"
#include "setup/series.h"
#include "setup/variants.h"

void opt_begin(void)
{
	optind = 0;
	opterr = 0;
}

static void usage_error(const char *cmd, const char *fmt, va_list ap)
{
	char what[512];

	vsnprintf(what, sizeof(what), fmt, ap);
	lw_err("%s, in 'lwfuzz %s'; see 'lwfuzz %s --help'", what, cmd, cmd);
}

int opt_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	usage_error(cmd, fmt, ap);
	va_end(ap);
	return -1;
}

int opt_bad_option(const char *cmd, char **argv, int c)
{
	/*
	 * getopt leaves a long option (unknown, ambiguous, or missing or
	 * refusing its value) at argv[optind - 1], and a short one in optopt.
	 */
	const char *tok = argv[optind - 1];
	int is_long = !strncmp(tok, "--", 2) &&
		      (!optopt || c == ':' || strchr(tok, '='));
	int len = (int)strcspn(tok, "=");
	char name[128];

	if (is_long)
		snprintf(name, sizeof(name), "%.*s", len, tok);
	else
		snprintf(name, sizeof(name), "-%c", optopt);
	if (c == ':')
		return opt_usage_error(cmd, "option '%s' needs a value", name);
	if (is_long && optopt)
		return opt_usage_error(cmd, "option '%s' takes no value", name);
	return opt_usage_error(cmd, "unknown option '%s'", name);
}

int opt_too_many(const char *cmd, const char *opt, unsigned int max)
{
	lw_err("%s given more than %u times, in 'lwfuzz %s'; give it at most %u times",
	       opt, max, cmd, max);
	return -1;
}

static int bad_value(const char *cmd, const char *opt, const char *arg,
		     const char *todo_fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bad_value(const char *cmd, const char *opt, const char *arg,
		     const char *todo_fmt, ...)
{
	char todo[256];
	va_list ap;

	va_start(ap, todo_fmt);
	vsnprintf(todo, sizeof(todo), todo_fmt, ap);
	va_end(ap);
	lw_err("bad value '%s' for %s, in 'lwfuzz %s'; %s", arg, opt, cmd,
	       todo);
	return -1;
}

/* A plain decimal: no sign, no blanks, no suffix. */
static int parse_decimal(const char *arg, unsigned long long *v,
			 const char **rest)
{
	char *end;

	if (*arg < '0' || *arg > '9')
		return -1;
	*v = strtoull(arg, &end, 10);
	*rest = end;
	return 0;
}

int opt_uint(const char *cmd, const char *opt, const char *arg,
	     unsigned int min, unsigned int max, const char *unit,
	     unsigned int *out)
{
	unsigned long long v;
	const char *rest;

	if (parse_decimal(arg, &v, &rest) || *rest || v < min || v > max)
		return bad_value(cmd, opt, arg, "give %s from %u to %u", unit,
				 min, max);
	*out = (unsigned int)v;
	return 0;
}

int opt_delay_ms(const char *cmd, const char *arg, int *ms)
{
	unsigned int v = 0;

	if (opt_uint(cmd, "--delay-ms", arg, 0, OPT_DELAY_MS_MAX,
		     "milliseconds", &v))
		return -1;
	*ms = (int)v;
	return 0;
}

int opt_runs(const char *cmd, const char *arg, unsigned int *runs)
{
	return opt_uint(cmd, "--runs", arg, 1, OPT_RUNS_MAX, "a number of runs",
			runs);
}

int opt_op_timeout(const char *cmd, const char *arg, unsigned int *s)
{
	return opt_uint(cmd, "--op-timeout", arg, 1, OPT_OP_TIMEOUT_MAX,
			"seconds", s);
}

int opt_timeout(const char *cmd, const char *arg, unsigned int *s)
{
	return opt_uint(cmd, "--timeout", arg, 1, OPT_TIMEOUT_MAX, "seconds",
			s);
}

int opt_time(const char *cmd, const char *arg, unsigned int *s)
{
	unsigned long long v;
	const char *rest;

	if (!parse_decimal(arg, &v, &rest) && v <= OPT_TIME_MAX) {
		if (*rest == 'm')
			v *= 60, rest++;
		else if (*rest == 'h')
			v *= 3600, rest++;
		else if (*rest == 's')
			rest++;
		if (!*rest && v && v <= OPT_TIME_MAX) {
			*s = (unsigned int)v;
			return 0;
		}
	}
	return bad_value(
		cmd, "--time", arg,
		"give seconds, minutes or hours (90s, 10m, 1h) up to %u days",
		OPT_TIME_MAX / 86400);
}

int opt_device_size(const char *cmd, const char *arg, unsigned long long *bytes)
{
	const char *rest;

	if (parse_decimal(arg, bytes, &rest) || *rest || !*bytes)
		return bad_value(cmd, "--device-size", arg,
				 "give the device's size in bytes");
	return 0;
}

int opt_kernel(const char *cmd, const char *arg, const char **variant)
{
	struct patch_set ps;
	struct variant v;
	struct layout l;
	int ret = -1;

	if (layout_init(&l))
		return -1;
	if (layout_load_patches_for(&l, arg, &ps))
		goto out;
	if (variant_lookup(&ps, arg, &v)) {
		lw_err("unknown kernel variant '%s' for --kernel, in 'lwfuzz %s'; choose one of: %s",
		       arg, cmd, variant_names(&ps));
	} else {
		*variant = arg;
		ret = 0;
	}
	variants_free(&ps);
out:
	layout_free(&l);
	return ret;
}

void opt_help(const char *usage)
{
	static const char mark[] = "{variants}";
	const char *names = "those of kmod-patch/variants";
	char all[1024] = "";
	struct layout l;

	/* Every series' variants: "stock, buggy, ..., 6.12:stock, ...". */
	if (strstr(usage, mark) && !layout_init(&l)) {
		size_t len = 0;

		for (size_t i = 0; kseries_all[i] && len < sizeof(all); i++) {
			struct patch_set ps;

			if (layout_load_patches(&l, kseries_all[i], &ps))
				continue;
			len += snprintf(all + len, sizeof(all) - len, "%s%s",
					len ? ", " : "", variant_names(&ps));
			variants_free(&ps);
		}
		if (len)
			names = all;
		layout_free(&l);
	}
	for (const char *p = usage, *m; *p; p = m + strlen(mark)) {
		m = strstr(p, mark);
		if (!m) {
			fputs(p, stdout);
			break;
		}
		fwrite(p, 1, m - p, stdout);
		fputs(names, stdout);
	}
}

char *opt_workload_of(const char *operand, int *is_dir)
{
	struct stat st;
	int dir = stat(operand, &st) == 0 && S_ISDIR(st.st_mode);

	if (is_dir)
		*is_dir = dir;
	return dir ? path_join(operand, "workload.lw")
		   : xasprintf("%s", operand);
}
