// SPDX-License-Identifier: GPL-2.0
/*
 * Races between a receiver's claim and its finish, forced rather than
 * hoped for: a receive into a userfaultfd-held buffer (mbox_hold.h) is
 * parked inside its copy-out with the message claimed, and the test then
 * runs senders, other receivers, shutdown, signals and deadlines against
 * that exact state before it lets the copy succeed or fault.
 *
 * What must hold (Documentation/semantics.rst):
 *  - a rendezvous send completes when a receiver claims its message; the
 *    sender never waits for the receiver's copy-out, so its deadline,
 *    MBOX_MSG_DONTWAIT and signals rule its wait alone;
 *  - a message whose copy-out faults goes back where it was in line, with
 *    its number, and is received exactly once later; nothing is lost or
 *    delivered twice, and a sender told 0 has delivered its message;
 *  - a bounded mailbox never holds more than its capacity: a claimed
 *    message keeps its slot until it is gone;
 *  - after shutdown no receiver is told the mailbox is drained (EPIPE,
 *    read() == 0, EPOLLIN) while a claimed message could still come back.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/epoll.h>

#include "mbox_hold.h"
#include "../kselftest_harness.h"

FIXTURE(race) {
	MBOX_ENV_FIELDS;
	struct mbox_hold h1, h2;
};

FIXTURE_SETUP(race)
{
	int err;

	self->h1.uffd = self->h2.uffd = -1;
	self->h1.addr = self->h2.addr = NULL;
	MBOX_ENV_SETUP();
	err = hold_setup(&self->h1, 4096);
	if (err)
		SKIP(return, "no userfaultfd (%d): cannot hold a copy-out", err);
	ASSERT_EQ(0, hold_setup(&self->h2, 4096));
}

FIXTURE_TEARDOWN(race)
{
	hold_cleanup(&self->h1);
	hold_cleanup(&self->h2);
	MBOX_ENV_TEARDOWN();
}

/*
 * Whether a receive would not wait, as poll() says. POLLHUP comes with
 * shutdown whether asked for or not, so only POLLIN counts here.
 */
static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* Receive what is there right now: length, and the payload in @buf. */
static int recv_now(int fd, char *buf, size_t size, struct mboxio_recv *r)
{
	return mbox_recv(fd, buf, size, MBOX_MSG_DONTWAIT, 0, r);
}

/*
 * A rendezvous sender blocked offering; a receiver claims its message and
 * is held in the copy-out. The send has completed: it does not wait for
 * the copy. The copy then faults: the message is the next receiver's, once.
 */
TEST_F(race, rendezvous_send_done_at_claim)
{
	struct mbox_bg_send s;
	struct mbox_bg_recv r1;
	struct mboxio_recv r;
	struct mboxio_stat st;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bg_send_start(&s, fd, "offer", 5, 0, 0));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));

	/* Claimed, being copied: the sender is done, with success. */
	ASSERT_TRUE(bg_wait_done(&s.done, 5000));
	pthread_join(s.thread, NULL);
	EXPECT_EQ(0, s.ret);
	EXPECT_FALSE(r1.done);

	ASSERT_EQ(0, hold_fail(&self->h1));
	pthread_join(r1.thread, NULL);
	EXPECT_EQ(-EFAULT, r1.ret);

	/*
	 * Back in the mailbox, ahead of any offer, exactly once; its sender
	 * is not offering it again (it returned long ago).
	 */
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(0U, st.received);
	EXPECT_EQ(5, recv_now(fd, buf, sizeof(buf), &r));
	EXPECT_EQ(0, memcmp(buf, "offer", 5));
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(-EAGAIN, recv_now(fd, buf, sizeof(buf), NULL));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(1U, st.received);
	close(fd);
}

/*
 * A receiver waits; a DONTWAIT send hands it the message; the receiver's
 * copy is held. The sender returns at once, whatever the receiver does.
 * A deadline sender likewise, well before its deadline.
 */
