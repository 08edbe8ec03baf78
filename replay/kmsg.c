// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "replay/kmsg.h"

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

void kmsg_read(int fd, char *buf, size_t len)
{
	char rec[2048];
	size_t used = 0;
	ssize_t n;

	buf[0] = '\0';
	while (fd >= 0 && (n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: skip ahead */
		if (n < 0)
			break;
		rec[n] = '\0';
		/* "prio,seq,usec,flags;text\n" and continuation lines. */
		char *text = strchr(rec, ';');

		text = text ? text + 1 : rec;
		text[strcspn(text, "\n")] = '\0';
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", used ? "; " : "", text);
	}
}

void kmsg_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
