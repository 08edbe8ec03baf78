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

void lw_err(const char *fmt, ...)
{
	va_list ap;

	fputs("lwfuzz: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void lw_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("lwfuzz: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void lw_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	fputs("lwfuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

double lw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
