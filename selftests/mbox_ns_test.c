// SPDX-License-Identifier: GPL-2.0
/*
 * IPC namespaces: names, counts, limits and the listing are per namespace;
 * a fd crosses namespaces; a namespace's names go with it; capabilities
 * over a namespace's mailboxes come from the user namespace that owns it.
 *
 * Each test forks a child that unshare(CLONE_NEWIPC)s (root in the VM) and
 * talks to the parent over the fixture's socketpair.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "mbox_helpers.h"

MBOX_FIXTURE(ns);

/* Whether /proc/driver/mbox, opened now, lists @name. */
static int listed(const char *name)
{
	char *txt = mbox_read_file("/proc/driver/mbox");
	char *p;
	int found = 0;

	if (!txt)
		return -1;
	for (p = txt; (p = strstr(p, name)); p++)
		if ((p == txt || p[-1] == '\n') && p[strlen(name)] == ' ')
			found = 1;
	free(txt);
	return found;
}

static unsigned int info_count(int dev)
{
	struct mboxio_info info;

	return mbox_info(dev, &info) ? ~0U : info.nr_mailboxes;
}

static unsigned int user_mailboxes(int dev)
{
	struct mboxio_info info;

	return mbox_info(dev, &info) ? ~0U : info.user_mailboxes;
}

/*
 * Wait up to 10 s for the caller's user to own at most @want mailboxes
 * (namespaces of earlier tests may still be going away meanwhile).
 */
static int wait_user_mailboxes(int dev, unsigned int want)
{
	uint64_t end = now_ns() + MS(10000);

	while (user_mailboxes(dev) > want) {
		if (now_ns() > end)
			return -1;
		usleep(5000);
	}
	return 0;
}

TEST_F(ns, names_isolated_both_ways)
{
	const char *a = mbox_new_name("nsa"), *b = mbox_new_name("nsb");
	pid_t child;
	int fd, fd2;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, a, MBOX_FD_RDWR, 0600, 2, 16);
	ASSERT_LE(0, fd);
	child = mbox_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		int x;

		CHILD_CHECK(unshare(CLONE_NEWIPC) == 0);
		/* The parent's name is not here, and may be taken anew. */
		CHILD_CHECK(mbox_open(self->dev, a, MBOX_FD_RDWR) == -ENOENT);
		CHILD_CHECK(mbox_unlink(self->dev, a) == -ENOENT);
		x = mbox_create(self->dev, a, MBOX_FD_RDWR, 0600, 2, 16);
		CHILD_CHECK(x >= 0);
		CHILD_CHECK(mbox_create(self->dev, b, MBOX_FD_RDWR, 0600, 2, 16) >= 0);
		CHILD_CHECK(mbox_send_str(x, "child") == 0);
		CHILD_CHECK(sync_post(self->sv[1], 'c') == 0);
		CHILD_CHECK(sync_wait(self->sv[1]) == 'x');
		_exit(0);
	}
	ASSERT_EQ('c', sync_wait(self->sv[0]));
	/* The child's names are not here; ours is still ours. */
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, b, MBOX_FD_RDWR));
	fd2 = mbox_open(self->dev, a, MBOX_FD_RDWR);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd2, NULL, 0, MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(-EEXIST, mbox_create(self->dev, a, MBOX_FD_RDWR, 0600, 2, 16));
	ASSERT_EQ(0, sync_post(self->sv[0], 'x'));
	EXPECT_EQ(0, mbox_reap(child));
	close(fd2);
	close(fd);
}

