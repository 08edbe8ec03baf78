// SPDX-License-Identifier: GPL-2.0
/*
 * renameat2 [-x|-n] FROM TO: rename(2) with RENAME_EXCHANGE (-x) or
 * RENAME_NOREPLACE (-n), for the exported tests of tests/fstests-harness
 * (busybox has no such command).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	int i = 1;

	if (argc == 4 && !strcmp(argv[1], "-x"))
		flags = RENAME_EXCHANGE;
	else if (argc == 4 && !strcmp(argv[1], "-n"))
		flags = RENAME_NOREPLACE;
	else if (argc != 3) {
		fprintf(stderr, "usage: renameat2 [-x|-n] FROM TO\n");
		return 2;
	}
	i = argc - 2;
	if (renameat2(AT_FDCWD, argv[i], AT_FDCWD, argv[i + 1], flags)) {
		fprintf(stderr, "renameat2 %s %s: %s\n", argv[i], argv[i + 1],
			strerror(errno));
		return 1;
	}
	return 0;
}
