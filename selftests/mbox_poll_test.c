// SPDX-License-Identifier: GPL-2.0
/*
 * mbox readiness: poll() masks for every mailbox state (empty, queued,
 * full, rendezvous with nobody, with a blocked receiver, with a blocked
 * sender, shut down), per fd access mode; poll() and select() waking up on
 * a send; epoll over many mailboxes; edge-triggered epoll seeing every new
 * message and every freed slot.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

#define IN_BITS		(POLLIN | POLLRDNORM)
#define OUT_BITS	(POLLOUT | POLLWRNORM)
#define ALL_BITS	(IN_BITS | OUT_BITS)

/* The revents of a zero-timeout poll() asking for both directions. */
static int revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = ALL_BITS };
	int n = poll(&p, 1, 0);

	if (n < 0)
		return -errno;
	return n ? p.revents : 0;
}

MBOX_FIXTURE(poll)

TEST_F(poll, bounded_empty_queued_full)
{
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	/* Empty: writable, not readable. */
	EXPECT_EQ(OUT_BITS, revents(fd));
	/* One queued: both. */
	ASSERT_EQ(0, mbox_send_str(fd, "a"));
	EXPECT_EQ(IN_BITS | OUT_BITS, revents(fd));
	/* Full: readable only. */
	ASSERT_EQ(0, mbox_send_str(fd, "b"));
	EXPECT_EQ(IN_BITS, revents(fd));
	/* A freed slot makes it writable again; draining ends readability. */
	ASSERT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(IN_BITS | OUT_BITS, revents(fd));
	ASSERT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(OUT_BITS, revents(fd));
	close(fd);
}

TEST_F(poll, rendezvous_nobody)
{
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, revents(fd));
	close(fd);
}

TEST_F(poll, rendezvous_blocked_receiver_makes_writable)
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
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL) == 2);
		CHILD_CHECK(!memcmp(buf, "rv", 2));
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	EXPECT_EQ(OUT_BITS, revents(fd));
	/* The promise holds: a non-blocking send succeeds now. */
	EXPECT_EQ(0, mbox_send(fd, "rv", 2, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(0, revents(fd));
	close(fd);
}

TEST_F(poll, rendezvous_blocked_sender_makes_readable)
{
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork_sender(fd, "offer", 5);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	EXPECT_EQ(IN_BITS, revents(fd));
	EXPECT_EQ(5, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(0, memcmp(buf, "offer", 5));
	EXPECT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(0, revents(fd));
	close(fd);
}

TEST_F(poll, shutdown_per_access_mode)
{
	const char *name = mbox_new_name("pshut");
	struct pollfd p = { .events = 0 };
	int fd, rfd, wfd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	rfd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, rfd);
	wfd = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, mbox_unlink(self->dev, name));

	EXPECT_EQ(0, revents(rfd));
	EXPECT_EQ(OUT_BITS, revents(wfd));
	ASSERT_EQ(0, mbox_shutdown(wfd));

	EXPECT_EQ(POLLHUP | IN_BITS, revents(rfd));
	EXPECT_EQ(POLLHUP | POLLERR | OUT_BITS, revents(wfd));
	EXPECT_EQ(POLLHUP | POLLERR | IN_BITS | OUT_BITS, revents(fd));
	/* EPOLLHUP and EPOLLERR come even when not asked for. */
	p.fd = wfd;
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLHUP | POLLERR, p.revents);
	close(rfd);
	close(wfd);
	close(fd);
}

TEST_F(poll, shutdown_rendezvous)
{
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(POLLHUP | POLLERR | IN_BITS | OUT_BITS, revents(fd));
	close(fd);
}

TEST_F(poll, access_mode_limits_events)
{
	const char *name = mbox_new_name("pacc");
	char buf[8];
	int fd, rfd, wfd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	rfd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, rfd);
	wfd = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, mbox_unlink(self->dev, name));

	/* Empty: a send would not wait, but the read-only fd cannot send. */
	EXPECT_EQ(0, revents(rfd));
	EXPECT_EQ(OUT_BITS, revents(wfd));
	/* Full: a receive would not wait, but the write-only fd cannot. */
	ASSERT_EQ(0, mbox_send_str(wfd, "x"));
	EXPECT_EQ(IN_BITS, revents(rfd));
	EXPECT_EQ(0, revents(wfd));
	EXPECT_EQ(IN_BITS, revents(fd));
	ASSERT_EQ(1, mbox_recv(rfd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, revents(rfd));
	EXPECT_EQ(OUT_BITS, revents(wfd));
	close(rfd);
	close(wfd);
	close(fd);
}

