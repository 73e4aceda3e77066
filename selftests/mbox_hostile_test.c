// SPDX-License-Identifier: GPL-2.0
/*
 * mbox against a hostile or curious user.
 *
 * No uninitialised kernel memory reaches userspace: every output struct
 * (MBOXIO_INFO, MBOXIO_STAT, MBOXIO_RECV, MBOXIO_RECVV elements) is filled
 * with 0xA5 first, and every byte the kernel hands back must be exact:
 * out fields, pads zero, in fields unchanged; on failures the out fields
 * are unchanged or zero. fdinfo and /proc/driver/mbox are plain text with
 * exact values.
 *
 * Another user (uid 1000, no group in common) cannot open, receive from,
 * send to, shut down or unlink a mailbox unless its mode allows it. An fd
 * passed on purpose over SCM_RIGHTS is a capability, as for any file: it
 * grants exactly its access mode (send, receive, shutdown as opened), no
 * more (fcntl cannot widen it), and does not allow opening by name.
 *
 * Limits as an unprivileged user: max_mailboxes (lowered for the test),
 * EMFILE (the mailbox is removed again), oversized messages, huge
 * capacities and message sizes: clear errors, nothing left behind, the
 * system still usable.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

#define PAT 0xa5

FIXTURE(hostile) {
	MBOX_ENV_FIELDS;
	long before;
};

FIXTURE_SETUP(hostile)
{
	MBOX_ENV_SETUP();
	if (geteuid() != 0)
		SKIP(return, "needs root");
	umask(0);
	self->before = mbox_count(self->dev);
}

/* nr_mailboxes once it is @want (closes may finish late), or after 3 s. */
static long wait_count(int dev, long want)
{
	uint64_t end = now_ns() + MS(3000);

	while (mbox_count(dev) != want && now_ns() < end)
		usleep(2000);
	return mbox_count(dev);
}

FIXTURE_TEARDOWN(hostile)
{
	/* MBOX_ENV_TEARDOWN() written out: the count is checked before dev closes. */
	mbox_cleanup(self->dev);
	if (self->sv[0] >= 0) {
		close(self->sv[0]);
		close(self->sv[1]);
	}
	if (self->dev >= 0) {
		EXPECT_EQ(self->before, wait_count(self->dev, self->before));
		close(self->dev);
	}
}

static int all_bytes(const void *p, size_t n, uint8_t v)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++ != v)
			return 0;
	return 1;
}

TEST_F(hostile, info_defined)
{
	struct mboxio_info info, again;

	MBOX_SKIP_GUARD();
	memset(&info, PAT, sizeof(info));
	ASSERT_EQ(0, mbox_ioctl(self->dev, MBOXIO_INFO, &info));
	EXPECT_EQ((unsigned int)(MBOX_ABI_VERSION), info.version);
	EXPECT_EQ((unsigned int)(MBOX_NAME_MAX), info.name_max);
	EXPECT_EQ(MBOX_FD_ALL, info.fd_flags);
	EXPECT_EQ(MBOX_MSG_ALL, info.msg_flags);
	EXPECT_EQ(mbox_param_read("max_mailboxes"), info.max_mailboxes);
	EXPECT_EQ(mbox_param_read("max_capacity"), info.max_capacity);
	EXPECT_EQ(mbox_param_read("max_msg_size"), info.max_msg_size);
	EXPECT_EQ(self->before, info.nr_mailboxes);
	memset(&again, 0x5a, sizeof(again));
	ASSERT_EQ(0, mbox_ioctl(self->dev, MBOXIO_INFO, &again));
	EXPECT_EQ(0, memcmp(&info, &again, sizeof(info)));
}

