// SPDX-License-Identifier: GPL-2.0
/*
 * What POSIX message queues need from the module: arrival notification
 * (MBOXIO_NOTIFY, MBOXIO_NOTIFY_WAIT) and MBOX_MSG_FULLSIZE.
 *
 * As mq_notify(3) says: one registered process per mailbox (EBUSY for
 * any other registration), told once when a message arrives in an empty
 * mailbox with no receiver waiting, by a signal whose siginfo has si_code
 * SI_MESGQ, the sender's pid and real uid and the registered value; the
 * registration is used up by it, and removed by its owner (REMOVE, or any
 * close of a descriptor of the mailbox). The sender here is always a child
 * of another uid, so si_pid and si_uid say something.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>

#include "mbox_helpers.h"
#include "../kselftest_harness.h"

#define USER_UID	1000
#define USER_GID	1000

MBOX_FIXTURE(notify);

static int notify_set(int fd, uint32_t how, uint32_t signo, uint64_t value,
		      uint64_t *token)
{
	struct mboxio_notify n = { .how = how, .signo = signo, .value = value };
	int ret = mbox_ioctl(fd, MBOXIO_NOTIFY, &n);

	if (token)
		*token = n.token;
	return ret;
}

static int notify_wait(int fd, uint64_t token)
{
	struct mboxio_notify n = { .token = token };

	return mbox_ioctl(fd, MBOXIO_NOTIFY_WAIT, &n);
}

/* A child, as uid 1000, sends one message; returns its pid (reaped). */
static pid_t send_as_user(int fd, const char *msg)
{
	pid_t pid = mbox_fork();

	if (pid == 0) {
		CHILD_CHECK(mbox_become(USER_UID, USER_GID, 0, NULL) == 0);
		CHILD_CHECK(mbox_send_str(fd, msg) == 0);
		_exit(0);
	}
	if (pid > 0 && mbox_reap(pid))
		return -1;
	return pid;
}

/* Wait up to @ms for SIGUSR1 (blocked by the caller). */
static int take_sig(siginfo_t *si, int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	return sigtimedwait(&set, si, &ts);
}

static void block_usr1(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

TEST_F(notify, signal_once_with_sender)
{
	siginfo_t si;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	block_usr1();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, notify_set(fd, MBOX_NOTIFY_SIGNAL, SIGUSR1, 0x1234abcd,
				NULL));
	pid = send_as_user(fd, "one");
	ASSERT_LT(0, pid);
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(SIGUSR1, take_sig(&si, 5000));
	EXPECT_EQ(SI_MESGQ, si.si_code);
	EXPECT_EQ(pid, si.si_pid);
	EXPECT_EQ(USER_UID, (int)si.si_uid);
	EXPECT_EQ(0x1234abcd, si.si_value.sival_int);

	/* Used up: the mailbox empties and fills again, nobody is told. */
	ASSERT_EQ(3, mbox_recv(fd, (char[16]){ 0 }, 16, 0, 0, NULL));
	ASSERT_LT(0, send_as_user(fd, "two"));
	EXPECT_EQ(-1, take_sig(&si, 100));
	EXPECT_EQ(EAGAIN, errno);
	/* And anyone may register again. */
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_SIGNAL, SIGUSR1, 0, NULL));
	close(fd);
}

/* Only into an empty mailbox, and not when a receiver takes it at once. */
TEST_F(notify, only_when_nobody_else_would_see_it)
{
	siginfo_t si;
	char buf[16];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	block_usr1();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "first"));
	ASSERT_EQ(0, notify_set(fd, MBOX_NOTIFY_SIGNAL, SIGUSR1, 0, NULL));
	ASSERT_LT(0, send_as_user(fd, "second"));
	EXPECT_EQ(-1, take_sig(&si, 100));
	ASSERT_EQ(5, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	ASSERT_EQ(6, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));

	/* A receiver waiting gets it straight: no notification either. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL) == 5);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_LT(0, send_as_user(fd, "third"));
	ASSERT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(-1, take_sig(&si, 100));

	/* Still registered: the next arrival into nothing is told. */
	ASSERT_LT(0, send_as_user(fd, "4th"));
	EXPECT_EQ(SIGUSR1, take_sig(&si, 5000));
	close(fd);
}

