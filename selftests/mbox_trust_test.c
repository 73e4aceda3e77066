// SPDX-License-Identifier: GPL-2.0
/*
 * mbox against users who try to pass for someone else or bend the rules:
 *
 *  - write(2) stamps the credentials of whoever opened the fd, so a
 *    setuid-root program writing to an inherited mailbox fd (its stderr)
 *    does not make the message "from uid 0"; an ioctl send stamps the
 *    caller's, as SCM_CREDENTIALS does;
 *  - deadlines are CLOCK_MONOTONIC as the caller sees it, also inside a
 *    time namespace with an offset;
 *  - readv(2)/writev(2) move one message per call, all or nothing;
 *  - names are ASCII [A-Za-z0-9._-] only;
 *  - /proc/driver/mbox and fdinfo give ids in the namespace of whoever
 *    opened them, not of whoever reads;
 *  - ABI details: MBOXIO_RECVV is _IOWR, and a deadline past the kernel's
 *    signed 64-bit time is EINVAL, not "forever".
 */
#define _GNU_SOURCE
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <sys/uio.h>

#include "mbox_helpers.h"
#include "../kselftest_harness.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

MBOX_FIXTURE(trust)

/* The setuid helper, built beside this test; installed setuid root. */
static int suid_helper(char *path, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return -errno;
	self[n] = 0;
	snprintf(path, size, "%s/suid_helper", dirname(self));
	if (chown(path, 0, 0) || chmod(path, 04755))
		return -errno;
	return 0;
}

/*
 * uid 1000 opens a mailbox for sending, makes it the stderr of a setuid
 * root program and runs it: the message is from uid 1000. The same
 * program's ioctl send is from euid 0: it asked for it itself.
 */
TEST_F(trust, setuid_writer_cannot_vouch)
{
	const char *name = mbox_new_name("suid");
	char helper[PATH_MAX], buf[16];
	struct mboxio_recv r;
	int fd, i;
	pid_t pid;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root to install a setuid helper");
	ASSERT_EQ(0, suid_helper(helper, sizeof(helper)));
	umask(0);
	fd = mbox_create(self->dev, name, MBOX_FD_RECV, 0622, 4, 16);
	ASSERT_LE(0, fd);
	for (i = 0; i < 2; i++) {
		pid = mbox_fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int s;

			CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
			s = mbox_open(self->dev, name, MBOX_FD_SEND);
			CHILD_CHECK(s >= 0);
			CHILD_CHECK(dup2(s, 2) == 2);
			execl(helper, helper, "vouch", i ? "ioctl" : NULL, NULL);
			_exit(3);
		}
		ASSERT_EQ(0, mbox_reap(pid));
		ASSERT_EQ(5, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT,
				       0, &r));
		EXPECT_EQ(0, memcmp(buf, "vouch", 5));
		EXPECT_EQ(pid, r.pid);
		/* write(2): the opener; MBOXIO_SEND: the caller's euid. */
		EXPECT_EQ(i ? 0U : 1000U, r.uid);
		EXPECT_EQ(1000U, r.gid);
	}
	close(fd);
}

/* The same without a setuid program: an fd opened by root, used by 1000. */
TEST_F(trust, write_carries_opener_ioctl_carries_caller)
{
	struct mboxio_recv r;
	char buf[16];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root to switch uids");
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct iovec iov = { .iov_base = "wv", .iov_len = 2 };

		CHILD_CHECK(mbox_become(1000, 1001, 0, NULL) == 0);
		CHILD_CHECK(write(fd, "w", 1) == 1);
		CHILD_CHECK(writev(fd, &iov, 1) == 2);
		CHILD_CHECK(mbox_send(fd, "i", 1, 0, 0) == 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0U, r.uid);
	EXPECT_EQ(0U, r.gid);
	EXPECT_EQ(pid, r.pid);
	ASSERT_EQ(2, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0U, r.uid);
	ASSERT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(1000U, r.uid);
	EXPECT_EQ(1001U, r.gid);
	close(fd);
}

/*
 * In a time namespace whose monotonic clock runs 10^6 s ahead, a deadline
 * 300 ms ahead of that clock times out after about 300 ms, and one in its
 * past at once. The grandchild is in the namespace (unshare(CLONE_NEWTIME)
 * moves only children); alarm() bounds a wait that goes wrong.
 */