TEST_F(hostile, stat_defined)
{
	const char *name = mbox_new_name("hst");
	struct mboxio_stat st, st2;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0640, 4, 128);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "abc", 3, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "defghij", 7, 0, 0));
	memset(&st, PAT, sizeof(st));
	ASSERT_EQ(0, mbox_ioctl(fd, MBOXIO_STAT, &st));
	EXPECT_EQ(4U, st.capacity);
	EXPECT_EQ(128U, st.msg_size);
	EXPECT_EQ(0640U, st.mode);
	EXPECT_EQ(0U, st.uid);
	EXPECT_EQ(0U, st.gid);
	EXPECT_EQ(0U, st.flags);
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(0U, st.waiting_receivers);
	EXPECT_EQ(0U, st.leased);
	EXPECT_EQ(10U, st.queued_bytes);
	EXPECT_EQ(2U, st.sent);
	EXPECT_EQ(0U, st.received);
	memset(&st2, 0x5a, sizeof(st2));
	ASSERT_EQ(0, mbox_ioctl(fd, MBOXIO_STAT, &st2));
	EXPECT_EQ(0, memcmp(&st, &st2, sizeof(st)));
	/* Shut down, unlinked: the flags, nothing else changes. */
	ASSERT_EQ(0, mbox_shutdown(fd));
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	memset(&st2, PAT, sizeof(st2));
	ASSERT_EQ(0, mbox_ioctl(fd, MBOXIO_STAT, &st2));
	EXPECT_EQ(MBOX_STAT_SHUTDOWN | MBOX_STAT_UNLINKED, st2.flags);
	st2.flags = 0;
	EXPECT_EQ(0, memcmp(&st, &st2, sizeof(st)));
	close(fd);
}

TEST_F(hostile, recv_defined)
{
	struct mboxio_recv r, in;
	char buf[64];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);

	/* Empty: EAGAIN, out fields unchanged or zero, in fields unchanged. */
	memset(&r, PAT, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.size = sizeof(buf);
	r.flags = MBOX_MSG_DONTWAIT;
	r.deadline_ns = 0;
	r.lease_ns = 0;		/* an in field: must be 0 without a lease */
	in = r;
	ASSERT_EQ(-EAGAIN, mbox_ioctl(fd, MBOXIO_RECV, &r));
	EXPECT_EQ(0, memcmp(&r, &in, offsetof(struct mboxio_recv, len)));
	EXPECT_TRUE(r.len == in.len || r.len == 0);
	EXPECT_TRUE(r.pid == in.pid || r.pid == 0);
	EXPECT_TRUE(r.uid == in.uid || r.uid == 0);
	EXPECT_TRUE(r.gid == in.gid || r.gid == 0);
	EXPECT_TRUE(r.seq == in.seq || r.seq == 0);

	/* Too small: EMSGSIZE with the exact length; the rest not garbage. */
	ASSERT_EQ(0, mbox_send(fd, "0123456789", 10, 0, 0));
	memset(&r, PAT, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.size = 4;
	r.flags = 0;
	r.deadline_ns = 0;
	r.lease_ns = 0;
	in = r;
	ASSERT_EQ(-EMSGSIZE, mbox_ioctl(fd, MBOXIO_RECV, &r));
	EXPECT_EQ(0, memcmp(&r, &in, offsetof(struct mboxio_recv, len)));
	EXPECT_EQ(10U, r.len);
	EXPECT_TRUE(r.pid == getpid() || r.pid == 0 || r.pid == in.pid);
	EXPECT_TRUE(r.uid == 0 || r.uid == in.uid);
	EXPECT_TRUE(r.gid == 0 || r.gid == in.gid);
	EXPECT_TRUE(r.seq == 0 || r.seq == in.seq);

	/* Received: every out field exact. */
	memset(&r, PAT, sizeof(r));
	memset(buf, PAT, sizeof(buf));
	r.buf = (uintptr_t)buf;
	r.size = sizeof(buf);
	r.flags = 0;
	r.deadline_ns = 0;
	r.lease_ns = 0;
	in = r;
	ASSERT_EQ(10, mbox_ioctl(fd, MBOXIO_RECV, &r));
	EXPECT_EQ(0, memcmp(&r, &in, offsetof(struct mboxio_recv, len)));
	EXPECT_EQ(10U, r.len);
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(0U, r.uid);
	EXPECT_EQ(0U, r.gid);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	/* Not a byte beyond the message. */
	EXPECT_TRUE(all_bytes(buf + 10, sizeof(buf) - 10, PAT));

	/* A zero-length message writes nothing into the buffer. */
	ASSERT_EQ(0, mbox_send(fd, NULL, 0, 0, 0));
	memset(buf, PAT, sizeof(buf));
	memset(&r, PAT, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.size = sizeof(buf);
	r.flags = 0;
	r.deadline_ns = 0;
	r.lease_ns = 0;
	ASSERT_EQ(0, mbox_ioctl(fd, MBOXIO_RECV, &r));
	EXPECT_EQ(0U, r.len);
	EXPECT_EQ(2U, r.seq);
	EXPECT_TRUE(all_bytes(buf, sizeof(buf), PAT));
	close(fd);
}

TEST_F(hostile, recvv_defined)
{
	struct mboxio_recvmsg v[4], in[4];
	char bufs[4][32];
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 32);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "one", 3, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "second", 6, 0, 0));
	memset(v, PAT, sizeof(v));
	memset(bufs, PAT, sizeof(bufs));
	for (i = 0; i < 4; i++) {
		v[i].buf = (uintptr_t)bufs[i];
		v[i].size = 32;
		v[i].priority = 0;
	}
	memcpy(in, v, sizeof(v));
	ASSERT_EQ(2, mbox_recvv(fd, v, 4, MBOX_MSG_DONTWAIT, 0));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(in[i].buf, v[i].buf);
		EXPECT_EQ(32U, v[i].size);
		EXPECT_EQ((unsigned long long)(i ? 6 : 3), v[i].len);
		EXPECT_EQ(getpid(), v[i].pid);
		EXPECT_EQ(0U, v[i].uid);
		EXPECT_EQ(0U, v[i].gid);
		EXPECT_EQ(0U, v[i].priority);
		EXPECT_EQ((unsigned long long)(i + 1), v[i].seq);
	}
	EXPECT_EQ(0, memcmp(bufs[0], "one", 3));
	EXPECT_TRUE(all_bytes(bufs[0] + 3, 29, PAT));
	EXPECT_EQ(0, memcmp(bufs[1], "second", 6));
	/* Element 2 met EAGAIN: unchanged or zero; element 3 untouched. */
	EXPECT_EQ(in[2].buf, v[2].buf);
	EXPECT_EQ(in[2].size, v[2].size);
	EXPECT_TRUE(v[2].len == in[2].len || v[2].len == 0);
	EXPECT_TRUE(v[2].pid == in[2].pid || v[2].pid == 0);
	EXPECT_TRUE(v[2].seq == in[2].seq || v[2].seq == 0);
	EXPECT_TRUE(v[2].priority == in[2].priority || v[2].priority == 0);
	EXPECT_EQ(0, memcmp(&v[3], &in[3], sizeof(v[3])));
	EXPECT_TRUE(all_bytes(bufs[2], 64, PAT));
	close(fd);
}

