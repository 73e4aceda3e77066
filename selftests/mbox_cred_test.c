// SPDX-License-Identifier: GPL-2.0
/*
 * mbox sender identity: each received message reports the sender's tgid
 * (also when a non-main thread sent it, and as seen from the receiver's pid
 * namespace), its euid/egid (not the real ids; mapped into the receiver's
 * user namespace) and a per-mailbox delivery number 1, 2, 3... with no
 * gaps, which failed receives do not consume.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>

#include "mbox_helpers.h"
#include "../kselftest_harness.h"

MBOX_FIXTURE(cred)

struct thread_arg {
	int fd;
	pid_t tid;
	int ret;
};

static void *thread_send(void *p)
{
	struct thread_arg *a = p;

	a->tid = syscall(SYS_gettid);
	a->ret = mbox_send(a->fd, "thr", 3, 0, 0);
	return NULL;
}

TEST_F(cred, pid_is_tgid_from_thread)
{
	struct thread_arg a = { 0 };
	struct mboxio_recv r;
	pthread_t th;
	char buf[8];
	int cap;

	MBOX_SKIP_GUARD();
	/* Bounded (thread finishes first) and rendezvous (main receives). */
	for (cap = 1; cap >= 0; cap--) {
		a.fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, cap, 8);
		ASSERT_LE(0, a.fd);
		ASSERT_EQ(0, pthread_create(&th, NULL, thread_send, &a));
		EXPECT_EQ(3, mbox_recv(a.fd, buf, sizeof(buf), 0, 0, &r));
		ASSERT_EQ(0, pthread_join(th, NULL));
		EXPECT_EQ(0, a.ret);
		EXPECT_NE(getpid(), a.tid);
		EXPECT_EQ(getpid(), r.pid);
		EXPECT_EQ(geteuid(), r.uid);
		EXPECT_EQ(getegid(), r.gid);
		EXPECT_EQ(1U, r.seq);
		close(a.fd);
	}
}

TEST_F(cred, pid_of_child_sender)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork_sender(fd, "kid", 3);
	ASSERT_LE(0, pid);
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(cred, uid_gid_are_sender_effective_ids)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root to switch uids");
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Real ids differ from effective ones: only the latter count. */
		CHILD_CHECK(setgroups(0, NULL) == 0);
		CHILD_CHECK(setresgid(3001, 1001, 3001) == 0);
		CHILD_CHECK(setresuid(3000, 1000, 3000) == 0);
		CHILD_CHECK(mbox_send(fd, "eid", 3, 0, 0) == 0);
		/* And again after switching the effective ids. */
		CHILD_CHECK(setresuid(-1, 3000, -1) == 0);
		CHILD_CHECK(mbox_send(fd, "rid", 3, 0, 0) == 0);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "eid", 3));
	EXPECT_EQ(1000U, r.uid);
	EXPECT_EQ(1001U, r.gid);
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(3000U, r.uid);
	EXPECT_EQ(1001U, r.gid);
	close(fd);
}

