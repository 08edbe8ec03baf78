// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/agent_cmdline.h"
#include "lib/fsutil.h"

void agent_run_on_disks(struct agent_run_args *a)
{
	a->data = AGENT_DISK(0);
	a->log = AGENT_DISK(1);
	a->target = AGENT_DISK(2);
	a->cow = AGENT_DISK(3);
}

void agent_run_defaults(struct agent_run_args *a)
{
	*a = (struct agent_run_args){
		.out = "/out", .runs = 1, .timeout_s = 60, .delay_ms = -1
	};
}

void agent_replay_defaults(struct agent_replay_args *a)
{
	*a = (struct agent_replay_args){ .mnt = "/mnt/crash" };
}

/* The agent's script for `sh -c`, grown word by word. */
struct script {
	char *text;
	size_t len;
	int failed;
};

static void add_raw(struct script *s, const char *word)
{
	size_t n = strlen(word);
	char *t = realloc(s->text, s->len + n + 2);

	if (!t) {
		s->failed = 1;
		return;
	}
	s->text = t;
	if (s->len)
		s->text[s->len++] = ' ';
	memcpy(s->text + s->len, word, n + 1);
	s->len += n;
}

/*
 * A value as one shell word: a disk reference expands in the guest's
 * shell, anything else is taken literally.
 */
static void add_value(struct script *s, const char *v)
{
	size_t n = strlen(v), k = 0;
	char *q;

	if (!strncmp(v, "$LWFUZZ_DISK", 12) &&
	    strspn(v + 12, "0123456789") == strlen(v + 12)) {
		q = xasprintf("\"%s\"", v);
		add_raw(s, q);
		free(q);
		return;
	}
	q = malloc(n * 4 + 3);
	if (!q) {
		s->failed = 1;
		return;
	}
	q[k++] = '\'';
	for (const char *p = v; *p; p++) {
		if (*p == '\'') {
			memcpy(q + k, "'\\''", 4);
			k += 4;
		} else {
			q[k++] = *p;
		}
	}
	q[k++] = '\'';
	q[k] = '\0';
	add_raw(s, q);
	free(q);
}

static void add_opt(struct script *s, const char *opt, const char *v)
{
	if (!v)
		return;
	add_raw(s, opt);
	add_value(s, v);
}

static void add_num(struct script *s, const char *opt, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	add_opt(s, opt, buf);
}

static char **finish(struct script *s)
{
	char **cmd = s->failed ? NULL : calloc(4, sizeof(*cmd));

	if (!cmd) {
		free(s->text);
		return NULL;
	}
	cmd[0] = strdup("sh");
	cmd[1] = strdup("-c");
	cmd[2] = s->text;
	if (!cmd[0] || !cmd[1]) {
		agent_cmd_free(cmd);
		return NULL;
	}
	return cmd;
}

char **agent_run_cmd(const struct agent_run_args *a)
{
	struct script s = { 0 };

	add_raw(&s, "exec lwfuzz-agent run");
	add_opt(&s, "--workload", a->workload);
	add_opt(&s, "--serve", a->serve);
	add_opt(&s, "--data", a->data);
	add_opt(&s, "--log", a->log);
	add_opt(&s, "--target", a->target);
	add_opt(&s, "--cow", a->cow);
	add_opt(&s, "--out", a->out);
	add_num(&s, "--runs", a->runs);
	add_num(&s, "--timeout", a->timeout_s);
	if (a->delay_ms >= 0)
		add_num(&s, "--delay-ms", a->delay_ms);
	if (a->fsck)
		add_raw(&s, "--fsck");
	if (a->no_cov)
		add_raw(&s, "--no-cov");
	if (a->no_share)
		add_raw(&s, "--no-share");
	if (a->no_template)
		add_raw(&s, "--no-template");
	add_opt(&s, "--test-fault", a->test_fault);
	return finish(&s);
}

char **agent_replay_cmd(const struct agent_replay_args *a)
{
	struct script s = { 0 };

	add_raw(&s, "exec lwfuzz-agent replay");
	add_opt(&s, "--log", a->log);
	add_opt(&s, "--target", a->target);
	add_opt(&s, "--cow", a->cow);
	add_opt(&s, "--mnt", a->mnt);
	add_opt(&s, "--points", a->points);
	add_opt(&s, "--start-mark", a->start_mark);
	add_opt(&s, "--end-mark", a->end_mark);
	add_opt(&s, "--report", a->report);
	if (a->fsck)
		add_raw(&s, "--fsck");
	if (a->no_share)
		add_raw(&s, "--no-share");
	if (a->parts > 1) {
		char part[32];

		snprintf(part, sizeof(part), "%u/%u", a->part + 1, a->parts);
		add_opt(&s, "--part", part);
	}
	return finish(&s);
}