/* Every byte printable text, tab or newline. */
static int is_text(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 0x20 && *s < 0x7f) || *s == '\n' || *s == '\t'))
			return 0;
	return 1;
}

TEST_F(hostile, proc_text_exact)
{
	const char *name = mbox_new_name("hstp");
	char path[64], want[512], *txt;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0604, 3, 99);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "12345", 5, 0, 0));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	txt = mbox_read_file(path);
	ASSERT_NE(NULL, txt);
	EXPECT_TRUE(is_text(txt));
	snprintf(want, sizeof(want),
		 "mbox-name:\t%s\nmbox-uid:\t0\nmbox-gid:\t0\n"
		 "mbox-mode:\t0604\nmbox-capacity:\t3\nmbox-msg-size:\t99\n"
		 "mbox-queued:\t1\nmbox-queued-bytes:\t5\n"
		 "mbox-senders:\t0\nmbox-receivers:\t0\nmbox-leased:\t0\n"
		 "mbox-sent:\t1\nmbox-received:\t0\nmbox-flags:\t-\n", name);
	EXPECT_NE(NULL, strstr(txt, want)) {
		TH_LOG("fdinfo:\n%s\nwanted:\n%s", txt, want);
	}
	free(txt);
	txt = mbox_read_file("/proc/driver/mbox");
	ASSERT_NE(NULL, txt);
	EXPECT_TRUE(is_text(txt));
	EXPECT_NE(NULL, strstr(txt, name));
	free(txt);
	close(fd);
}

/* ----------------------------------------------------------------- */

/* What the "other" bits of @mode let uid 1000 open. */
static int open_expect(uint32_t mode, uint32_t flags)
{
	if ((flags & MBOX_FD_RECV) && !(mode & 04))
		return -EACCES;
	if ((flags & MBOX_FD_SEND) && !(mode & 02))
		return -EACCES;
	return 0;
}

