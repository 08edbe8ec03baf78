/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running helper programs without a shell: argv in, exit status out.
 */
#ifndef LWFUZZ_SPAWN_H
#define LWFUZZ_SPAWN_H

#include <stddef.h>

/*
 * Run argv[0] (looked up in PATH) in @cwd (NULL: ours). stdout and stderr go
 * to @log (appended; NULL: inherited). Returns the exit status, 128+signal
 * when killed, or -1 when it could not be started.
 */
int spawn_run(char *const argv[], const char *cwd, const char *log);

/*
 * Like spawn_run, but collects stdout into a NUL-terminated malloc'ed buffer
 * (*out, caller frees); stderr is discarded.
 */
int spawn_capture(char *const argv[], char **out);

/* Like spawn_capture, with stderr collected into the same buffer. */
int spawn_capture_all(char *const argv[], char **out);

/* "argv0 arg1 ..." for messages; static buffer. */
const char *spawn_describe(char *const argv[]);

#endif