TEST_F(race, rendezvous_sender_never_waits_for_copy)
{
	struct mbox_bg_recv r1, r2;
	struct mbox_bg_send s;
	struct mboxio_recv r;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(0, bg_send_start(&s, fd, "now", 3, MBOX_MSG_DONTWAIT, 0));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));
	ASSERT_TRUE(bg_wait_done(&s.done, 2000));
	pthread_join(s.thread, NULL);
	EXPECT_EQ(0, s.ret);

	/* Again with a deadline, held by the second receiver. */
	ASSERT_EQ(0, bg_recv_start(&r2, fd, self->h2.addr, 16));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(0, bg_send_start(&s, fd, "soon", 4, MBOX_MSG_DEADLINE,
				   now_ns() + MS(60000)));
	ASSERT_EQ(0, hold_wait(&self->h2, 5000));
	ASSERT_TRUE(bg_wait_done(&s.done, 2000));
	pthread_join(s.thread, NULL);
	EXPECT_EQ(0, s.ret);

	/* One copy succeeds, the other faults: both messages arrive once. */
	ASSERT_EQ(0, hold_release(&self->h1));
	pthread_join(r1.thread, NULL);
	EXPECT_EQ(3, r1.ret);
	EXPECT_EQ(0, memcmp(self->h1.addr, "now", 3));
	ASSERT_EQ(0, hold_fail(&self->h2));
	pthread_join(r2.thread, NULL);
	EXPECT_EQ(-EFAULT, r2.ret);
	EXPECT_EQ(4, recv_now(fd, buf, sizeof(buf), &r));
	EXPECT_EQ(0, memcmp(buf, "soon", 4));
	EXPECT_EQ(2U, r.seq);
	EXPECT_EQ(-EAGAIN, recv_now(fd, buf, sizeof(buf), NULL));
	close(fd);
}

/*
 * Two receivers hold the first two messages; they fault in either order.
 * The messages go back in their order, with their numbers.
 */
static void two_faults(struct __test_metadata *_metadata,
		       FIXTURE_DATA(race) *self, int fd, int first_fails_first)
{
	struct mbox_bg_recv r1, r2;
	struct mboxio_recv r;
	char buf[16];

	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));
	ASSERT_EQ(0, bg_recv_start(&r2, fd, self->h2.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h2, 5000));
	if (first_fails_first) {
		ASSERT_EQ(0, hold_fail(&self->h1));
		pthread_join(r1.thread, NULL);
		ASSERT_EQ(0, hold_fail(&self->h2));
		pthread_join(r2.thread, NULL);
	} else {
		ASSERT_EQ(0, hold_fail(&self->h2));
		pthread_join(r2.thread, NULL);
		ASSERT_EQ(0, hold_fail(&self->h1));
		pthread_join(r1.thread, NULL);
	}
	EXPECT_EQ(-EFAULT, r1.ret);
	EXPECT_EQ(-EFAULT, r2.ret);

	EXPECT_EQ(1, recv_now(fd, buf, sizeof(buf), &r));
	EXPECT_EQ('A', buf[0]);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(1, recv_now(fd, buf, sizeof(buf), &r));
	EXPECT_EQ('B', buf[0]);
	EXPECT_EQ(2U, r.seq);
	EXPECT_EQ(1, recv_now(fd, buf, sizeof(buf), &r));
	EXPECT_EQ('C', buf[0]);
	EXPECT_EQ(3U, r.seq);
}

/* Both orders of faults, each on a mailbox holding A, B, C. */
TEST_F(race, bounded_fifo_after_two_faults)
{
	int order, fd;

	MBOX_SKIP_GUARD();
	for (order = 1; order >= 0; order--) {
		fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, mbox_send(fd, "A", 1, 0, 0));
		ASSERT_EQ(0, mbox_send(fd, "B", 1, 0, 0));
		ASSERT_EQ(0, mbox_send(fd, "C", 1, 0, 0));
		if (order == 0) {	/* the first pass used up the holds */
			ASSERT_EQ(0, hold_setup(&self->h1, 4096));
			ASSERT_EQ(0, hold_setup(&self->h2, 4096));
		}
		two_faults(_metadata, self, fd, order);
		close(fd);
	}
}

