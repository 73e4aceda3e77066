// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits: max_user_mailboxes and max_user_bytes.
 *
 * A user (real uid; also inside a user namespace of its own) may own at
 * most max_user_mailboxes mailboxes, and the kernel memory charged to it
 * (each mailbox it created, each message it sent that is still held,
 * wherever) stays within max_user_bytes: past either a create or send
 * fails with EDQUOT and nothing changes. Whoever sends pays (the caller of
 * an ioctl, the opener for write(2)), not the mailbox's owner; charges
 * outlive the sender's processes exactly as long as its messages do.
 * CAP_SYS_RESOURCE exceeds the limits. MBOXIO_INFO reports the limits and
 * the caller's usage. With the default parameters one unprivileged user
 * cannot make mbox hold more than 64 MiB.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>

#include "mbox_helpers.h"
#include "../kselftest_harness.h"

FIXTURE(quota) {
	MBOX_ENV_FIELDS;
	long max_mb, max_bytes;
};

FIXTURE_SETUP(quota)
{
	MBOX_ENV_SETUP();
	if (geteuid() != 0)
		SKIP(return, "needs root to switch uids and set parameters");
	umask(0);
	/*
	 * A module without the parameters has no per-user limits: the tests
	 * run anyway, and fail on what that lets a user do.
	 */
	self->max_mb = mbox_param_read("max_user_mailboxes");
	self->max_bytes = mbox_param_read("max_user_bytes");
}

FIXTURE_TEARDOWN(quota)
{
	if (self->max_mb > 0)
		mbox_param_write("max_user_mailboxes", self->max_mb);
	if (self->max_bytes > 0)
		mbox_param_write("max_user_bytes", self->max_bytes);
	MBOX_ENV_TEARDOWN();
}

/* The caller's usage from MBOXIO_INFO. */
static int usage(int dev, uint32_t *mailboxes, uint64_t *bytes)
{
	struct mboxio_info info;
	int ret = mbox_info(dev, &info);

	if (ret)
		return ret;
	*mailboxes = info.user_mailboxes;
	*bytes = info.user_bytes;
	return 0;
}

/* Usage of @uid, asked by a child that becomes it; bytes or -1. */
static int64_t usage_of(int dev, uid_t uid, uint32_t *mailboxes)
{
	int sv[2];
	pid_t pid;
	struct { uint32_t mb; uint64_t bytes; } u = { 0 };

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	pid = mbox_fork();
	if (pid == 0) {
		CHILD_CHECK(mbox_become(uid, uid, 0, NULL) == 0);
		CHILD_CHECK(usage(dev, &u.mb, &u.bytes) == 0);
		CHILD_CHECK(write(sv[1], &u, sizeof(u)) == sizeof(u));
		_exit(0);
	}
	if (read(sv[0], &u, sizeof(u)) != sizeof(u))
		u.bytes = -1;
	mbox_reap(pid);
	close(sv[0]);
	close(sv[1]);
	if (mailboxes)
		*mailboxes = u.mb;
	return u.bytes;
}

TEST_F(quota, info_reports_limits_and_usage)
{
	static char payload[4000];
	struct mboxio_info info;
	uint32_t n0, n1;
	uint64_t b0, b1;
	int fd;

	MBOX_SKIP_GUARD();
	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(0, mbox_ioctl(self->dev, MBOXIO_INFO, &info));
	EXPECT_EQ(self->max_mb, info.max_user_mailboxes);
	EXPECT_EQ(self->max_bytes, (long)info.max_user_bytes);
	EXPECT_EQ(MBOX_INFO_UNLIMITED, info.flags);
	EXPECT_EQ(0U, info.__pad);
	ASSERT_EQ(0, usage(self->dev, &n0, &b0));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 4096);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, usage(self->dev, &n1, &b1));
	EXPECT_EQ(n0 + 1, n1);
	EXPECT_LT(b0, b1);
	ASSERT_EQ(0, mbox_send(fd, NULL, 0, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, payload, sizeof(payload), 0, 0));
	ASSERT_EQ(0, usage(self->dev, &n0, &b0));
	EXPECT_LE(b1 + 4000, b0);
	close(fd);
	ASSERT_EQ(0, usage(self->dev, &n1, &b1));
	EXPECT_EQ(n0 - 1, n1);
	/* The module's defaults are what limits.rst documents. */
	EXPECT_LE(info.max_user_bytes, 64ULL << 20);
}

