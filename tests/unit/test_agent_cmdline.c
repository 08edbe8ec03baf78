// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the agent's command lines survive the trip through the
 * guest's shell. The builder's command really runs under sh, with a
 * stand-in lwfuzz-agent on PATH that records its arguments, and the
 * agent's parser must get back what the host asked for: disk references
 * expanded, everything else (quotes, spaces, '$') literally.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/agent_cmdline.h"
#include "lib/fsutil.h"
#include "lib/run_result.h"

static char dir[] = "/tmp/lwfuzz-test-cmdline.XXXXXX";

/* Run @cmd as the guest would; the stand-in's argv, NUL-separated. */
static int run_in_shell(char **cmd, char *args[64])
{
	static char *buf;
	char *agent = path_join(dir, "lwfuzz-agent");
	char *out = path_join(dir, "argv");
	char *script = xasprintf("#!/bin/sh\nprintf '%%s\\0' \"$@\" > '%s'\n",
				 out);
	char *path = xasprintf("%s:/usr/bin:/bin", dir);
	size_t len = 0;
	int n = 0, st;
	pid_t pid;

	assert_int_equal(write_file_atomic(agent, script, strlen(script)), 0);
	assert_int_equal(chmod(agent, 0755), 0);
	pid = fork();
	if (pid == 0) {
		setenv("PATH", path, 1);
		setenv("LWFUZZ_DISK0", "/dev/vda", 1);
		setenv("LWFUZZ_DISK1", "/dev/vdb", 1);
		setenv("LWFUZZ_DISK2", "/dev/vdc", 1);
		setenv("LWFUZZ_DISK3", "/dev/vdd", 1);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	assert_true(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 0);
	free(buf);
	buf = read_file(out, &len);
	assert_non_null(buf);
	for (size_t i = 0; i < len && n < 63; i += strlen(buf + i) + 1)
		args[n++] = buf + i;
	args[n] = NULL;
	free(agent);
	free(out);
	free(script);
	free(path);
	return n;
}

static void run_args_round_trip(void **state)
{
	struct agent_run_args a, back;
	char *args[64], why[256];
	char **cmd;
	int n;

	(void)state;
	agent_run_defaults(&a);
	a.workload = "/in/it's a $HOME \"workload\".lw";
	a.data = AGENT_DISK(0);
	a.log = AGENT_DISK(1);
	a.target = AGENT_DISK(2);
	a.cow = AGENT_DISK(3);
	a.runs = 7;
	a.timeout_s = 30;
	a.delay_ms = 0;
	a.fsck = 1;
	a.no_cov = 1;
	a.no_share = 1;
	a.test_fault = "hang:3";
	cmd = agent_run_cmd(&a);
	assert_non_null(cmd);
	n = run_in_shell(cmd, args);
	assert_string_equal(args[0], "run");
	assert_int_equal(agent_run_parse(n, args, &back, why, sizeof(why)),
			 0);
	assert_string_equal(back.workload, a.workload);
	assert_null(back.serve);
	assert_string_equal(back.data, "/dev/vda");
	assert_string_equal(back.log, "/dev/vdb");
	assert_string_equal(back.target, "/dev/vdc");
	assert_string_equal(back.cow, "/dev/vdd");
	assert_string_equal(back.out, "/out");
	assert_int_equal(back.runs, 7);
	assert_int_equal(back.timeout_s, 30);
	assert_int_equal(back.delay_ms, 0);
	assert_int_equal(back.fsck, 1);
	assert_int_equal(back.no_cov, 1);
	assert_int_equal(back.no_share, 1);
	assert_string_equal(back.test_fault, "hang:3");
	agent_cmd_free(cmd);

	/* Serving, the knob left alone: no --delay-ms at all. */
	agent_run_defaults(&a);
	a.serve = "/dev/ttyS2";
	a.data = a.log = a.target = a.cow = AGENT_DISK(0);
	cmd = agent_run_cmd(&a);
	n = run_in_shell(cmd, args);
	assert_int_equal(agent_run_parse(n, args, &back, why, sizeof(why)),
			 0);
	assert_string_equal(back.serve, "/dev/ttyS2");
	assert_null(back.workload);
	assert_int_equal(back.delay_ms, -1);
	assert_int_equal(back.runs, 1);
	assert_int_equal(back.no_share, 0);
	assert_null(strstr(cmd[2], "--delay-ms"));
	agent_cmd_free(cmd);
}

static void replay_args_round_trip(void **state)
{
	struct agent_replay_args a, back;
	char *args[64], why[256];
	char **cmd;
	int n;

	(void)state;
	agent_replay_defaults(&a);
	a.log = AGENT_DISK(0);
	a.target = AGENT_DISK(1);
	a.cow = AGENT_DISK(2);
	a.points = "all";
	a.start_mark = "fsync 'a b'";
	a.report = "/out/report.json";
	cmd = agent_replay_cmd(&a);
	n = run_in_shell(cmd, args);
	assert_string_equal(args[0], "replay");
	assert_int_equal(agent_replay_parse(n, args, &back, why, sizeof(why)),
			 0);
	assert_string_equal(back.log, "/dev/vda");
	assert_string_equal(back.target, "/dev/vdb");
	assert_string_equal(back.cow, "/dev/vdc");
	assert_string_equal(back.mnt, "/mnt/crash");
	assert_string_equal(back.points, "all");
	assert_string_equal(back.start_mark, "fsync 'a b'");
	assert_null(back.end_mark);
	assert_string_equal(back.report, "/out/report.json");
	assert_int_equal(back.fsck, 0);
	assert_int_equal(back.no_share, 0);
	assert_int_equal(back.parts, 0);
	agent_cmd_free(cmd);

	a.no_share = 1;
	a.part = 2;
	a.parts = 3;
	cmd = agent_replay_cmd(&a);
	n = run_in_shell(cmd, args);
	assert_int_equal(agent_replay_parse(n, args, &back, why, sizeof(why)),
			 0);
	assert_int_equal(back.no_share, 1);
	assert_int_equal(back.part, 2);
	assert_int_equal(back.parts, 3);
	agent_cmd_free(cmd);
}

static void the_parser_refuses_what_no_builder_writes(void **state)
{
	struct agent_run_args a;
	struct agent_replay_args r;
	char why[256];
	char *zero_runs[] = { "run", "--workload", "w", "--data", "d", "--log",
			      "l", "--target", "t", "--cow", "c", "--runs",
			      "0", NULL };
	char *no_cow[] = { "run", "--workload", "w", "--data", "d", "--log",
			   "l", "--target", "t", NULL };
	char *both[] = { "run", "--workload", "w", "--serve", "s", "--data",
			 "d", "--log", "l", "--target", "t", "--cow", "c",
			 NULL };
	char *bad_delay[] = { "run", "--serve", "s", "--data", "d", "--log",
			      "l", "--target", "t", "--cow", "c",
			      "--delay-ms", "5x", NULL };
	char *stray[] = { "replay", "--log", "l", "--target", "t", "--cow",
			  "c", "extra", NULL };
	const char *bad_parts[] = { "0/2",	   "3/2",  "1/9", "1/",
				    "1/2x",	   "-1/2", "2",	  " 1/2",
				    "+1/+2",	   "4294967297/2" };
	char *part[] = { "replay", "--log", "l", "--target", "t", "--cow", "c",
			 "--part", NULL, NULL };

	(void)state;
	assert_int_equal(agent_run_parse(13, zero_runs, &a, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "--runs"));
	assert_int_equal(agent_run_parse(9, no_cow, &a, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "--cow"));
	assert_int_equal(agent_run_parse(13, both, &a, why, sizeof(why)), -1);
	assert_int_equal(agent_run_parse(13, bad_delay, &a, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "--delay-ms"));
	assert_int_equal(agent_replay_parse(8, stray, &r, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "extra"));
	for (size_t i = 0; i < sizeof(bad_parts) / sizeof(*bad_parts); i++) {
		part[8] = (char *)bad_parts[i];
		assert_int_equal(agent_replay_parse(9, part, &r, why,
						    sizeof(why)),
				 -1);
		assert_non_null(strstr(why, "--part"));
	}
	part[8] = "8/8"; /* the control: the largest it takes */
	assert_int_equal(agent_replay_parse(9, part, &r, why, sizeof(why)), 0);
	assert_int_equal(r.part, 7);
	assert_int_equal(r.parts, 8);
}

static int write_json(const char *path, const char *text)
{
	return write_file_atomic(path, text, strlen(text));
}

static void run_result_round_trip(void **state)
{
	struct run_result r = { .runs = 5 }, back;
	char *path = path_join(dir, "result.json"), why[256];

	(void)state;
	run_result_add(&r, 0);
	run_result_add(&r, 1);
	run_result_add(&r, 1);
	assert_int_equal(run_result_write(path, &r), 0);
	assert_int_equal(run_result_read(path, &back, why, sizeof(why)), 0);
	assert_int_equal(back.runs, 5);
	assert_int_equal(back.runs_done, 3);
	assert_int_equal(back.failed, 2);
	/* More failed than done: not a result this module wrote. */
	assert_int_equal(write_json(path, "{\"version\": 1, \"runs\": 2, \"runs_done\": 1, \"failed\": 2}"), 0);
	assert_int_equal(run_result_read(path, &back, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "inconsistent"));
	assert_int_equal(write_json(path, "run: a check failed in 1 of 1 runs"), 0);
	assert_int_equal(run_result_read(path, &back, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not a version 1 run result"));
	free(path);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_args_round_trip),
		cmocka_unit_test(replay_args_round_trip),
		cmocka_unit_test(the_parser_refuses_what_no_builder_writes),
		cmocka_unit_test(run_result_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
