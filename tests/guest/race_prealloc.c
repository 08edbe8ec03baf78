// SPDX-License-Identifier: GPL-2.0
/*
 * race_prealloc FILE [FSYNC_AFTER_MS]: the seed race as one program, for
 * the end-to-end tests until the workload driver exists.
 *
 * Create FILE, fallocate 1 MiB within i_size, fsync (clears the new
 * inode's full-sync flag); O_DIRECT write 4 KiB at 0 and fsync (the first
 * direct write takes i_rwsem exclusive and sets S_NOSEC; later ones within
 * EOF take it shared); futimens, so the racing fsync has an inode update to
 * log instead of skipping the inode. Then thread A writes 64 KiB O_DIRECT
 * at 512 KiB into the prealloc extent while thread B calls fsync
 * FSYNC_AFTER_MS (default 100) later. With btrfs.dio_race_delay_ms set
 * well above that, B's fsync runs inside A's window.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB (1 << 20)
#define KIB 1024

static int fd;
static unsigned char *buf;
static double t0;
static unsigned int fsync_after_ms = 100;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *writer(void *arg)
{
	ssize_t n = pwrite(fd, buf, 64 * KIB, 512 * KIB);

	(void)arg;
	printf("race_prealloc: write returned %zd at %.0f ms\n", n,
	       now_ms() - t0);
	return n == 64 * KIB ? NULL : (void *)1;
}

static void *syncer(void *arg)
{
	int ret;

	(void)arg;
	usleep(fsync_after_ms * 1000);
	ret = fsync(fd);
	printf("race_prealloc: fsync returned %d at %.0f ms\n", ret,
	       now_ms() - t0);
	return ret ? (void *)1 : NULL;
}

static int die(const char *what)
{
	fprintf(stderr, "race_prealloc: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	pthread_t a, b;
	void *ra, *rb;

	if (argc < 2) {
		fprintf(stderr, "usage: race_prealloc FILE [FSYNC_AFTER_MS]\n");
		return 2;
	}
	if (argc > 2)
		fsync_after_ms = atoi(argv[2]);
	if (posix_memalign((void **)&buf, 4096, 64 * KIB))
		return die("posix_memalign");
	memset(buf, 0xab, 64 * KIB);
	fd = open(argv[1], O_CREAT | O_RDWR | O_DIRECT, 0644);
	if (fd < 0)
		return die("open");
	if (fallocate(fd, 0, 0, MIB) || fsync(fd))
		return die("fallocate + fsync");
	if (pwrite(fd, buf, 4 * KIB, 0) != 4 * KIB || fsync(fd))
		return die("first direct write + fsync");
	if (futimens(fd, NULL))
		return die("futimens");
	t0 = now_ms();
	pthread_create(&a, NULL, writer, NULL);
	pthread_create(&b, NULL, syncer, NULL);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	if (ra || rb)
		return die("racing write or fsync");
	close(fd);
	return 0;
}