TEST_F(poll, poll_wakes_on_send)
{
	struct pollfd p;
	uint64_t start;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		/* The parent is asleep in poll() now. */
		CHILD_CHECK(mbox_wait_sleeping(getppid()) == 0);
		CHILD_CHECK(mbox_send_str(fd, "wake") == 0);
		_exit(0);
	}
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
	start = now_ns();
	EXPECT_EQ(1, poll(&p, 1, 10000));
	EXPECT_EQ(POLLIN, p.revents);
	EXPECT_GT(start + MS(10000), now_ns());
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(poll, poll_wakes_on_freed_slot)
{
	struct pollfd p;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "full"));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		CHILD_CHECK(mbox_wait_sleeping(getppid()) == 0);
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL) == 4);
		_exit(0);
	}
	p.fd = fd;
	p.events = POLLOUT;
	p.revents = 0;
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
	EXPECT_EQ(1, poll(&p, 1, 10000));
	EXPECT_EQ(POLLOUT, p.revents);
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(poll, poll_wakes_on_shutdown)
{
	struct pollfd p;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		CHILD_CHECK(mbox_wait_sleeping(getppid()) == 0);
		CHILD_CHECK(mbox_shutdown(fd) == 0);
		_exit(0);
	}
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
	EXPECT_EQ(1, poll(&p, 1, 10000));
	EXPECT_EQ(POLLIN | POLLHUP | POLLERR, p.revents);
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(poll, poll_times_out)
{
	struct pollfd p;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	EXPECT_EQ(0, poll(&p, 1, 20));
	EXPECT_EQ(0, p.revents);
	close(fd);
}

TEST_F(poll, select_reports_and_wakes)
{
	struct timeval tv;
	fd_set rd, wr;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_GT(FD_SETSIZE, fd);

	/* Empty: writable only. */
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	EXPECT_EQ(1, select(fd + 1, &rd, &wr, NULL, &tv));
	EXPECT_FALSE(FD_ISSET(fd, &rd));
	EXPECT_TRUE(FD_ISSET(fd, &wr));

	/* A blocking select for reading wakes when a child sends. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		CHILD_CHECK(mbox_wait_sleeping(getppid()) == 0);
		CHILD_CHECK(mbox_send_str(fd, "s") == 0);
		_exit(0);
	}
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	tv.tv_sec = 10;
	tv.tv_usec = 0;
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
	EXPECT_EQ(1, select(fd + 1, &rd, NULL, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(fd, &rd));
	EXPECT_EQ(0, mbox_reap(pid));

	/* Full now: readable, not writable. */
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	EXPECT_EQ(1, select(fd + 1, &rd, &wr, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(fd, &rd));
	EXPECT_FALSE(FD_ISSET(fd, &wr));
	close(fd);
}

#define NR_MANY 32

TEST_F(poll, epoll_many_mailboxes)
{
	struct epoll_event ev, evs[NR_MANY * 2];
	int fds[NR_MANY], seen[NR_MANY];
	int ep, i, n, want = 0;
	char buf[8];

	MBOX_SKIP_GUARD();
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	for (i = 0; i < NR_MANY; i++) {
		fds[i] = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600,
				     i % 2 ? 0 : 2, 8);
		ASSERT_LE(0, fds[i]);
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev));
	}
	EXPECT_EQ(0, epoll_wait(ep, evs, NR_MANY * 2, 0));

	/* Messages in every third bounded mailbox. */
	for (i = 0; i < NR_MANY; i += 2) {
		if (i % 3)
			continue;
		ASSERT_EQ(0, mbox_send(fds[i], &i, 1, 0, 0));
		want++;
	}
	memset(seen, 0, sizeof(seen));
	n = epoll_wait(ep, evs, NR_MANY * 2, 0);
	EXPECT_EQ(want, n);
	for (i = 0; i < n; i++) {
		ASSERT_GT((uint32_t)NR_MANY, evs[i].data.u32);
		EXPECT_EQ((uint32_t)EPOLLIN, evs[i].events);
		seen[evs[i].data.u32]++;
	}
	for (i = 0; i < NR_MANY; i++)
		EXPECT_EQ(i % 2 == 0 && i % 3 == 0 ? 1 : 0, seen[i]) {
			TH_LOG("mailbox %d reported %d times", i, seen[i]);
		}

	/* One event loop pass: receive what each ready mailbox has. */
	for (i = 0; i < n; i++) {
		int k = evs[i].data.u32;

		EXPECT_EQ(1, mbox_recv(fds[k], buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
		EXPECT_EQ((char)k, buf[0]);
	}
	EXPECT_EQ(0, epoll_wait(ep, evs, NR_MANY * 2, 0));
	for (i = 0; i < NR_MANY; i++)
		close(fds[i]);
	close(ep);
}

/* epoll_wait() with one fd: the events, 0 for none, or -errno. */
static int ep_wait1(int ep, int timeout_ms)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, timeout_ms);

	if (n < 0)
		return -errno;
	return n ? (int)ev.events : 0;
}