TEST_F(hostile, other_user_by_name)
{
	static const uint32_t modes[] = { 0600, 0660, 0640, 0604, 0602, 0606, 0666, 0000 };
	static const uint32_t fl[] = { MBOX_FD_RECV, MBOX_FD_SEND, MBOX_FD_RDWR };
	const char *names[8];
	int fds[8], i, j;
	pid_t pid;

	MBOX_SKIP_GUARD();
	for (i = 0; i < 8; i++) {
		names[i] = mbox_new_name("hsto");
		fds[i] = mbox_create(self->dev, names[i], MBOX_FD_RDWR, modes[i], 2, 16);
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, mbox_send(fds[i], "secret", 6, 0, 0));
	}
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		for (i = 0; i < 8; i++) {
			for (j = 0; j < 3; j++) {
				int want = open_expect(modes[i], fl[j]);
				int fd = mbox_open(self->dev, names[i], fl[j]);

				if (want) {
					if (fd != want)
						fprintf(stderr, "# mode %o flags %u: %d\n",
							modes[i], fl[j], fd);
					CHILD_CHECK(fd == want);
					continue;
				}
				CHILD_CHECK(fd >= 0);
				/* What it may open it may use, and no more. */
				if (fl[j] == MBOX_FD_RECV)
					CHILD_CHECK(mbox_shutdown(fd) == -EBADF &&
						    mbox_send(fd, "x", 1, MBOX_MSG_DONTWAIT, 0) == -EBADF);
				if (fl[j] == MBOX_FD_SEND) {
					char b[16];

					CHILD_CHECK(mbox_recv(fd, b, 16, MBOX_MSG_DONTWAIT, 0, NULL) == -EBADF);
					CHILD_CHECK(read(fd, b, 16) == -1 && errno == EBADF);
				}
				close(fd);
			}
			/* Never unlink another's mailbox, whatever the mode. */
			CHILD_CHECK(mbox_unlink(self->dev, names[i]) == -EACCES);
		}
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	/* Nothing happened to them. */
	for (i = 0; i < 8; i++) {
		struct mboxio_stat st;
		char b[16];

		ASSERT_EQ(0, mbox_stat(fds[i], &st));
		EXPECT_EQ(0U, st.flags);
		EXPECT_EQ(1U, st.queued);
		EXPECT_EQ(6, mbox_recv(fds[i], b, sizeof(b), MBOX_MSG_DONTWAIT, 0, NULL));
		close(fds[i]);
		EXPECT_EQ(0, mbox_unlink(self->dev, names[i]));
	}
}

TEST_F(hostile, passed_fd_is_a_capability)
{
	const char *name = mbox_new_name("hstc");
	int box, rfd, sfd, sv[2], ret;
	struct mboxio_stat st;
	char b[16];
	pid_t pid;

	MBOX_SKIP_GUARD();
	box = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, box);
	rfd = mbox_open(self->dev, name, MBOX_FD_RECV);
	sfd = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, rfd);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, mbox_send(box, "for-child", 9, 0, 0));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int r, s, p;

		close(sv[0]);
		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		r = mbox_recv_fd(sv[1]);
		s = mbox_recv_fd(sv[1]);
		CHILD_CHECK(r >= 0 && s >= 0);
		/* The receive-only fd receives, and does nothing else. */
		CHILD_CHECK(mbox_recv(r, b, sizeof(b), MBOX_MSG_DONTWAIT, 0, NULL) == 9);
		CHILD_CHECK(mbox_send(r, "x", 1, MBOX_MSG_DONTWAIT, 0) == -EBADF);
		CHILD_CHECK(mbox_shutdown(r) == -EBADF);
		CHILD_CHECK(write(r, "x", 1) == -1 && errno == EBADF);
		/* F_SETFL cannot widen the access mode. */
		fcntl(r, F_SETFL, O_RDWR);
		CHILD_CHECK(mbox_send(r, "x", 1, MBOX_MSG_DONTWAIT, 0) == -EBADF);
		/* Nor can reopening it through /proc. */
		{
			char path[64];

			snprintf(path, sizeof(path), "/proc/self/fd/%d", r);
			p = open(path, O_RDWR);
			if (p >= 0) {
				CHILD_CHECK(mbox_send(p, "x", 1, MBOX_MSG_DONTWAIT, 0) != 0);
				close(p);
			}
		}
		/* The send-only fd sends, and may shut down; cannot receive. */
		CHILD_CHECK(mbox_send(s, "from-child", 10, 0, 0) == 0);
		CHILD_CHECK(mbox_recv(s, b, sizeof(b), MBOX_MSG_DONTWAIT, 0, NULL) == -EBADF);
		/* Possession of fds does not open the name. */
		CHILD_CHECK(mbox_open(self->dev, name, MBOX_FD_RECV) == -EACCES);
		CHILD_CHECK(mbox_open(self->dev, name, MBOX_FD_SEND) == -EACCES);
		CHILD_CHECK(mbox_unlink(self->dev, name) == -EACCES);
		CHILD_CHECK(mbox_shutdown(s) == 0);
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(0, mbox_send_fd(sv[0], rfd));
	ASSERT_EQ(0, mbox_send_fd(sv[0], sfd));
	ASSERT_EQ(0, mbox_reap(pid));
	close(sv[0]);
	ret = mbox_recv(box, b, sizeof(b), 0, 0, NULL);
	EXPECT_EQ(10, ret);
	ASSERT_EQ(0, mbox_stat(box, &st));
	EXPECT_EQ(MBOX_STAT_SHUTDOWN, st.flags);
	EXPECT_EQ(2U, st.sent);
	EXPECT_EQ(2U, st.received);
	close(rfd);
	close(sfd);
	close(box);
}