TEST_F(cred, uid_of_nonroot_creator_and_sender)
{
	const char *name = mbox_new_name("uid");
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root to switch uids");
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int dev, mb;

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		umask(0);
		dev = mbox_dev_open();
		CHILD_CHECK(dev >= 0);
		mb = mbox_create(dev, name, MBOX_FD_SEND, 0622, 4, 8);
		CHILD_CHECK(mb >= 0);
		CHILD_CHECK(mbox_send(mb, "u1000", 5, 0, 0) == 0);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	fd = mbox_open(self->dev, name, MBOX_FD_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1000U, st.uid);
	EXPECT_EQ(1000U, st.gid);
	EXPECT_EQ(0622U, st.mode);
	EXPECT_EQ(5, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(1000U, r.uid);
	EXPECT_EQ(1000U, r.gid);
	EXPECT_EQ(pid, r.pid);
	close(fd);
}

TEST_F(cred, seq_has_no_gaps)
{
	struct mboxio_recv r;
	char buf[8];
	uint64_t want = 1;
	pid_t pid;
	int fd, other, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 8);
	ASSERT_LE(0, fd);
	other = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 8);
	ASSERT_LE(0, other);
	/* Messages from two processes share one sequence. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_send(fd, "c1", 2, 0, 0) == 0);
		CHILD_CHECK(mbox_send(fd, "c2", 2, 0, 0) == 0);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(0, mbox_send(fd, "p1", 2, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "p2", 2, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "longer", 6, 0, 0));
	ASSERT_EQ(0, mbox_send(other, "o", 1, 0, 0));
	for (i = 0; i < 4; i++) {
		/* Failed receives in between consume no number. */
		EXPECT_EQ(-EMSGSIZE, mbox_recv(fd, buf, 1, 0, 0, NULL));
		EXPECT_EQ(-EFAULT, mbox_recv(fd, mbox_bad_ptr(), 8, 0, 0, NULL));
		EXPECT_EQ(2, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
		EXPECT_EQ(want, r.seq);
		EXPECT_EQ(i < 2 ? pid : getpid(), r.pid);
		want++;
	}
	EXPECT_EQ(6, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(5U, r.seq);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	/* Each mailbox counts on its own. */
	EXPECT_EQ(1, mbox_recv(other, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(1U, r.seq);
	close(other);
	close(fd);
}

TEST_F(cred, seq_survives_reopen)
{
	const char *name = mbox_new_name("seq");
	struct mboxio_recv r;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 4, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "a", 1, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "b", 1, 0, 0));
	EXPECT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(1U, r.seq);
	close(fd);
	fd = mbox_open(self->dev, name, MBOX_FD_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(2U, r.seq);
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

/*
 * A sender in a child pid namespace is reported with the pid the parent
 * namespace sees; a receiver in the child namespace cannot see its parent
 * and gets pid 0.
 */
TEST_F(cred, pid_namespace)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	if (unshare(CLONE_NEWPID))
		SKIP(close(fd); return, "no pid namespaces: %s", strerror(errno));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mboxio_recv cr;

		CHILD_CHECK(getpid() == 1);
		CHILD_CHECK(mbox_send(fd, "ns", 2, 0, 0) == 0);
		CHILD_CHECK(sync_wait(self->sv[1]) == 'p');
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, &cr) == 2);
		CHILD_CHECK(memcmp(buf, "pp", 2) == 0);
		CHILD_CHECK(cr.pid == 0);
		_exit(0);
	}
	EXPECT_EQ(2, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "ns", 2));
	EXPECT_EQ(pid, r.pid);
	ASSERT_EQ(0, mbox_send(fd, "pp", 2, 0, 0));
	ASSERT_EQ(0, sync_post(self->sv[0], 'p'));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

/*
 * A receiver in a user namespace with no mapping for the sender's ids sees
 * the overflow ids, in received messages and in MBOXIO_STAT's owner.
 */
TEST_F(cred, user_namespace_maps_ids)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd, status;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root (sender uid 0 is unmapped in the new userns)");
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "r0", 2, 0, 0));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mboxio_stat st;
		long ovuid, ovgid;
		FILE *f;

		if (unshare(CLONE_NEWUSER))
			_exit(4);
		f = fopen("/proc/sys/kernel/overflowuid", "r");
		CHILD_CHECK(f && fscanf(f, "%ld", &ovuid) == 1);
		fclose(f);
		f = fopen("/proc/sys/kernel/overflowgid", "r");
		CHILD_CHECK(f && fscanf(f, "%ld", &ovgid) == 1);
		fclose(f);
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, &r) == 2);
		CHILD_CHECK(r.uid == (uint32_t)ovuid);
		CHILD_CHECK(r.gid == (uint32_t)ovgid);
		/* The owner (root) is unmapped here too. */
		CHILD_CHECK(mbox_stat(fd, &st) == 0);
		CHILD_CHECK(st.uid == (uint32_t)ovuid);
		CHILD_CHECK(st.gid == (uint32_t)ovgid);
		_exit(0);
	}
	status = mbox_reap(pid);
	if (status == 4)
		SKIP(close(fd); return, "no user namespaces");
	EXPECT_EQ(0, status);
	close(fd);
}

TEST_HARNESS_MAIN