TEST_F(quota, parameters_checked)
{
	MBOX_SKIP_GUARD();
	EXPECT_EQ(-EINVAL, mbox_param_write("max_user_mailboxes", 0));
	EXPECT_EQ(-EINVAL, mbox_param_write("max_user_mailboxes", 65537));
	EXPECT_EQ(-EINVAL, mbox_param_write("max_user_bytes", 0));
	EXPECT_EQ(-EINVAL, mbox_param_write("max_user_bytes", (1UL << 31) + 1));
	EXPECT_EQ(self->max_mb, mbox_param_read("max_user_mailboxes"));
	EXPECT_EQ(self->max_bytes, mbox_param_read("max_user_bytes"));
}

/*
 * uid 1000 owns at most max_user_mailboxes, named or anonymous, also as
 * "root" of its own user namespace; closing frees the count; others are
 * not affected; root exceeds it.
 */
TEST_F(quota, mailboxes_per_user)
{
	const char *name = mbox_new_name("q");
	const int max = 5;
	uint32_t owned = 0;
	pid_t pid;
	int i, fd[8];

	MBOX_SKIP_GUARD();
	mbox_track_name("kst.q.other");
	ASSERT_EQ(0, mbox_param_write("max_user_mailboxes", max));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint32_t n;
		uint64_t b;

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		for (i = 0; i < max - 1; i++) {
			fd[i] = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
			CHILD_CHECK(fd[i] >= 0);
		}
		fd[i] = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8);
		CHILD_CHECK(fd[i] >= 0);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8) == -EDQUOT);
		CHILD_CHECK(mbox_create(self->dev, "kst.q.other", MBOX_FD_RDWR, 0600,
					1, 8) == -EDQUOT);
		/* Nothing was left behind by the refusals. */
		CHILD_CHECK(mbox_open(self->dev, "kst.q.other", MBOX_FD_RECV) == -ENOENT);
		CHILD_CHECK(usage(self->dev, &n, &b) == 0 && n == (uint32_t)max);
		/* Its own user namespace: still uid 1000 underneath. */
		if (unshare(CLONE_NEWUSER) == 0)
			CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600,
						1, 8) == -EDQUOT);
		close(fd[0]);
		fd[0] = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
		CHILD_CHECK(fd[0] >= 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));

	/* The named one outlives the child and still counts. */
	EXPECT_LT(0, usage_of(self->dev, 1000, &owned));
	EXPECT_EQ(1U, owned);
	/* Another user is not affected; root exceeds the limit. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_become(1001, 1001, 0, NULL) == 0);
		for (i = 0; i < max; i++)
			CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600,
						1, 8) >= 0);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	for (i = 0; i < max + 2; i++) {
		fd[i] = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
		EXPECT_LE(0, fd[i]);
	}
	for (i = 0; i < max + 2; i++)
		close(fd[i]);
}

/*
 * uid 1000 fills a mailbox until max_user_bytes: EDQUOT, nothing queued by
 * the refused send, its usage within the limit. The charge stays while
 * the messages do (after the sender exits), and goes when they are
 * received by someone else.
 */