/* A fd is the way across: inherited one way, passed back the other. */
TEST_F(ns, fd_crosses_namespaces)
{
	char buf[16];
	pid_t child;
	int fd, back;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 16);
	ASSERT_LE(0, fd);
	child = mbox_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		const char *n = mbox_new_name("nsfd");
		int mine;

		CHILD_CHECK(unshare(CLONE_NEWIPC) == 0);
		CHILD_CHECK(mbox_send_str(fd, "from inside") == 0);
		mine = mbox_create(self->dev, n, MBOX_FD_RDWR, 0600, 2, 16);
		CHILD_CHECK(mine >= 0);
		CHILD_CHECK(mbox_send_str(mine, "inner") == 0);
		CHILD_CHECK(mbox_send_fd(self->sv[1], mine) == 0);
		_exit(0);
	}
	EXPECT_EQ(11, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	back = mbox_recv_fd(self->sv[0]);
	ASSERT_LE(0, back);
	EXPECT_EQ(0, mbox_reap(child));
	/* The child and its namespace are gone; the mailbox works on. */
	EXPECT_EQ(5, mbox_recv(back, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, memcmp(buf, "inner", 5));
	EXPECT_EQ(0, mbox_send_str(back, "again"));
	EXPECT_EQ(5, mbox_recv(back, buf, sizeof(buf), 0, 0, NULL));
	close(back);
	close(fd);
}

/* MBOXIO_INFO and /proc/driver/mbox show the reader's namespace only. */
TEST_F(ns, listing_and_count_per_namespace)
{
	const char *outer = mbox_new_name("nsouter"), *inner = mbox_new_name("nsinner");
	pid_t child;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, outer, MBOX_FD_RDWR, 0600, 2, 16);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, listed(outer));
	child = mbox_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		CHILD_CHECK(unshare(CLONE_NEWIPC) == 0);
		CHILD_CHECK(info_count(self->dev) == 0);
		CHILD_CHECK(listed(outer) == 0);
		CHILD_CHECK(mbox_create(self->dev, inner, MBOX_FD_RDWR, 0600, 2, 16) >= 0);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 16) >= 0);
		CHILD_CHECK(info_count(self->dev) == 2);
		CHILD_CHECK(listed(inner) == 1);
		CHILD_CHECK(sync_post(self->sv[1], 'c') == 0);
		CHILD_CHECK(sync_wait(self->sv[1]) == 'x');
		_exit(0);
	}
	ASSERT_EQ('c', sync_wait(self->sv[0]));
	EXPECT_EQ(0, listed(inner));
	EXPECT_EQ(1, listed(outer));
	ASSERT_EQ(0, sync_post(self->sv[0], 'x'));
	EXPECT_EQ(0, mbox_reap(child));
	close(fd);
}

/* max_mailboxes counts per namespace: one cannot make another's fail. */
TEST_F(ns, limit_per_namespace)
{
	long saved = mbox_param_read("max_mailboxes");
	unsigned int here = info_count(self->dev);
	pid_t child;
	int fd;

	MBOX_SKIP_GUARD();
	ASSERT_LT(0, saved);
	ASSERT_EQ(0, mbox_param_write("max_mailboxes", here + 1));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 16);
	EXPECT_LE(0, fd);
	EXPECT_EQ(-ENOSPC, mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 16));
	child = mbox_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		unsigned int i;

		CHILD_CHECK(unshare(CLONE_NEWIPC) == 0);
		/* A namespace of its own: the whole limit. */
		for (i = 0; i < here + 1; i++)
			CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR,
						0600, 2, 16) >= 0);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2,
					16) == -ENOSPC);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(child));
	EXPECT_EQ(0, mbox_param_write("max_mailboxes", saved));
	if (fd >= 0)
		close(fd);
}

/*
 * When a namespace goes, so do its names: mailboxes with no fd are freed,
 * one still open works on and is freed with its last fd.
 */
