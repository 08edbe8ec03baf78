// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "lib/msg.h"

static int quiet;

void lw_set_quiet(int q)
{
	quiet = q;
}

static void say(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void lw_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("lwfuzz: error: ", fmt, ap);
	va_end(ap);
}

void lw_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("lwfuzz: warning: ", fmt, ap);
	va_end(ap);
}

void lw_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	say("lwfuzz: ", fmt, ap);
	va_end(ap);
}

double lw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