TEST_F(quota, bytes_per_user)
{
	const char *name = mbox_new_name("qb");
	const long limit = 1 << 20;
	static char big[65536];
	struct mboxio_stat st;
	uint64_t bytes;
	int fd, n, sv[2];
	pid_t pid;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, mbox_param_write("max_user_bytes", limit));
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0622, 1024, sizeof(big));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sync_pair(sv));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint32_t m;
		uint64_t b;
		int s, k = 0, ret;

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		s = mbox_open(self->dev, name, MBOX_FD_SEND);
		CHILD_CHECK(s >= 0);
		while ((ret = mbox_send(s, big, sizeof(big), MBOX_MSG_DONTWAIT, 0)) == 0)
			k++;
		CHILD_CHECK(ret == -EDQUOT);
		CHILD_CHECK(usage(self->dev, &m, &b) == 0);
		CHILD_CHECK(b <= (uint64_t)limit);
		CHILD_CHECK(b + 2 * sizeof(big) > (uint64_t)limit);
		/* A small one may still fit; then nothing does. */
		while (mbox_send(s, "x", 1, MBOX_MSG_DONTWAIT, 0) == 0)
			k++;
		CHILD_CHECK(mbox_send(s, "x", 1, MBOX_MSG_DONTWAIT, 0) == -EDQUOT);
		CHILD_CHECK(write(s, "x", 1) == -1 && errno == EDQUOT);
		CHILD_CHECK(write(sv[1], &k, sizeof(k)) == sizeof(k));
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(n), read(sv[0], &n, sizeof(n)));
	ASSERT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ((uint32_t)n, st.queued);
	EXPECT_GE(n, 8);
	bytes = usage_of(self->dev, 1000, NULL);
	EXPECT_LE(bytes, (uint64_t)limit);
	EXPECT_LT((uint64_t)limit / 2, bytes);

	/* Root (the owner) receives one: uid 1000 may send one again. */
	ASSERT_EQ((int)sizeof(big), mbox_recv(fd, big, sizeof(big), 0, 0, NULL));
	EXPECT_GT(bytes, (uint64_t)usage_of(self->dev, 1000, NULL));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int s;

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		s = mbox_open(self->dev, name, MBOX_FD_SEND);
		CHILD_CHECK(s >= 0);
		CHILD_CHECK(mbox_send(s, big, sizeof(big), MBOX_MSG_DONTWAIT, 0) == 0);
		CHILD_CHECK(mbox_send(s, big, sizeof(big), MBOX_MSG_DONTWAIT, 0) == -EDQUOT);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	/* Unlinked and closed: every message goes, and with it the charge. */
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	close(fd);
	EXPECT_EQ(0, usage_of(self->dev, 1000, NULL));
	close(sv[0]);
	close(sv[1]);
}

/*
 * Who pays: an ioctl send is charged to the caller, a write(2) to whoever
 * opened the fd, never to the mailbox's owner for someone else's message.
 */
TEST_F(quota, sender_pays)
{
	int64_t b1000, b1001, after1000, after1001;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 16, 4096);
	ASSERT_LE(0, fd);
	b1000 = usage_of(self->dev, 1000, NULL);
	b1001 = usage_of(self->dev, 1001, NULL);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char page[4096];

		CHILD_CHECK(mbox_become(1001, 1001, 0, NULL) == 0);
		CHILD_CHECK(mbox_send(fd, page, sizeof(page), 0, 0) == 0);
		/* write(2) through root's fd: charged to root, the opener. */
		CHILD_CHECK(write(fd, page, sizeof(page)) == sizeof(page));
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	after1000 = usage_of(self->dev, 1000, NULL);
	after1001 = usage_of(self->dev, 1001, NULL);
	EXPECT_EQ(b1000, after1000);
	EXPECT_LE(b1001 + 4096, after1001);
	EXPECT_GT(b1001 + 2 * 4096, after1001);
	close(fd);
	EXPECT_EQ(b1001, usage_of(self->dev, 1001, NULL));
}

/*
 * With the default limits, one unprivileged user that creates as many of
 * the largest mailboxes as it may and fills them until refused has made
 * mbox hold at most 64 MiB, and that memory stays after it exits only as
 * long as its named mailboxes do.
 */
TEST_F(quota, default_bound_64mib)
{
	struct mboxio_info info;
	uint64_t total = 0;
	int sv[2];
	pid_t pid;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	ASSERT_EQ(0, sync_pair(sv));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char big[65536];
		uint64_t sent = 0;
		char name[32];
		uint32_t i;
		int fd, ret = 0;

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		for (i = 0; ; i++) {
			snprintf(name, sizeof(name), "kst.qd.%u", i);
			fd = mbox_create(self->dev, name, MBOX_FD_SEND, 0600,
					 info.max_capacity, info.max_msg_size);
			if (fd < 0)
				break;
			while ((ret = mbox_send(fd, big, sizeof(big),
						MBOX_MSG_DONTWAIT, 0)) == 0) {
				sent += sizeof(big);
				/* Stop well past the bound on a module without one. */
				if (sent > (80ULL << 20))
					break;
			}
			close(fd);
			if (ret != -EAGAIN)
				break;
		}
		CHILD_CHECK(write(sv[1], &sent, sizeof(sent)) == sizeof(sent));
		CHILD_CHECK(write(sv[1], &i, sizeof(i)) == sizeof(i));
		_exit(ret == -EDQUOT || fd == -EDQUOT ? 0 : 3);
	}
	{
		uint32_t created = 0, i;
		char name[32];

		ASSERT_EQ((ssize_t)sizeof(total), read(sv[0], &total, sizeof(total)));
		ASSERT_EQ((ssize_t)sizeof(created), read(sv[0], &created, sizeof(created)));
		EXPECT_EQ(0, mbox_reap(pid));
		EXPECT_GE(64ULL << 20, total);
		EXPECT_LE(32ULL << 20, total);
		EXPECT_GE(64ULL << 20, (uint64_t)usage_of(self->dev, 1000, NULL));
		for (i = 0; i <= created; i++) {
			snprintf(name, sizeof(name), "kst.qd.%u", i);
			mbox_unlink(self->dev, name);
		}
	}
	EXPECT_EQ(0, usage_of(self->dev, 1000, NULL));
	close(sv[0]);
	close(sv[1]);
}