TEST_F(ns, teardown_with_and_without_fds)
{
	unsigned int base = user_mailboxes(self->dev);
	char buf[16];
	pid_t child;
	int kept;

	MBOX_SKIP_GUARD();
	child = mbox_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		int fd, i;

		CHILD_CHECK(unshare(CLONE_NEWIPC) == 0);
		for (i = 0; i < 3; i++) {
			fd = mbox_create(self->dev, mbox_new_name("nsgone"),
					 MBOX_FD_RDWR, 0600, 2, 16);
			CHILD_CHECK(fd >= 0);
			CHILD_CHECK(mbox_send_str(fd, "left") == 0);
			if (i == 2)
				CHILD_CHECK(mbox_send_fd(self->sv[1], fd) == 0);
			close(fd);
		}
		_exit(0);
	}
	kept = mbox_recv_fd(self->sv[0]);
	ASSERT_LE(0, kept);
	EXPECT_EQ(0, mbox_reap(child));
	/* The namespace is freed by the kernel shortly after: two go. */
	EXPECT_EQ(0, wait_user_mailboxes(self->dev, base + 1));
	EXPECT_EQ(4, mbox_recv(kept, buf, sizeof(buf), 0, 0, NULL));
	close(kept);
	EXPECT_EQ(0, wait_user_mailboxes(self->dev, base));
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Capabilities over a namespace's mailboxes come from the user namespace
 * that owns the IPC namespace, and only for owners mapped there: root of a
 * user namespace (uids 0-1 inside are 1000-1001 outside) may open and
 * unlink a mode-0600 mailbox of its uid 1, but not one the real root made.
 */
TEST_F(ns, capabilities_from_owning_user_namespace)
{
	char path[64];
	pid_t child, helper;
	int nsfd;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root to map user namespaces");
	child = mbox_fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		pid_t gc;
		int fd;

		CHILD_CHECK(unshare(CLONE_NEWUSER | CLONE_NEWIPC) == 0);
		CHILD_CHECK(sync_post(self->sv[1], 'u') == 0);
		CHILD_CHECK(sync_wait(self->sv[1]) == 'm');
		CHILD_CHECK(setresgid(0, 0, 0) == 0 && setresuid(0, 0, 0) == 0);
		gc = fork();
		if (gc == 0) {
			if (setresgid(1, 1, 1) || setresuid(1, 1, 1))
				_exit(2);
			_exit(mbox_create(self->dev, "mbox-ns-x", MBOX_FD_RDWR,
					  0600, 2, 16) >= 0 ? 0 : 3);
		}
		CHILD_CHECK(mbox_reap(gc) == 0);
		fd = mbox_open(self->dev, "mbox-ns-x", MBOX_FD_RECV);
		CHILD_CHECK(fd >= 0);
		close(fd);
		CHILD_CHECK(mbox_unlink(self->dev, "mbox-ns-x") == 0);
		/* One of an owner this namespace cannot name: no bypass. */
		CHILD_CHECK(sync_post(self->sv[1], 'y') == 0);
		CHILD_CHECK(sync_wait(self->sv[1]) == 'Y');
		CHILD_CHECK(mbox_open(self->dev, "mbox-ns-y", MBOX_FD_RECV) == -EACCES);
		CHILD_CHECK(mbox_unlink(self->dev, "mbox-ns-y") == -EACCES);
		_exit(0);
	}
	ASSERT_EQ('u', sync_wait(self->sv[0]));
	snprintf(path, sizeof(path), "/proc/%d/uid_map", child);
	ASSERT_EQ(0, write_file(path, "0 1000 2\n"));
	snprintf(path, sizeof(path), "/proc/%d/gid_map", child);
	ASSERT_EQ(0, write_file(path, "0 1000 2\n"));
	ASSERT_EQ(0, sync_post(self->sv[0], 'm'));
	ASSERT_EQ('y', sync_wait(self->sv[0]));
	/* The real root makes one in the child's IPC namespace. */
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", child);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, nsfd);
	helper = mbox_fork();
	ASSERT_LE(0, helper);
	if (helper == 0) {
		CHILD_CHECK(setns(nsfd, CLONE_NEWIPC) == 0);
		CHILD_CHECK(mbox_create(self->dev, "mbox-ns-y", MBOX_FD_RDWR, 0600,
					2, 16) >= 0);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(helper));
	close(nsfd);
	ASSERT_EQ(0, sync_post(self->sv[0], 'Y'));
	EXPECT_EQ(0, mbox_reap(child));
}

TEST_HARNESS_MAIN