TEST_F(hostile, unprivileged_limits)
{
	long old_max = mbox_param_read("max_mailboxes");
	long max_cap = mbox_param_read("max_capacity");
	long max_size = mbox_param_read("max_msg_size");
	char name[64];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	ASSERT_LT(0, old_max);
	snprintf(name, sizeof(name), "hst.lim.%d", getpid());
	mbox_track_name(name);
	ASSERT_EQ(0, mbox_param_write("max_mailboxes", self->before + 5));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fds[8], i, n = 0;
		struct mboxio_stat st;
		struct rlimit rl;
		static char big[65536 + 1];

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		/* Until the limit: exactly 5, then ENOSPC, named or not. */
		for (i = 0; i < 8; i++) {
			fds[i] = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
			if (fds[i] >= 0)
				n++;
			else
				CHILD_CHECK(fds[i] == -ENOSPC);
		}
		CHILD_CHECK(n == 5);
		CHILD_CHECK(mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8) == -ENOSPC);
		CHILD_CHECK(mbox_open(self->dev, name, MBOX_FD_RECV) == -ENOENT);
		/* They are this user's. */
		CHILD_CHECK(mbox_stat(fds[0], &st) == 0 && st.uid == 1000 && st.gid == 1000);
		for (i = 0; i < 5; i++)
			close(fds[i]);
		/* Free again. */
		fds[0] = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
		CHILD_CHECK(fds[0] >= 0);
		close(fds[0]);

		/* No fd left: EMFILE, and the mailbox is gone again. */
		CHILD_CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
		fds[0] = dup(0);
		CHILD_CHECK(fds[0] >= 0);
		rl.rlim_cur = fds[0];	/* every number up to it in use */
		close(fds[0]);
		CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
		CHILD_CHECK(mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8) == -EMFILE);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8) == -EMFILE);
		rl.rlim_cur = rl.rlim_max;
		CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
		CHILD_CHECK(mbox_open(self->dev, name, MBOX_FD_RECV) == -ENOENT);

		/* Huge sizes and capacities: EINVAL. */
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, max_cap + 1, 8) == -EINVAL);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0xffffffff, 8) == -EINVAL);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, max_size + 1) == -EINVAL);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 0xffffffff) == -EINVAL);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 0) == -EINVAL);
		/* The largest allowed, and oversized messages. */
		fds[0] = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, max_cap, max_size);
		CHILD_CHECK(fds[0] >= 0);
		CHILD_CHECK(max_size <= (long)sizeof(big) - 1);
		CHILD_CHECK(mbox_send(fds[0], big, max_size + 1, 0, 0) == -EMSGSIZE);
		CHILD_CHECK(mbox_send(fds[0], big, 0xffffffff, 0, 0) == -EMSGSIZE);
		CHILD_CHECK(write(fds[0], big, max_size + 1) == -1 && errno == EMSGSIZE);
		for (i = 0; i < 32; i++)
			CHILD_CHECK(mbox_send(fds[0], big, max_size, MBOX_MSG_DONTWAIT, 0) == 0);
		CHILD_CHECK(mbox_stat(fds[0], &st) == 0 && st.queued == 32 &&
			    st.queued_bytes == 32ULL * max_size);
		close(fds[0]);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(0, mbox_param_write("max_mailboxes", old_max));
	/* Still usable, and nothing of the user's left. */
	EXPECT_EQ(self->before, wait_count(self->dev, self->before));
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, mbox_send(fd, "ok", 2, 0, 0));
	EXPECT_EQ(2, mbox_recv(fd, name, 8, 0, 0, NULL));
	close(fd);
}

TEST_HARNESS_MAIN
