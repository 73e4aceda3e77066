// SPDX-License-Identifier: GPL-2.0
/*
 * mbox read(2) and write(2): one message per call, EMSGSIZE both ways,
 * O_NONBLOCK, end of file after shutdown and drain, EPIPE without SIGPIPE,
 * no offsets (ESPIPE), access modes (EBADF), blocking both ways, and shell
 * tools using an inherited mailbox fd.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

MBOX_FIXTURE(rw)

TEST_F(rw, write_sends_one_message)
{
	struct mboxio_recv r;
	struct mboxio_stat st;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	EXPECT_EQ(5, write(fd, "hello", 5));
	EXPECT_EQ(3, write(fd, "abc", 3));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(8U, st.queued_bytes);
	EXPECT_EQ(2U, st.sent);
	/* Two messages, not a byte stream. */
	EXPECT_EQ(5, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(2U, r.seq);
	close(fd);
}

TEST_F(rw, read_receives_one_message)
{
	struct mboxio_stat st;
	char buf[64];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "abc"));
	ASSERT_EQ(0, mbox_send_str(fd, "defg"));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
	EXPECT_STREQ("abc", buf);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_STREQ("defg", buf);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(2U, st.received);
	close(fd);
}

TEST_F(rw, read_small_buffer_emsgsize_keeps_message)
{
	struct mboxio_stat st;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "0123456789", 10, 0, 0));
	errno = 0;
	EXPECT_EQ(-1, read(fd, buf, 4));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, read(fd, buf, 9));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(10U, st.queued_bytes);
	EXPECT_EQ(0U, st.received);
	EXPECT_EQ(10, read(fd, buf, 10));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	close(fd);
}

TEST_F(rw, write_above_msg_size_emsgsize)
{
	struct mboxio_stat st;
	char big[17];
	int fd;

	MBOX_SKIP_GUARD();
	memset(big, 'z', sizeof(big));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, write(fd, big, 17));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(16, write(fd, big, 16));
	close(fd);
}

TEST_F(rw, zero_length_message)
{
	struct mboxio_recv r;
	struct mboxio_stat st;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 8);
	ASSERT_LE(0, fd);
	/* An empty message read(2)s as 0, and is taken. */
	ASSERT_EQ(0, mbox_send(fd, "", 0, 0, 0));
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(1U, st.received);
	/* write(fd, buf, 0) sends one empty message. */
	EXPECT_EQ(0, write(fd, "", 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(2U, st.sent);
	EXPECT_EQ(0, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(0U, r.len);
	close(fd);
}

TEST_F(rw, nonblock_eagain)
{
	char buf[8];
	int fd, fl;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR | MBOX_FD_NONBLOCK, 0600, 1, 8);
	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, write(fd, "1", 1));
	errno = 0;
	EXPECT_EQ(-1, write(fd, "2", 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ('1', buf[0]);
	close(fd);

	/* Rendezvous with nobody on the other side; and fcntl(O_NONBLOCK). */
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	fl = fcntl(fd, F_GETFL);
	ASSERT_LE(0, fl);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fl | O_NONBLOCK));
	errno = 0;
	EXPECT_EQ(-1, write(fd, "r", 1));
	EXPECT_EQ(EAGAIN, errno);
	errno = 0;
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

TEST_F(rw, eof_after_shutdown_and_drain)
{
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "one"));
	ASSERT_EQ(0, mbox_send_str(fd, "two"));
	ASSERT_EQ(0, mbox_shutdown(fd));
	/* Queued messages first, then end of file, again and again. */
	EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	/* The ioctl still says EPIPE. */
	EXPECT_EQ(-EPIPE, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	close(fd);
}

TEST_F(rw, blocked_read_gets_eof_on_shutdown)
{
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(read(fd, buf, sizeof(buf)) == 4);
		CHILD_CHECK(!memcmp(buf, "data", 4));
		CHILD_CHECK(read(fd, buf, sizeof(buf)) == 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(4, write(fd, "data", 4));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(rw, blocked_write_on_full_mailbox)
{
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "1", 1));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(write(fd, "22", 2) == 2);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	EXPECT_EQ(1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(2, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "22", 2));
	close(fd);
}