TEST_F(trust, deadline_in_time_namespace)
{
	pid_t pid;
	int fd, status;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root for a time namespace");
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "full", 4, 0, 0));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int off;
		pid_t gc;

		if (unshare(CLONE_NEWTIME))
			_exit(4);
		off = open("/proc/self/timens_offsets", O_WRONLY);
		CHILD_CHECK(off >= 0);
		CHILD_CHECK(write(off, "monotonic 1000000 0", 19) == 19);
		close(off);
		gc = fork();
		CHILD_CHECK(gc >= 0);
		if (gc == 0) {
			uint64_t t0, dt;
			char b[16];

			alarm(20);
			CHILD_CHECK(now_ns() > 1000000ULL * 1000000000ULL);
			t0 = now_ns();
			CHILD_CHECK(mbox_send(fd, "x", 1, MBOX_MSG_DEADLINE,
					      t0 + MS(300)) == -ETIMEDOUT);
			dt = now_ns() - t0;
			CHILD_CHECK(dt >= MS(250) && dt < MS(10000));
			/* A receive on an empty mailbox: same rule. */
			CHILD_CHECK(mbox_recv(fd, b, sizeof(b), 0, 0, NULL) == 4);
			t0 = now_ns();
			CHILD_CHECK(mbox_recv(fd, b, sizeof(b), MBOX_MSG_DEADLINE,
					      t0 + MS(300), NULL) == -ETIMEDOUT);
			dt = now_ns() - t0;
			CHILD_CHECK(dt >= MS(250) && dt < MS(10000));
			/* A deadline already passed in the namespace's time. */
			t0 = now_ns();
			CHILD_CHECK(mbox_recv(fd, b, sizeof(b), MBOX_MSG_DEADLINE,
					      t0 - MS(1), NULL) == -ETIMEDOUT);
			CHILD_CHECK(now_ns() - t0 < MS(5000));
			_exit(0);
		}
		_exit(mbox_reap(gc));
	}
	status = mbox_reap(pid);
	if (status == 4)
		SKIP(close(fd); return, "no time namespaces");
	EXPECT_EQ(0, status);
	close(fd);
}

/* writev(2) gathers one message; readv(2) scatters one. */
TEST_F(trust, readv_writev_one_message)
{
	struct iovec wv[3] = {
		{ .iov_base = "ab", .iov_len = 2 },
		{ .iov_base = "cde", .iov_len = 3 },
		{ .iov_base = "f", .iov_len = 1 },
	};
	char a[2], b[3], c[8], all[8];
	struct iovec rv[3] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
		{ .iov_base = c, .iov_len = sizeof(c) },
	};
	struct mboxio_stat st;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(6, writev(fd, wv, 3));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(6U, st.queued_bytes);

	/* Too small in total: EMSGSIZE, and the message stays. */
	EXPECT_EQ(-1, readv(fd, rv, 2));
	EXPECT_EQ(EMSGSIZE, errno);
	memset(c, 0, sizeof(c));
	ASSERT_EQ(6, readv(fd, rv, 3));
	EXPECT_EQ(0, memcmp(a, "ab", 2));
	EXPECT_EQ(0, memcmp(b, "cde", 3));
	EXPECT_EQ('f', c[0]);

	/* Longer than msg_size in total: EMSGSIZE, nothing queued. */
	wv[2].iov_len = 12;
	wv[2].iov_base = "0123456789ab";
	EXPECT_EQ(-1, writev(fd, wv, 3));
	EXPECT_EQ(EMSGSIZE, errno);
	/* A bad iovec anywhere: EFAULT, nothing queued. */
	wv[2].iov_len = 1;
	wv[1].iov_base = mbox_bad_ptr();
	EXPECT_EQ(-1, writev(fd, wv, 3));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(1U, st.sent);

	/* A bad iovec on the receive side: EFAULT, the message stays. */
	ASSERT_EQ(3, write(fd, "xyz", 3));
	rv[0].iov_base = mbox_bad_ptr();
	EXPECT_EQ(-1, readv(fd, rv, 3));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(3, read(fd, all, sizeof(all)));
	EXPECT_EQ(0, memcmp(all, "xyz", 3));
	close(fd);
}

/* Every byte outside ASCII [A-Za-z0-9._-] is refused, Latin-1 too. */
/* Every byte but '/' may be in a name, as in a POSIX mq's or a file's. */
TEST_F(trust, names_any_byte_but_slash)
{
	char name[8];
	int c, fd;

	MBOX_SKIP_GUARD();
	for (c = 1; c < 256; c++) {
		int ok = c != '/';

		snprintf(name, sizeof(name), "k%c", c);
		fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8);
		if (ok) {
			EXPECT_LE(0, fd);
			if (fd >= 0) {
				EXPECT_EQ(0, mbox_unlink(self->dev, name));
				close(fd);
			}
		} else {
			EXPECT_EQ(-EINVAL, fd) {
				TH_LOG("byte 0x%02x accepted in a name", c);
			}
			if (fd >= 0) {
				mbox_unlink(self->dev, name);
				close(fd);
			}
			EXPECT_EQ(-EINVAL, mbox_open(self->dev, name, MBOX_FD_RECV));
			EXPECT_EQ(-EINVAL, mbox_unlink(self->dev, name));
		}
	}
}

/* The uid column of @name's line in /proc/driver/mbox text @text, or -1. */
static long proc_uid(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);
	unsigned int uid;

	while ((p = strstr(p, name))) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ' &&
		    sscanf(p + n, "%u", &uid) == 1)
			return uid;
		p += n;
	}
	return -1;
}

static char *read_fd_text(int fd)
{
	static char buf[65536];
	ssize_t n, len = 0;

	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	return buf;
}