/* A rendezvous mailbox: a sender starting to offer is an arrival. */
TEST_F(notify, rendezvous_offer)
{
	siginfo_t si;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	block_usr1();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 0, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, notify_set(fd, MBOX_NOTIFY_SIGNAL, SIGUSR1, 7, NULL));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_send_str(fd, "offer") == 0);
		_exit(0);
	}
	ASSERT_EQ(SIGUSR1, take_sig(&si, 5000));
	EXPECT_EQ(pid, si.si_pid);
	EXPECT_EQ(7, si.si_value.sival_int);
	ASSERT_EQ(5, mbox_recv(fd, (char[16]){ 0 }, 16, 0, 0, NULL));
	ASSERT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(notify, one_registrant)
{
	pid_t pid;
	int fd, fd2;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 4, 16);
	ASSERT_LE(0, fd);
	fd2 = dup(fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL));
	/* Registered: EBUSY for anyone, the registrant too, on any fd. */
	EXPECT_EQ(-EBUSY, notify_set(fd, MBOX_NOTIFY_SIGNAL, SIGUSR1, 0, NULL));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL) ==
			    -EBUSY);
		/* Another process's REMOVE removes nothing. */
		CHILD_CHECK(notify_set(fd, MBOX_NOTIFY_REMOVE, 0, 0, NULL) == 0);
		/* Nor does its close of an inherited fd. */
		close(fd2);
		CHILD_CHECK(notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL) ==
			    -EBUSY);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(-EBUSY, notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL));

	/* The registrant's close of any descriptor removes it. */
	close(fd2);
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL));
	/* REMOVE by the registrant, then REMOVE again: both 0. */
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_REMOVE, 0, 0, NULL));
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_REMOVE, 0, 0, NULL));
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL));
	/* SIGEV_NONE: an arrival uses the registration up, silently. */
	ASSERT_EQ(0, mbox_send_str(fd, "x"));
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL));
	close(fd);
}

/* Registrations that exit or die are gone with them. */
TEST_F(notify, registrant_exit)
{
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 4, 16);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(notify_set(fd, MBOX_NOTIFY_SIGNAL, SIGUSR1, 0,
				       NULL) == 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL));
	close(fd);
}

static void *wait_thread(void *p)
{
	uint64_t *a = p;	/* in: fd, token; out: result */

	a[2] = (uint64_t)(int64_t)notify_wait((int)a[0], a[1]);
	return NULL;
}

TEST_F(notify, thread_registration)
{
	uint64_t token, token2, a[3];
	pthread_t t;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 4, 16);
	ASSERT_LE(0, fd);
	/* A waiter that is there before the message. */
	ASSERT_EQ(0, notify_set(fd, MBOX_NOTIFY_THREAD, 0, 0, &token));
	ASSERT_NE(0U, token);
	a[0] = fd;
	a[1] = token;
	a[2] = 1;
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_thread, a));
	usleep(50000);
	EXPECT_EQ(1U, a[2]);
	ASSERT_LT(0, send_as_user(fd, "wake"));
	pthread_join(t, NULL);
	EXPECT_EQ(0U, a[2]);
	EXPECT_EQ(-ENOENT, notify_wait(fd, token));	/* used up */
	ASSERT_EQ(4, mbox_recv(fd, (char[16]){ 0 }, 16, 0, 0, NULL));

	/*
	 * Notified before its thread waits: still registered (EBUSY) until
	 * the thread takes it, at once.
	 */
	ASSERT_EQ(0, notify_set(fd, MBOX_NOTIFY_THREAD, 0, 0, &token2));
	EXPECT_NE(token, token2);
	ASSERT_LT(0, send_as_user(fd, "early"));
	EXPECT_EQ(-EBUSY, notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL));
	/* Only the registrant's threads may take it. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(notify_wait(fd, token2) == -ENOENT);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(-ENOENT, notify_wait(fd, token2 + 1));
	EXPECT_EQ(0, notify_wait(fd, token2));
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_NONE, 0, 0, NULL));
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_REMOVE, 0, 0, NULL));

	/* Removed while a thread waits: it is told ENOENT. */
	ASSERT_EQ(5, mbox_recv(fd, (char[16]){ 0 }, 16, 0, 0, NULL));
	ASSERT_EQ(0, notify_set(fd, MBOX_NOTIFY_THREAD, 0, 0, &token));
	a[1] = token;
	a[2] = 1;
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_thread, a));
	usleep(50000);
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_REMOVE, 0, 0, NULL));
	pthread_join(t, NULL);
	EXPECT_EQ((uint64_t)-ENOENT, a[2]);
	close(fd);
}