TEST_F(rw, rendezvous_read_write)
{
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(write(fd, "rdv", 3) == 3);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "rdv", 3));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(rw, write_after_shutdown_epipe_no_sigpipe)
{
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_shutdown(fd));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		sigset_t set, pending;

		/* Blocked: no SIGPIPE may even be queued. */
		sigemptyset(&set);
		sigaddset(&set, SIGPIPE);
		CHILD_CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
		errno = 0;
		CHILD_CHECK(write(fd, "x", 1) == -1 && errno == EPIPE);
		CHILD_CHECK(sigpending(&pending) == 0);
		CHILD_CHECK(!sigismember(&pending, SIGPIPE));
		/* Default action: the process survives. */
		signal(SIGPIPE, SIG_DFL);
		CHILD_CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
		errno = 0;
		CHILD_CHECK(write(fd, "x", 1) == -1 && errno == EPIPE);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(rw, no_offsets_espipe)
{
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "p"));
	errno = 0;
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_CUR));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(fd, "q", 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	/* Neither moved a message. */
	EXPECT_EQ(1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ('p', buf[0]);
	close(fd);
}

TEST_F(rw, access_modes_ebadf)
{
	const char *name = mbox_new_name("rwacc");
	struct mboxio_stat st;
	char buf[8];
	int fd, rfd, wfd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	rfd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, rfd);
	wfd = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, mbox_unlink(self->dev, name));

	errno = 0;
	EXPECT_EQ(-1, write(rfd, "x", 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(1, write(wfd, "y", 1));
	errno = 0;
	EXPECT_EQ(-1, read(wfd, buf, sizeof(buf)));
	EXPECT_EQ(EBADF, errno);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1, read(rfd, buf, sizeof(buf)));
	EXPECT_EQ('y', buf[0]);
	close(rfd);
	close(wfd);
	close(fd);
}

/* Run /bin/sh -c @script with @fd as its fd 3 and stdout into @out. */
static pid_t run_shell(int fd, int out, const char *script)
{
	pid_t pid = mbox_fork();

	if (pid == 0) {
		CHILD_CHECK(dup2(fd, 3) == 3);
		if (out >= 0)
			CHILD_CHECK(dup2(out, 1) == 1);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	return pid;
}

TEST_F(rw, shell_echo_sends_a_message)
{
	struct mboxio_recv r;
	char buf[32];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	if (access("/bin/sh", X_OK))
		SKIP(return, "no /bin/sh");
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR | MBOX_FD_CLOEXEC, 0600, 4, 32);
	ASSERT_LE(0, fd);
	pid = run_shell(fd, -1, "echo hello >&3 && echo world >&3");
	ASSERT_LE(0, pid);
	EXPECT_EQ(0, mbox_reap(pid));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(6, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_STREQ("hello\n", buf);
	EXPECT_EQ(pid, r.pid);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(6, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_STREQ("world\n", buf);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	close(fd);
}

TEST_F(rw, shell_cat_stops_at_eof)
{
	char buf[64];
	int fd, p[2];
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	MBOX_SKIP_GUARD();
	if (access("/bin/sh", X_OK))
		SKIP(return, "no /bin/sh");
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR | MBOX_FD_CLOEXEC, 0600, 4, 32);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_EQ(0, mbox_send_str(fd, "one\n"));
	ASSERT_EQ(0, mbox_send_str(fd, "two\n"));
	ASSERT_EQ(0, mbox_shutdown(fd));
	pid = run_shell(fd, p[1], "cat <&3");
	ASSERT_LE(0, pid);
	close(p[1]);
	while ((n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	close(p[0]);
	/* cat saw end of file after the drain and exited successfully. */
	EXPECT_EQ(0, mbox_reap(pid));
	EXPECT_STREQ("one\ntwo\n", buf);
	close(fd);
}

TEST_HARNESS_MAIN
