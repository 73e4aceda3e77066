// SPDX-License-Identifier: GPL-2.0
/*
 * mbox names and lifetime: EEXIST/ENOENT, unlink removes only the name,
 * queued messages survive while no fd is open, a name re-created after
 * unlink is a new mailbox, anonymous mailboxes shared by fork and passed
 * with SCM_RIGHTS, O_CLOEXEC, the nr_mailboxes count, and the module
 * refusing to unload while a mailbox exists (the last tests here; the VM
 * script does the real unload at the end of the run).
 */
#define _GNU_SOURCE
#include <sys/syscall.h>

#include "mbox_helpers.h"
#include "../kselftest_harness.h"

FIXTURE(life) {
	MBOX_ENV_FIELDS;
};

FIXTURE_SETUP(life)
{
	MBOX_ENV_SETUP();
}

FIXTURE_TEARDOWN(life)
{
	if (self->dev < 0)
		self->dev = mbox_dev_open();
	MBOX_ENV_TEARDOWN();
}

TEST_F(life, eexist_enoent)
{
	const char *name = mbox_new_name("ex");
	int fd, fd2;

	MBOX_SKIP_GUARD();
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, name, MBOX_FD_RECV));
	EXPECT_EQ(-ENOENT, mbox_unlink(self->dev, name));
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	/* Whatever the other arguments. */
	EXPECT_EQ(-EEXIST, mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8));
	EXPECT_EQ(-EEXIST, mbox_create(self->dev, name, MBOX_FD_SEND, 0644, 0, 100));
	fd2 = mbox_open(self->dev, name, MBOX_FD_RDWR);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
	EXPECT_EQ(-ENOENT, mbox_unlink(self->dev, name));
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, name, MBOX_FD_RECV));
	close(fd2);
	close(fd);
}

TEST_F(life, unlink_keeps_open_fds_working)
{
	const char *name = mbox_new_name("unl");
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[8];
	int fd, ro;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	ro = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, ro);
	ASSERT_EQ(0, mbox_send(fd, "pre", 3, 0, 0));
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ((__u32)MBOX_STAT_UNLINKED, st.flags);
	EXPECT_EQ(1U, st.queued);
	ASSERT_EQ(0, mbox_send(fd, "post", 4, 0, 0));
	EXPECT_EQ(3, mbox_recv(ro, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(2U, r.seq);
	close(ro);
	close(fd);
}

TEST_F(life, queued_messages_survive_without_fds)
{
	const char *name = mbox_new_name("keep");
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[8];
	long nr;
	int fd;

	MBOX_SKIP_GUARD();
	nr = mbox_count(self->dev);
	fd = mbox_create(self->dev, name, MBOX_FD_SEND, 0600, 4, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "one", 3, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "two", 3, 0, 0));
	close(fd);
	/* No fd open anywhere: the named mailbox and its queue remain. */
	EXPECT_EQ(nr + 1, mbox_count(self->dev));
	fd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(2U, st.sent);
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
	EXPECT_EQ(nr, mbox_count(self->dev));
}

