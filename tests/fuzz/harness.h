/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame of the parser harnesses: built with afl-clang-fast, AFL++'s
 * persistent shared-memory mode feeds one_input(); built with a plain
 * compiler (under ASan and UBSan in `make check`), every file named on the
 * command line is fed to it once: the regression corpus.
 */
#ifndef LWFUZZ_HARNESS_H
#define LWFUZZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/fsutil.h"

/* Parse one input; abort() on a broken property. */
static void one_input(const unsigned char *buf, size_t len);

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();

int main(void)
{
	__AFL_INIT();
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;

	while (__AFL_LOOP(10000))
		one_input(buf, __AFL_FUZZ_TESTCASE_LEN);
	return 0;
}
#else
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t len = 0;
		char *buf = read_file(argv[i], &len);

		if (!buf) {
			fprintf(stderr, "cannot read %s\n", argv[i]);
			return 2;
		}
		one_input((unsigned char *)buf, len);
		free(buf);
	}
	return 0;
}
#endif

#endif