TEST_F(poll, epoll_et_every_new_message)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	struct mboxio_stat st;
	int fd, ep;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 8);
	ASSERT_LE(0, fd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	EXPECT_EQ(0, ep_wait1(ep, 0));

	ASSERT_EQ(0, mbox_send_str(fd, "1"));
	EXPECT_EQ(EPOLLIN, ep_wait1(ep, 0));
	/* The edge is consumed. */
	EXPECT_EQ(0, ep_wait1(ep, 0));
	/* A second message without a receive in between: a new edge. */
	ASSERT_EQ(0, mbox_send_str(fd, "2"));
	EXPECT_EQ(EPOLLIN, ep_wait1(ep, 0));
	EXPECT_EQ(0, ep_wait1(ep, 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	close(ep);
	close(fd);
}

TEST_F(poll, epoll_et_wakes_blocked_waiter_each_time)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int fd, ep, round;
	pid_t pid;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 8);
	ASSERT_LE(0, fd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (round = 0; round < 3; round++) {
			CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
			CHILD_CHECK(mbox_wait_sleeping(getppid()) == 0);
			CHILD_CHECK(mbox_send(fd, "m", 1, 0, 0) == 0);
		}
		_exit(0);
	}
	/* Nothing is ever received: each send alone must wake the waiter. */
	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
		EXPECT_EQ(EPOLLIN, ep_wait1(ep, 10000)) {
			TH_LOG("round %d", round);
		}
	}
	EXPECT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(0, ep_wait1(ep, 0));
	close(ep);
	close(fd);
}

TEST_F(poll, epoll_et_every_freed_slot)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
	char buf[8];
	int fd, ep;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 3, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "1"));
	ASSERT_EQ(0, mbox_send_str(fd, "2"));
	ASSERT_EQ(0, mbox_send_str(fd, "3"));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	/* Full: not writable. */
	EXPECT_EQ(0, ep_wait1(ep, 0));

	ASSERT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(EPOLLOUT, ep_wait1(ep, 0));
	EXPECT_EQ(0, ep_wait1(ep, 0));
	/* Still writable, but a second freed slot is a new edge. */
	ASSERT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(EPOLLOUT, ep_wait1(ep, 0));
	EXPECT_EQ(0, ep_wait1(ep, 0));
	close(ep);
	close(fd);
}

TEST_F(poll, epoll_rendezvous_receiver_and_sender)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	char buf[8];
	int fd, ep;
	pid_t pid;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	EXPECT_EQ(0, ep_wait1(ep, 0));

	/* A receiver arriving while we wait makes the fd writable. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		CHILD_CHECK(mbox_wait_sleeping(getppid()) == 0);
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL) == 1);
		_exit(0);
	}
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
	EXPECT_EQ(EPOLLOUT, ep_wait1(ep, 10000));
	EXPECT_EQ(0, mbox_send(fd, "r", 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0, mbox_reap(pid));

	/* A sender arriving while we wait makes it readable. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		CHILD_CHECK(mbox_wait_sleeping(getppid()) == 0);
		CHILD_CHECK(mbox_send(fd, "s", 1, 0, 0) == 0);
		_exit(0);
	}
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
	EXPECT_EQ(EPOLLIN, ep_wait1(ep, 10000));
	EXPECT_EQ(1, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(0, ep_wait1(ep, 0));
	close(ep);
	close(fd);
}

TEST_HARNESS_MAIN