TEST_F(notify, bad_arguments)
{
	struct mboxio_notify n = { 0 };
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 4, 16);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, notify_set(fd, MBOX_NOTIFY_THREAD + 1, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, notify_set(fd, MBOX_NOTIFY_SIGNAL, 65, 0, NULL));
	EXPECT_EQ(-EINVAL, notify_set(fd, MBOX_NOTIFY_NONE, SIGUSR1, 0, NULL));
	EXPECT_EQ(-EINVAL, notify_set(fd, MBOX_NOTIFY_THREAD, 0, 1, NULL));
	EXPECT_EQ(-EINVAL, notify_set(fd, MBOX_NOTIFY_REMOVE, 1, 0, NULL));
	n.how = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_NOTIFY_WAIT, &n));
	EXPECT_EQ(-ENOENT, notify_wait(fd, 0));
	/* signo 0 registers and sends nothing, as mq_notify() allows. */
	EXPECT_EQ(0, notify_set(fd, MBOX_NOTIFY_SIGNAL, 0, 0, NULL));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, MBOXIO_NOTIFY, &n));
	close(fd);
}

/* MBOX_MSG_FULLSIZE: mq_receive()'s rule, before anything else. */
TEST_F(notify, fullsize_receive)
{
	struct mboxio_recvmsg v = { 0 };
	struct mboxio_batch b = { .vec = (uintptr_t)&v, .count = 1,
				  .flags = MBOX_MSG_FULLSIZE |
					   MBOX_MSG_DONTWAIT };
	char buf[64];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 4, 32);
	ASSERT_LE(0, fd);
	/* Empty and DONTWAIT: still EMSGSIZE, not EAGAIN. */
	EXPECT_EQ(-EMSGSIZE, mbox_recv(fd, buf, 31, MBOX_MSG_FULLSIZE |
				       MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, 32, MBOX_MSG_FULLSIZE |
				     MBOX_MSG_DONTWAIT, 0, NULL));
	ASSERT_EQ(0, mbox_send_str(fd, "hi"));
	EXPECT_EQ(-EMSGSIZE, mbox_recv(fd, buf, 2, MBOX_MSG_FULLSIZE, 0, NULL));
	v.buf = (uintptr_t)buf;
	v.size = 16;
	EXPECT_EQ(-EMSGSIZE, mbox_ioctl(fd, MBOXIO_RECVV, &b));
	EXPECT_EQ(2, mbox_recv(fd, buf, 32, MBOX_MSG_FULLSIZE, 0, NULL));
	/* A send has no use for it. */
	EXPECT_EQ(-EINVAL, mbox_send(fd, "x", 1, MBOX_MSG_FULLSIZE, 0));
	close(fd);
}

/* An fs.mqueue setting of the test's IPC namespace: read, or write. */
static long mq_sysctl(const char *name, long val)
{
	char path[64], buf[32];
	FILE *f;
	long old = -1;

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &old) != 1)
		old = -1;
	fclose(f);
	if (val >= 0) {
		f = fopen(path, "w");
		if (!f)
			return -1;
		snprintf(buf, sizeof(buf), "%ld", val);
		fputs(buf, f);
		if (fclose(f))
			return -1;
	}
	return old;
}