/*
 * A reader that opened /proc/driver/mbox or fdinfo and then entered a user
 * namespace (where root is unmapped) still sees the ids as they were when
 * it opened the file, as seq_file's opener namespace says.
 */
TEST_F(trust, proc_ids_in_opener_namespace)
{
	const char *name = mbox_new_name("pns");
	pid_t pid;
	int fd, status;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root (owner uid 0 is unmapped in a new userns)");
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char path[64], *t;
		int proc, info;

		proc = open("/proc/driver/mbox", O_RDONLY);
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
		info = open(path, O_RDONLY);
		CHILD_CHECK(proc >= 0 && info >= 0);
		if (unshare(CLONE_NEWUSER))
			_exit(4);
		t = read_fd_text(proc);
		CHILD_CHECK(proc_uid(t, name) == 0);
		t = read_fd_text(info);
		CHILD_CHECK(strstr(t, "mbox-uid:\t0\n"));
		CHILD_CHECK(strstr(t, "mbox-gid:\t0\n"));
		_exit(0);
	}
	status = mbox_reap(pid);
	if (status == 4)
		SKIP(close(fd); return, "no user namespaces");
	EXPECT_EQ(0, status);
	close(fd);
}

/* MBOXIO_RECVV writes its array: the command says read and write. */
TEST(recvv_direction)
{
	EXPECT_EQ((unsigned int)(_IOC_READ | _IOC_WRITE),
		  (unsigned int)_IOC_DIR(MBOXIO_RECVV));
	EXPECT_EQ((unsigned int)_IOC_WRITE, (unsigned int)_IOC_DIR(MBOXIO_SENDV));
	EXPECT_EQ((unsigned int)(_IOC_READ | _IOC_WRITE),
		  (unsigned int)_IOC_DIR(MBOXIO_RECV));
}

/*
 * Programs built against ABI version 1 keep working: its MBOXIO_INFO (a
 * 32-byte struct) gets the first 32 bytes of today's, and its MBOXIO_RECVV
 * number (_IOW) still receives.
 */
TEST_F(trust, abi_v1_numbers_still_answered)
{
	const unsigned long info_v1 = _IOC(_IOC_READ, MBOX_IOCTL_TYPE, 0x00, 32);
	const unsigned long recvv_v1 = _IOC(_IOC_WRITE, MBOX_IOCTL_TYPE, 0x15,
					    MBOXIO_BATCH_SIZE_VER0);
	struct mboxio_info now;
	uint8_t v1[64];
	struct mboxio_recvmsg rm = { 0 };
	struct mboxio_batch b = { 0 };
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	memset(v1, 0xa5, sizeof(v1));
	ASSERT_EQ(0, mbox_ioctl(self->dev, info_v1, v1));
	ASSERT_EQ(0, mbox_info(self->dev, &now));
	EXPECT_EQ(0, memcmp(v1, &now, 24));	/* nr_mailboxes may move */
	EXPECT_EQ(0xa5, v1[32]);		/* not a byte more */
	EXPECT_EQ(0xa5, v1[63]);

	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "v1", 2, 0, 0));
	rm.buf = (uintptr_t)buf;
	rm.size = sizeof(buf);
	b.vec = (uintptr_t)&rm;
	b.count = 1;
	EXPECT_EQ(1, mbox_ioctl(fd, recvv_v1, &b));
	EXPECT_EQ(2U, rm.len);
	EXPECT_EQ(0, memcmp(buf, "v1", 2));
	close(fd);
}

/* A deadline of 2^63 ns or more is a bug in the caller: EINVAL. */
TEST_F(trust, deadline_beyond_ktime_is_einval)
{
	static const uint64_t bad[] = { 1ULL << 63, (1ULL << 63) + 1, UINT64_MAX };
	struct mboxio_sendmsg sm = { .buf = (uintptr_t)"x", .len = 1 };
	struct mboxio_recvmsg rm = { 0 };
	char buf[8];
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	rm.buf = (uintptr_t)buf;
	rm.size = sizeof(buf);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, mbox_send(fd, "x", 1, MBOX_MSG_DEADLINE, bad[i]));
		EXPECT_EQ(-EINVAL, mbox_recv(fd, buf, sizeof(buf),
					     MBOX_MSG_DEADLINE, bad[i], NULL));
		EXPECT_EQ(-EINVAL, mbox_sendv(fd, &sm, 1, MBOX_MSG_DEADLINE, bad[i]));
		EXPECT_EQ(-EINVAL, mbox_recvv(fd, &rm, 1, MBOX_MSG_DEADLINE, bad[i]));
	}
	/* The largest valid one is a deadline nobody reaches. */
	EXPECT_EQ(0, mbox_send(fd, "x", 1, MBOX_MSG_DEADLINE, (1ULL << 63) - 1));
	EXPECT_EQ(1, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
			       (1ULL << 63) - 1, NULL));
	close(fd);
}

TEST_HARNESS_MAIN