TEST_F(life, survives_sender_exit)
{
	const char *name = mbox_new_name("exit");
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int dev = mbox_dev_open(), mb;

		CHILD_CHECK(dev >= 0);
		mb = mbox_create(dev, name, MBOX_FD_SEND, 0600, 2, 8);
		CHILD_CHECK(mb >= 0);
		CHILD_CHECK(mbox_send(mb, "bye", 3, 0, 0) == 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	fd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, fd);
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(pid, r.pid);
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

TEST_F(life, recreate_after_unlink_is_independent)
{
	const char *name = mbox_new_name("re");
	struct mboxio_stat st;
	char buf[8];
	int old, new;

	MBOX_SKIP_GUARD();
	old = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, old);
	ASSERT_EQ(0, mbox_send(old, "old", 3, 0, 0));
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	new = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 3, 8);
	ASSERT_LE(0, new);
	/* The new mailbox is empty and not the old one. */
	EXPECT_EQ(-EAGAIN, mbox_recv(new, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	ASSERT_EQ(0, mbox_stat(new, &st));
	EXPECT_EQ(3U, st.capacity);
	EXPECT_EQ(0U, st.flags);
	ASSERT_EQ(0, mbox_send(new, "new", 3, 0, 0));
	EXPECT_EQ(3, mbox_recv(old, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, memcmp(buf, "old", 3));
	EXPECT_EQ(-EAGAIN, mbox_recv(old, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	/* Opening the name reaches the new one. */
	close(new);
	new = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, new);
	EXPECT_EQ(3, mbox_recv(new, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, memcmp(buf, "new", 3));
	/* Shutting the old one down leaves the new one alone. */
	ASSERT_EQ(0, mbox_shutdown(old));
	ASSERT_EQ(0, mbox_stat(new, &st));
	EXPECT_EQ(0U, st.flags & MBOX_STAT_SHUTDOWN);
	close(old);
	close(new);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

TEST_F(life, nr_mailboxes_counts)
{
	const char *name = mbox_new_name("cnt");
	long nr;
	int fd, fd2, anon;

	MBOX_SKIP_GUARD();
	nr = mbox_count(self->dev);
	ASSERT_LE(0, nr);
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(nr + 1, mbox_count(self->dev));
	fd2 = mbox_open(self->dev, name, MBOX_FD_RDWR);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(nr + 1, mbox_count(self->dev));
	anon = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, anon);
	EXPECT_EQ(nr + 2, mbox_count(self->dev));
	close(anon);
	EXPECT_EQ(nr + 1, mbox_count(self->dev));
	close(fd);
	close(fd2);
	/* Named: still there with no fd. */
	EXPECT_EQ(nr + 1, mbox_count(self->dev));
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
	EXPECT_EQ(nr, mbox_count(self->dev));
}

TEST_F(life, anonymous_shared_by_fork)
{
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ((__u32)MBOX_STAT_UNLINKED, st.flags);
	EXPECT_EQ(0U, st.capacity);
	pid = mbox_fork_sender(fd, "anon", 4);
	ASSERT_LE(0, pid);
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "anon", 4));
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(life, anonymous_passed_with_scm_rights)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	struct iovec iov;
	int sv[2], fd, got;
	char buf[8], c = 'f';

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	iov.iov_base = &c;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	ASSERT_EQ(1, sendmsg(sv[0], &mh, 0));
	/* Only the copy in flight keeps it alive now. */
	close(fd);
	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_controllen = sizeof(cbuf);
	ASSERT_EQ(1, recvmsg(sv[1], &mh, 0));
	cm = CMSG_FIRSTHDR(&mh);
	ASSERT_NE(NULL, cm);
	memcpy(&got, CMSG_DATA(cm), sizeof(int));
	EXPECT_EQ(0, mbox_send(got, "scm", 3, 0, 0));
	EXPECT_EQ(3, mbox_recv(got, buf, sizeof(buf), 0, 0, NULL));
	close(got);
	close(sv[0]);
	close(sv[1]);
}

TEST_F(life, anonymous_rejects_open_unlink_by_null)
{
	MBOX_SKIP_GUARD();
	EXPECT_EQ(-EINVAL, mbox_open(self->dev, NULL, MBOX_FD_RDWR));
	EXPECT_EQ(-EINVAL, mbox_unlink(self->dev, NULL));
}

TEST_F(life, cloexec)
{
	const char *name = mbox_new_name("cloexec");
	int fd, fd2, anon;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR | MBOX_FD_CLOEXEC, 0600, 1, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	fd2 = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, fcntl(fd2, F_GETFD) & FD_CLOEXEC);
	close(fd2);
	fd2 = mbox_open(self->dev, name, MBOX_FD_RECV | MBOX_FD_CLOEXEC);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd2, F_GETFD) & FD_CLOEXEC);
	close(fd2);
	anon = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, anon);
	EXPECT_EQ(0, fcntl(anon, F_GETFD) & FD_CLOEXEC);
	close(anon);
	anon = mbox_create(self->dev, NULL, MBOX_FD_SEND | MBOX_FD_CLOEXEC, 0600, 1, 8);
	ASSERT_LE(0, anon);
	EXPECT_EQ(FD_CLOEXEC, fcntl(anon, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_WRONLY, fcntl(anon, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	close(anon);
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

TEST_F(life, cloexec_honoured_by_exec)
{
	char path[128];
	pid_t pid;
	int fd, keep;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR | MBOX_FD_CLOEXEC, 0600, 1, 8);
	ASSERT_LE(0, fd);
	keep = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, keep);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* The shell sees the kept fd and not the close-on-exec one. */
		snprintf(path, sizeof(path), "[ -e /proc/self/fd/%d ] && ! [ -e /proc/self/fd/%d ]",
			 keep, fd);
		execl("/bin/sh", "sh", "-c", path, (char *)NULL);
		_exit(127);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
	close(keep);
}

static int try_unload(void)
{
	return syscall(__NR_delete_module, "mbox", O_NONBLOCK) ? -errno : 0;
}

/*
 * The module must refuse to unload while a mailbox exists. The fixture's
 * /dev/mbox fd would pin it on its own, so it is closed first. If the
 * module wrongly unloads here, every later test fails, which is the point.
 */
TEST_F(life, unload_refused_while_named_mailbox_exists)
{
	const char *name = mbox_new_name("pin");
	int fd, ret;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs CAP_SYS_MODULE");
	fd = mbox_create(self->dev, name, MBOX_FD_SEND, 0600, 2, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "kept", 4, 0, 0));
	close(fd);
	close(self->dev);
	self->dev = -1;
	/* Nothing open at all: only the name and its queued message. */
	ret = try_unload();
	EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY)
		TH_LOG("delete_module(mbox) returned %d", ret);
	self->dev = mbox_dev_open();
	ASSERT_LE(0, self->dev);
	fd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, mbox_recv(fd, &ret, sizeof(ret), 0, 0, NULL));
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

TEST_F(life, unload_refused_while_fd_open)
{
	int fd, ret;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs CAP_SYS_MODULE");
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	close(self->dev);
	self->dev = -1;
	ret = try_unload();
	EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY)
		TH_LOG("delete_module(mbox) returned %d", ret);
	EXPECT_EQ(0, mbox_send(fd, "x", 1, 0, 0));
	close(fd);
}

TEST_F(life, unload_refused_while_dev_open)
{
	int ret;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs CAP_SYS_MODULE");
	ret = try_unload();
	EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY)
		TH_LOG("delete_module(mbox) returned %d", ret);
	EXPECT_LE(0, mbox_count(self->dev));
}

TEST_HARNESS_MAIN