/*
 * MBOX_CREATE_MQ: 0 and 0 take msg_default and msgsize_default; an
 * unprivileged creator is held to msg_max, msgsize_max and queues_max,
 * root is not; the module's own bounds apply to both.
 */
TEST_F(notify, mq_create_limits)
{
	static const char *const names[] = {
		"msg_default", "msgsize_default", "msg_max", "msgsize_max",
		"queues_max",
	};
	struct mboxio_create c = { .flags = MBOX_FD_RDWR | MBOX_CREATE_MQ,
				   .mode = 0600 };
	struct mboxio_stat st;
	long saved[5];
	unsigned int i;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	for (i = 0; i < 5; i++) {
		saved[i] = mq_sysctl(names[i], -1);
		if (saved[i] < 0)
			SKIP(return, "no /proc/sys/fs/mqueue/%s", names[i]);
	}
	ASSERT_LE(0, mq_sysctl("msg_max", 6));
	ASSERT_LE(0, mq_sysctl("msgsize_max", 4096));
	ASSERT_LE(0, mq_sysctl("msg_default", 5));
	ASSERT_LE(0, mq_sysctl("msgsize_default", 1000));

	fd = mbox_ioctl(self->dev, MBOXIO_CREATE, &c);
	EXPECT_LE(0, fd);
	if (fd >= 0) {
		ASSERT_EQ(0, mbox_stat(fd, &st));
		EXPECT_EQ(5U, st.capacity);
		EXPECT_EQ(1000U, st.msg_size);
		close(fd);
	}
	/* One of the two 0 alone is not "the defaults". */
	c.capacity = 3;
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_CREATE, &c));
	/* Root may exceed msg_max; not the module's max_capacity. */
	c.capacity = 7;
	c.msg_size = 4097;
	fd = mbox_ioctl(self->dev, MBOXIO_CREATE, &c);
	EXPECT_LE(0, fd);
	close(fd);
	c.capacity = mbox_param_read("max_capacity") + 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_CREATE, &c));

	for (i = 0; i < 2; i++) {
		/* Then queues_max 0: it comes first, as in ipc/mqueue.c. */
		if (i)
			ASSERT_LE(0, mq_sysctl("queues_max", 0));
		pid = mbox_fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct mboxio_create u = c;
			int want = i ? -ENOSPC : -EINVAL;

			CHILD_CHECK(mbox_become(USER_UID, USER_GID, 0, NULL) == 0);
			u.capacity = 7;
			u.msg_size = 100;
			CHILD_CHECK(mbox_ioctl(self->dev, MBOXIO_CREATE, &u) == want);
			u.capacity = 6;
			u.msg_size = 4097;
			CHILD_CHECK(mbox_ioctl(self->dev, MBOXIO_CREATE, &u) == want);
			u.msg_size = 4096;
			if (i)
				CHILD_CHECK(mbox_ioctl(self->dev, MBOXIO_CREATE,
						       &u) == -ENOSPC);
			/* Not a queue: mbox's own limits only. */
			u.flags &= ~MBOX_CREATE_MQ;
			u.capacity = 7;
			fd = mbox_ioctl(self->dev, MBOXIO_CREATE, &u);
			CHILD_CHECK(fd >= 0);
			_exit(0);
		}
		EXPECT_EQ(0, mbox_reap(pid));
	}
	/* Root: queues_max does not hold it. */
	c.capacity = 1;
	c.msg_size = 8;
	fd = mbox_ioctl(self->dev, MBOXIO_CREATE, &c);
	EXPECT_LE(0, fd);
	close(fd);

	for (i = 0; i < 5; i++)
		mq_sysctl(names[i], saved[i]);
}

TEST_HARNESS_MAIN