/*
 * A request that cannot fit must not make one that fits fail: with 8 KiB
 * left under the limit, one thread keeps asking for 64 KiB (always
 * EDQUOT) while another sends and takes back small messages, which must
 * never be refused. (A charge that is added first and taken back when
 * over the limit refuses the small ones now and then: the window is a few
 * instructions in the kernel, so this test can only make it likely, with
 * two threads asking for too much against one that fits, for 2 s.)
 */
struct edq {
	int big, small;
	volatile int stop;
	unsigned long small_ok, small_edquot, big_ok;
};

static void *edq_big(void *p)
{
	static char big[65536];
	struct edq *e = p;

	while (!e->stop)
		if (mbox_send(e->big, big, sizeof(big), MBOX_MSG_DONTWAIT, 0) == 0)
			e->big_ok++;
	return NULL;
}

static void *edq_small(void *p)
{
	struct edq *e = p;
	char b[8];
	int ret;

	while (!e->stop) {
		ret = mbox_send(e->small, "x", 1, MBOX_MSG_DONTWAIT, 0);
		if (ret == -EDQUOT)
			e->small_edquot++;
		else if (ret == 0 &&
			 mbox_recv(e->small, b, sizeof(b), MBOX_MSG_DONTWAIT, 0,
				   NULL) == 1)
			e->small_ok++;
	}
	return NULL;
}

TEST_F(quota, failing_request_never_refuses_one_that_fits)
{
	int sv[2];
	pid_t pid;
	uint64_t used;

	MBOX_SKIP_GUARD();
	if (self->max_bytes <= 0)
		SKIP(return, "no max_user_bytes parameter");
	ASSERT_EQ(0, sync_pair(sv));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct edq e = { 0 };
		pthread_t t[3];
		uint32_t n;
		uint64_t b;

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		e.big = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 65536);
		e.small = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 8);
		CHILD_CHECK(e.big >= 0 && e.small >= 0);
		CHILD_CHECK(usage(self->dev, &n, &b) == 0);
		CHILD_CHECK(write(sv[1], &b, sizeof(b)) == sizeof(b));
		CHILD_CHECK(sync_wait(sv[1]) == 'g');	/* the limit is set */
		/* Two askers of too much: one is nearly always running. */
		pthread_create(&t[0], NULL, edq_big, &e);
		pthread_create(&t[1], NULL, edq_big, &e);
		pthread_create(&t[2], NULL, edq_small, &e);
		usleep(2000000);
		e.stop = 1;
		pthread_join(t[0], NULL);
		pthread_join(t[1], NULL);
		pthread_join(t[2], NULL);
		fprintf(stderr, "# small sends: %lu ok, %lu EDQUOT; big ok: %lu\n",
			e.small_ok, e.small_edquot, e.big_ok);
		CHILD_CHECK(e.big_ok == 0);
		CHILD_CHECK(e.small_ok > 0);
		CHILD_CHECK(e.small_edquot == 0);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(used), read(sv[0], &used, sizeof(used)));
	ASSERT_EQ(0, mbox_param_write("max_user_bytes", used + 8192));
	ASSERT_EQ(0, sync_post(sv[0], 'g'));
	EXPECT_EQ(0, mbox_reap(pid));
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
