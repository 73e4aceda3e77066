// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Translation of the library's arguments into the kernel's: open(2) bits
 * into MBOX_FD_*, relative timeouts into MBOX_MSG_* and absolute deadlines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>

#include "internal.h"

#define NSEC_PER_SEC	1000000000LL

/**
 * __mbox_fd_flags() - open(2) flags to MBOX_FD_* bits
 * @flags:	O_RDONLY, O_WRONLY or O_RDWR, optionally | O_CLOEXEC | O_NONBLOCK.
 * @fd_flags:	out: the MBOX_FD_* equivalent.
 *
 * Return: 0, or -1 with errno EINVAL for any other bit or access mode 3.
 */
int __mbox_fd_flags(int flags, __u32 *fd_flags)
{
	__u32 out;

	if (flags & ~(O_ACCMODE | O_CLOEXEC | O_NONBLOCK))
		goto inval;

	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		out = MBOX_FD_RECV;
		break;
	case O_WRONLY:
		out = MBOX_FD_SEND;
		break;
	case O_RDWR:
		out = MBOX_FD_RDWR;
		break;
	default:
		goto inval;
	}
	if (flags & O_CLOEXEC)
		out |= MBOX_FD_CLOEXEC;
	if (flags & O_NONBLOCK)
		out |= MBOX_FD_NONBLOCK;

	*fd_flags = out;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

/**
 * __mbox_wait_flags() - a relative timeout to MBOX_MSG_* and a deadline
 * @timeout_ns:	<0 wait forever, 0 don't wait, >0 wait at most that long.
 * @msg_flags:	out: 0, MBOX_MSG_DONTWAIT or MBOX_MSG_DEADLINE.
 * @deadline_ns: out: with MBOX_MSG_DEADLINE the absolute CLOCK_MONOTONIC
 *		time to give up at, else 0 (the kernel insists).
 *
 * The deadline is computed here, once, so a call the kernel restarts after
 * a signal keeps it. The kernel keeps time in signed 64-bit nanoseconds; a
 * deadline beyond that is further away than anyone can wait, so it becomes
 * "wait forever" rather than wrapping into the past.
 *
 * Return: 0, or -1 with errno from clock_gettime().
 */
int __mbox_wait_flags(int64_t timeout_ns, __u32 *msg_flags,
		      __u64 *deadline_ns)
{
	struct timespec now;
	int64_t now_ns, deadline;

	*msg_flags = 0;
	*deadline_ns = 0;

	if (timeout_ns < 0)
		return 0;
	if (timeout_ns == 0) {
		*msg_flags = MBOX_MSG_DONTWAIT;
		return 0;
	}

	if (clock_gettime(CLOCK_MONOTONIC, &now))
		return -1;
	if (__builtin_mul_overflow((int64_t)now.tv_sec, NSEC_PER_SEC, &now_ns) ||
	    __builtin_add_overflow(now_ns, (int64_t)now.tv_nsec, &now_ns) ||
	    __builtin_add_overflow(now_ns, timeout_ns, &deadline))
		return 0;	/* saturate: wait forever */

	*msg_flags = MBOX_MSG_DEADLINE;
	*deadline_ns = (__u64)deadline;
	return 0;
}