/*
 * The same on a rendezvous mailbox: three senders offer A, B, C. (The
 * first to fault is the receiver of A: a put-back to the head of the line
 * would get that order wrong; the reverse order would come out right by
 * accident.)
 */
TEST_F(race, rendezvous_fifo_after_two_faults)
{
	struct mbox_bg_send s[3];
	const char *p[3] = { "A", "B", "C" };
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, bg_send_start(&s[i], fd, p[i], 1, 0, 0));
		ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders),
					    i + 1));
	}
	two_faults(_metadata, self, fd, 1);
	for (i = 0; i < 3; i++) {
		pthread_join(s[i].thread, NULL);
		EXPECT_EQ(0, s[i].ret);
	}
	close(fd);
}

/*
 * A claimed message keeps its slot: a full bounded mailbox stays full
 * while its one message is being copied, and one that faults comes back
 * without ever exceeding the capacity.
 */
TEST_F(race, bounded_claim_keeps_its_slot)
{
	struct mbox_bg_recv r1;
	struct mbox_bg_send s;
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "first", 5, 0, 0));
	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));

	EXPECT_EQ(-EAGAIN, mbox_send(fd, "x", 1, MBOX_MSG_DONTWAIT, 0));
	ASSERT_EQ(0, bg_send_start(&s, fd, "second", 6, 0, 0));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));

	ASSERT_EQ(0, hold_fail(&self->h1));
	pthread_join(r1.thread, NULL);
	EXPECT_EQ(-EFAULT, r1.ret);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1U, st.waiting_senders);
	EXPECT_FALSE(s.done);

	EXPECT_EQ(5, recv_now(fd, buf, sizeof(buf), &r));
	EXPECT_EQ(0, memcmp(buf, "first", 5));
	EXPECT_EQ(1U, r.seq);
	pthread_join(s.thread, NULL);
	EXPECT_EQ(0, s.ret);
	EXPECT_EQ(6, recv_now(fd, buf, sizeof(buf), &r));
	EXPECT_EQ(0, memcmp(buf, "second", 6));
	EXPECT_EQ(2U, r.seq);
	close(fd);
}

/* A held receiver stalls nobody else: other messages flow past it. */
TEST_F(race, held_receiver_blocks_no_one)
{
	struct mbox_bg_recv r1;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "one", 3, 0, 0));
	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));
	ASSERT_EQ(0, mbox_send(fd, "two", 3, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(3, recv_now(fd, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	ASSERT_EQ(0, hold_release(&self->h1));
	pthread_join(r1.thread, NULL);
	EXPECT_EQ(3, r1.ret);
	EXPECT_EQ(0, memcmp(self->h1.addr, "one", 3));
	close(fd);
}

/*
 * Shutdown while the last message is out with a receiver: nobody is told
 * the mailbox is drained until that receiver is done. Its copy faults, so
 * the message comes back, and a waiting receiver gets it.
 */
static void drain_waits_for_claim(struct __test_metadata *_metadata,
				  FIXTURE_DATA(race) *self, uint32_t capacity)
{
	struct mbox_bg_recv r1, r2;
	struct mbox_bg_send s;
	char buf[16];
	int fd;

	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, capacity, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bg_send_start(&s, fd, "last", 4, 0, 0));
	if (!capacity)
		ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));
	pthread_join(s.thread, NULL);
	EXPECT_EQ(0, s.ret);
	ASSERT_EQ(0, mbox_shutdown(fd));

	/* Not drained yet: would wait, not EPIPE; not readable; read waits. */
	EXPECT_EQ(-EAGAIN, recv_now(fd, buf, sizeof(buf), NULL));
	EXPECT_FALSE(readable(fd));
	ASSERT_EQ(0, bg_recv_start(&r2, fd, buf, sizeof(buf)));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	EXPECT_FALSE(r2.done);

	ASSERT_EQ(0, hold_fail(&self->h1));
	pthread_join(r1.thread, NULL);
	EXPECT_EQ(-EFAULT, r1.ret);
	pthread_join(r2.thread, NULL);
	EXPECT_EQ(4, r2.ret);
	EXPECT_EQ(0, memcmp(buf, "last", 4));
	EXPECT_EQ(1U, r2.out.seq);

	/* Now it is drained. */
	EXPECT_EQ(-EPIPE, recv_now(fd, buf, sizeof(buf), NULL));
	EXPECT_TRUE(readable(fd));
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	close(fd);
}

