/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the libmbox tests. Each test runs in its own
 * forked child (kselftest harness), so names carry that child's pid and
 * never collide with a parallel run.
 */
#ifndef LIBMBOX_TEST_HELPERS_H
#define LIBMBOX_TEST_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libmbox.h"

#define MBOX_DEV	"/dev/mbox"

/* Tests that need the module: skip, not fail, when it is not loaded. */
#define REQUIRE_MBOX() do { \
	if (access(MBOX_DEV, F_OK)) \
		SKIP(return, MBOX_DEV " not found (mbox module not loaded)"); \
} while (0)

/* An anonymous O_RDWR mailbox; -1 if that failed. */
static inline int anon(unsigned int capacity, unsigned int msg_size)
{
	struct mbox_attr attr = {
		.capacity = capacity, .msg_size = msg_size, .mode = 0600,
	};

	return mbox_create(NULL, &attr, O_RDWR | O_CLOEXEC);
}

/* The child's exit status, or -1 if it did not exit normally. */
static inline int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#define NSEC_PER_MSEC	1000000LL
#define NSEC_PER_SEC	1000000000LL

static inline int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* "libmbox-test.<pid>.<tag>": unique per test child. */
static inline const char *test_name(char *buf, size_t size, const char *tag)
{
	snprintf(buf, size, "libmbox-test.%d.%s", (int)getpid(), tag);
	return buf;
}

/* Poll mbox_stat() until pred holds (or ~5 s pass): waits for another
 * process to block in the kernel without guessing with sleeps. */
#define WAIT_FOR_STAT(mb, st, pred) ({ \
	int __ok = 0; \
	for (int __i = 0; __i < 5000; __i++) { \
		if (mbox_stat((mb), &(st)) == 0 && (pred)) { \
			__ok = 1; \
			break; \
		} \
		usleep(1000); \
	} \
	__ok; \
})

#endif /* LIBMBOX_TEST_HELPERS_H */