/* A decimal number of at most 2 digits at *@p, @p moved past it; -1: none. */
static long small_number(const char **p)
{
	long v = 0;
	int digits = 0;

	while (**p >= '0' && **p <= '9' && digits < 3) {
		v = v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	return digits && digits < 3 ? v : -1;
}

/* "K/N", 1 <= K <= N <= AGENT_MAX_PARTS, into @a (part from 0). */
static int parse_part(const char *arg, struct agent_replay_args *a, char *why,
		      size_t whylen)
{
	const char *p = arg;
	long k = small_number(&p), n = -1;

	if (*p == '/') {
		p++;
		n = small_number(&p);
	}
	if (*p || k < 1 || n < k || n > AGENT_MAX_PARTS) {
		snprintf(why, whylen,
			 "--part takes K/N with 1 <= K <= N <= %d, not '%s'",
			 AGENT_MAX_PARTS, arg);
		return -1;
	}
	a->part = k - 1;
	a->parts = n;
	return 0;
}

void agent_cmd_free(char **cmd)
{
	for (char **c = cmd; c && *c; c++)
		free(*c);
	free(cmd);
}

/* A whole number in [@min, @max], or -1 with @why set. */
static int number(const char *opt, const char *arg, long min, long max, long *v,
		  char *why, size_t whylen)
{
	char *end;

	errno = 0;
	*v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || *v < min || *v > max) {
		snprintf(why, whylen,
			 "%s takes a whole number from %ld to %ld, not '%s'",
			 opt, min, max, arg);
		return -1;
	}
	return 0;
}

/* What no builder writes: an unknown option, an operand. */
static int refuse(const char *what, const char *arg, char *why, size_t whylen)
{
	snprintf(why, whylen, "%s '%s'", what, arg);
	return -1;
}

int agent_run_parse(int argc, char **argv, struct agent_run_args *a, char *why,
		    size_t whylen)
{
	static const struct option longopts[] = {
		{ "workload", required_argument, NULL, 'w' },
		{ "serve", required_argument, NULL, 'S' },
		{ "data", required_argument, NULL, 'd' },
		{ "log", required_argument, NULL, 'l' },
		{ "target", required_argument, NULL, 't' },
		{ "cow", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "runs", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "delay-ms", required_argument, NULL, 'D' },
		{ "fsck", no_argument, NULL, 'f' },
		{ "no-cov", no_argument, NULL, 'C' },
		{ "no-share", no_argument, NULL, 'N' },
		{ "no-template", no_argument, NULL, 'M' },
		{ "test-fault", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	long v;
	int c;

	agent_run_defaults(a);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			a->workload = optarg;
			break;
		case 'S':
			a->serve = optarg;
			break;
		case 'd':
			a->data = optarg;
			break;
		case 'l':
			a->log = optarg;
			break;
		case 't':
			a->target = optarg;
			break;
		case 'c':
			a->cow = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'n':
			if (number("--runs", optarg, 1, 100000, &v, why,
				   whylen))
				return -1;
			a->runs = v;
			break;
		case 'T':
			if (number("--timeout", optarg, 1, 86400, &v, why,
				   whylen))
				return -1;
			a->timeout_s = v;
			break;
		case 'D':
			if (number("--delay-ms", optarg, -1, 60000, &v, why,
				   whylen))
				return -1;
			a->delay_ms = v;
			break;
		case 'f':
			a->fsck = 1;
			break;
		case 'C':
			a->no_cov = 1;
			break;
		case 'N':
			a->no_share = 1;
			break;
		case 'M':
			a->no_template = 1;
			break;
		case 'F':
			a->test_fault = optarg;
			break;
		default:
			return refuse("unknown option", argv[optind - 1], why,
				      whylen);
		}
	}
	if (optind != argc)
		return refuse("unexpected argument", argv[optind], why, whylen);
	if (!a->workload == !a->serve) {
		snprintf(why, whylen, "run needs one of --workload or --serve");
		return -1;
	}
	if (!a->data || !a->log || !a->target || !a->cow) {
		snprintf(why, whylen,
			 "run needs --data, --log, --target and --cow");
		return -1;
	}
	return 0;
}

int agent_replay_parse(int argc, char **argv, struct agent_replay_args *a,
		       char *why, size_t whylen)
{
	static const struct option longopts[] = {
		{ "log", required_argument, NULL, 'l' },
		{ "target", required_argument, NULL, 't' },
		{ "cow", required_argument, NULL, 'c' },
		{ "mnt", required_argument, NULL, 'm' },
		{ "points", required_argument, NULL, 'p' },
		{ "start-mark", required_argument, NULL, 's' },
		{ "end-mark", required_argument, NULL, 'e' },
		{ "report", required_argument, NULL, 'r' },
		{ "fsck", no_argument, NULL, 'f' },
		{ "no-share", no_argument, NULL, 'N' },
		{ "part", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	agent_replay_defaults(a);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			a->log = optarg;
			break;
		case 't':
			a->target = optarg;
			break;
		case 'c':
			a->cow = optarg;
			break;
		case 'm':
			a->mnt = optarg;
			break;
		case 'p':
			a->points = optarg;
			break;
		case 's':
			a->start_mark = optarg;
			break;
		case 'e':
			a->end_mark = optarg;
			break;
		case 'r':
			a->report = optarg;
			break;
		case 'f':
			a->fsck = 1;
			break;
		case 'N':
			a->no_share = 1;
			break;
		case 'P':
			if (parse_part(optarg, a, why, whylen))
				return -1;
			break;
		default:
			return refuse("unknown option", argv[optind - 1], why,
				      whylen);
		}
	}
	if (optind != argc)
		return refuse("unexpected argument", argv[optind], why, whylen);
	if (!a->log || !a->target || !a->cow) {
		snprintf(why, whylen, "replay needs --log, --target and --cow");
		return -1;
	}
	return 0;
}