TEST_F(race, bounded_drain_waits_for_claim)
{
	MBOX_SKIP_GUARD();
	drain_waits_for_claim(_metadata, self, 2);
}

TEST_F(race, rendezvous_drain_waits_for_claim)
{
	MBOX_SKIP_GUARD();
	drain_waits_for_claim(_metadata, self, 0);
}

/*
 * The end of a drain wakes whoever waits for it: a receiver blocked after
 * shutdown gets EPIPE, and the mailbox polls readable, once the held copy
 * succeeds.
 */
TEST_F(race, drain_ends_when_claim_succeeds)
{
	struct mbox_bg_recv r1, r2;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(0, mbox_send(fd, "x", 1, 0, 0));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_FALSE(readable(fd));
	ASSERT_EQ(0, bg_recv_start(&r2, fd, buf, sizeof(buf)));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));

	ASSERT_EQ(0, hold_release(&self->h1));
	pthread_join(r1.thread, NULL);
	EXPECT_EQ(1, r1.ret);
	pthread_join(r2.thread, NULL);
	EXPECT_EQ(-EPIPE, r2.ret);
	EXPECT_TRUE(readable(fd));
	close(fd);
}

/*
 * A freed slot wakes a blocked sender and an EPOLLOUT poller when the held
 * copy succeeds, without another receive.
 */
TEST_F(race, claim_done_frees_slot)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
	struct mbox_bg_recv r1;
	struct mbox_bg_send s;
	char buf[16];
	int fd, ep;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "a", 1, 0, 0));
	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	ASSERT_EQ(0, hold_release(&self->h1));
	pthread_join(r1.thread, NULL);
	EXPECT_EQ(1, r1.ret);
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 5000));

	/* Full again, held again: a blocked sender is admitted at the finish. */
	ASSERT_EQ(0, mbox_send(fd, "b", 1, 0, 0));
	hold_cleanup(&self->h1);
	ASSERT_EQ(0, hold_setup(&self->h1, 4096));
	ASSERT_EQ(0, bg_recv_start(&r1, fd, self->h1.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h1, 5000));
	ASSERT_EQ(0, bg_send_start(&s, fd, "c", 1, 0, 0));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(0, hold_release(&self->h1));
	pthread_join(r1.thread, NULL);
	EXPECT_EQ(1, r1.ret);
	pthread_join(s.thread, NULL);
	EXPECT_EQ(0, s.ret);
	EXPECT_EQ(1, recv_now(fd, buf, sizeof(buf), NULL));
	EXPECT_EQ('c', buf[0]);
	close(ep);
	close(fd);
}

/*
 * The receiver's process is killed while it holds a claimed message: the
 * message comes back and is received exactly once. (The child makes its
 * own hold: a userfaultfd registration does not survive fork().)
 */
TEST_F(race, receiver_killed_while_copying)
{
	struct mboxio_recv r;
	char buf[16];
	int fd, sv[2];
	pid_t pid;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sync_pair(sv));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mbox_bg_recv rc;
		struct mbox_hold h;

		CHILD_CHECK(hold_setup(&h, 4096) == 0);
		CHILD_CHECK(bg_recv_start(&rc, fd, h.addr, 16) == 0);
		CHILD_CHECK(hold_wait(&h, 10000) == 0);
		sync_post(sv[1], 'h');
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(0, mbox_send(fd, "kill", 4, 0, 0));
	ASSERT_EQ('h', sync_wait(sv[0]));
	kill(pid, SIGKILL);
	EXPECT_EQ(1000 + SIGKILL, mbox_reap(pid));
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
			       now_ns() + MS(5000), &r));
	EXPECT_EQ(0, memcmp(buf, "kill", 4));
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(-EAGAIN, recv_now(fd, buf, sizeof(buf), NULL));
	close(sv[0]);
	close(sv[1]);
	close(fd);
}

