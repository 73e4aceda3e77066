// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What every libmbox-mq call needs: an ioctl whose errors read as mq's,
 * the caller's memory reached the way the kernel reaches it, a POSIX
 * absolute timeout as a deadline, and a queue name as a mailbox name.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

/*
 * An ioctl on a queue descriptor. ENOTTY means the fd is open but is no
 * mailbox: for mq that is EBADF, as any non-queue descriptor is.
 */
int __mq_ioctl(mqd_t mqdes, unsigned long cmd, void *arg)
{
	int ret = ioctl(mqdes, cmd, arg);

	if (ret < 0 && errno == ENOTTY)
		errno = EBADF;
	return ret;
}

/* An ioctl on /dev/mbox, opened for this call only (no fd kept). */
int __mq_dev_ioctl(unsigned long cmd, void *arg)
{
	int dev, ret, err;

	dev = open(MBOX_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		/* No module: as if the system had no message queues. */
		if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
			errno = ENOSYS;
		return -1;
	}
	ret = ioctl(dev, cmd, arg);
	err = errno;
	close(dev);
	errno = err;
	return ret;
}

/*
 * The caller's memory, reached as the kernel reaches it: a bad pointer is
 * EFAULT, as for a system call, never a crash in the library. The copy is
 * a process_vm_readv()/writev() on ourselves (@to_user picks which);
 * where a seccomp policy forbids those (EPERM, ENOSYS), a plain copy.
 */
static int mq_copy_user(void *dst, const void *src, size_t len, int to_user)
{
	struct iovec local = {
		.iov_base = (void *)(to_user ? src : dst), .iov_len = len,
	};
	struct iovec remote = {
		.iov_base = (void *)(to_user ? dst : src), .iov_len = len,
	};
	ssize_t n = to_user ?
		process_vm_writev(getpid(), &local, 1, &remote, 1, 0) :
		process_vm_readv(getpid(), &local, 1, &remote, 1, 0);

	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && (errno == EPERM || errno == ENOSYS)) {
		memcpy(dst, src, len);
		return 0;
	}
	errno = EFAULT;
	return -1;
}

int __mq_read_user(void *dst, const void *user, size_t len)
{
	return mq_copy_user(dst, user, len, 0);
}

int __mq_write_user(void *user, const void *src, size_t len)
{
	return mq_copy_user(user, src, len, 1);
}

/*
 * A POSIX absolute CLOCK_REALTIME timeout as the module's deadline in
 * nanoseconds (MBOX_MSG_REALTIME). Checked as Linux's mq does, whether or
 * not the call will wait: EFAULT, then EINVAL for a negative tv_sec or a
 * tv_nsec outside 0..999999999. A time past what 64-bit nanoseconds hold
 * (up to TIME_T_MAX) is "never", as the kernel saturates it.
 */
int __mq_deadline(const struct timespec *abs_timeout, __u64 *deadline_ns)
{
	const int64_t max = INT64_MAX;	/* the module's "never" */
	struct timespec ts;

	if (__mq_read_user(&ts, abs_timeout, sizeof(ts)))
		return -1;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L) {
		errno = EINVAL;
		return -1;
	}
	if (ts.tv_sec >= (max - ts.tv_nsec) / 1000000000LL)
		*deadline_ns = (__u64)max;
	else
		*deadline_ns = (__u64)ts.tv_sec * 1000000000ULL +
			       (__u64)ts.tv_nsec;
	return 0;
}

/*
 * A queue name to its mailbox name, into @buf (NAME_MAX + 2 bytes): the
 * one rule is that "/NAME" is the mailbox NAME. Checked as glibc and Linux
 * check it, in their order: no leading '/' is EINVAL (glibc); "/" alone is
 * ENOENT, more than NAME_MAX bytes after the '/' ENAMETOOLONG, and another
 * '/', "/." or "/.." EACCES (the kernel's lookup in the mqueue
 * filesystem). The string is read as the kernel would read it: up to a
 * page it cannot read, EFAULT if no NUL came first.
 */
int __mq_name(char *buf, const char *name)
{
	const size_t size = NAME_MAX + 2;
	struct iovec local = { .iov_base = buf, .iov_len = size };
	struct iovec remote = { .iov_base = (void *)name, .iov_len = size };
	ssize_t n;
	size_t len;

	/* Bytes up to the end of the string's last readable page. */
	n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n < 0 && (errno == EPERM || errno == ENOSYS)) {
		n = (ssize_t)strnlen(name, size - 1) + 1;
		memcpy(buf, name, (size_t)n);
	}
	if (n <= 0 || !memchr(buf, '\0', (size_t)n)) {
		if (n < (ssize_t)size || buf[0] != '/') {
			errno = n > 0 && buf[0] != '/' ? EINVAL : EFAULT;
			return -1;
		}
		/* No NUL in "/" and NAME_MAX + 1 more bytes. */
		errno = ENAMETOOLONG;
		return -1;
	}
	if (buf[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	len = strlen(buf + 1);
	if (len == 0) {
		errno = ENOENT;
		return -1;
	}
	if (len > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (memchr(buf + 1, '/', len) || !strcmp(buf + 1, ".") ||
	    !strcmp(buf + 1, "..")) {
		errno = EACCES;
		return -1;
	}
	memmove(buf, buf + 1, len + 1);
	return 0;
}