/*
 * The reproducer of the use-after-free, bounded in time: one thread sends
 * numbered messages to a rendezvous mailbox, one receives into a PROT_NONE
 * page (every claim faults and puts the message back), one receives
 * normally. Every send that returned 0 is received exactly once, and no
 * send fails on a mailbox nobody shut down.
 */
struct repro {
	int fd;
	volatile int stop;
	unsigned int sent, send_err;
	unsigned char *seen;
	unsigned int nr, dup;
	void *bad;
};

#define REPRO_MAX 200000

static void *repro_send(void *p)
{
	struct repro *x = p;
	unsigned int i;

	for (i = 0; i < REPRO_MAX && !x->stop; i++) {
		int ret = mbox_send(x->fd, &i, sizeof(i), MBOX_MSG_DEADLINE,
				    now_ns() + MS(50));

		if (ret == 0)
			x->sent++;
		else if (ret != -ETIMEDOUT)
			x->send_err++;
	}
	x->stop = 1;
	return NULL;
}

static void *repro_fault(void *p)
{
	struct repro *x = p;

	while (!x->stop)
		mbox_recv(x->fd, x->bad, 64, MBOX_MSG_DEADLINE,
			  now_ns() + MS(20), NULL);
	return NULL;
}

static void *repro_recv(void *p)
{
	struct repro *x = p;
	unsigned int v;

	for (;;) {
		int ret = mbox_recv(x->fd, &v, sizeof(v), MBOX_MSG_DEADLINE,
				    now_ns() + MS(200), NULL);

		if (ret == sizeof(v) && v < REPRO_MAX) {
			if (x->seen[v])
				x->dup++;
			x->seen[v] = 1;
			x->nr++;
		} else if (ret == -ETIMEDOUT && x->stop) {
			break;
		}
	}
	return NULL;
}

/* As long as the stress suite runs (MBOX_STRESS_SECONDS), at most 30 s. */
TEST_F_TIMEOUT(race, rendezvous_fault_storm, 60)
{
	double secs = mbox_run_seconds(0, NULL, "MBOX_STRESS_SECONDS", 2);
	pthread_t t[3];
	struct repro x = { 0 };
	uint64_t end;

	MBOX_SKIP_GUARD();
	if (secs > 30)
		secs = 30;
	x.fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 64);
	ASSERT_LE(0, x.fd);
	x.seen = calloc(REPRO_MAX, 1);
	ASSERT_NE(NULL, x.seen);
	x.bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, x.bad);
	ASSERT_EQ(0, pthread_create(&t[0], NULL, repro_fault, &x));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, repro_recv, &x));
	ASSERT_EQ(0, pthread_create(&t[2], NULL, repro_send, &x));
	end = now_ns() + (uint64_t)(secs * 1e9);
	while (!x.stop && now_ns() < end)
		usleep(10000);
	x.stop = 1;
	pthread_join(t[2], NULL);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	/* A message put back by the last fault is still there: take it. */
	for (;;) {
		unsigned int v;

		if (mbox_recv(x.fd, &v, sizeof(v), MBOX_MSG_DONTWAIT, 0,
			      NULL) != sizeof(v))
			break;
		if (v < REPRO_MAX && x.seen[v])
			x.dup++;
		else if (v < REPRO_MAX)
			x.seen[v] = 1;
		x.nr++;
	}
	ksft_print_msg("fault storm: %u sent, %u received\n", x.sent, x.nr);
	EXPECT_EQ(0U, x.send_err);
	EXPECT_EQ(0U, x.dup);
	EXPECT_EQ(x.sent, x.nr);
	munmap(x.bad, 4096);
	free(x.seen);
	close(x.fd);
}

TEST_HARNESS_MAIN
