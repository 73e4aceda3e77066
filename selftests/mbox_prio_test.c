// SPDX-License-Identifier: GPL-2.0
/*
 * Message priorities and CLOCK_REALTIME deadlines (MBOX_FEATURE_PRIORITY).
 *
 * What must hold (Documentation/semantics.rst, "Priorities"):
 *  - a receive takes the highest priority first, the oldest within one;
 *    delivery numbers follow the order messages leave;
 *  - a rendezvous mailbox's waiting senders are received in that order,
 *    and senders blocked on a full bounded mailbox are admitted in it;
 *  - a message put back after a faulting copy-out goes back to its place,
 *    also when messages of other priorities came meanwhile;
 *  - a message handed to a receiver that was already waiting is not
 *    overtaken by one sent later;
 *  - priorities are 0..MBOX_PRIO_MAX - 1 everywhere a message is sent;
 *    write(2) sends at 0;
 *  - a MBOX_MSG_REALTIME deadline is CLOCK_REALTIME and follows the clock
 *    when it is set.
 * Blocked senders are lined up one at a time (waiting_senders), so their
 * arrival order is known, not hoped for.
 */
#define _GNU_SOURCE
#include <time.h>

#include "mbox_hold.h"
#include "../kselftest_harness.h"

FIXTURE(prio) {
	MBOX_ENV_FIELDS;
	struct mbox_hold h;
};

FIXTURE_SETUP(prio)
{
	self->h.uffd = -1;
	self->h.addr = NULL;
	MBOX_ENV_SETUP();
}

FIXTURE_TEARDOWN(prio)
{
	hold_cleanup(&self->h);
	MBOX_ENV_TEARDOWN();
}

/* Receive what is there now; its payload as a string, its priority. */
static int take(int fd, char *buf, size_t size, struct mboxio_recv *r)
{
	int n = mbox_recv(fd, buf, size - 1, MBOX_MSG_DONTWAIT, 0, r);

	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

/* A sender at a priority on a thread of its own. */
struct prio_sender {
	pthread_t thread;
	int fd;
	const char *msg;
	uint32_t prio;
	volatile int ret;
	volatile int done;
};

static void *prio_sender_fn(void *p)
{
	struct prio_sender *s = p;

	s->ret = mbox_send_prio(s->fd, s->msg, strlen(s->msg), s->prio, 0, 0);
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Start @s and wait until it is the @nth blocked sender. */
static int line_up(struct prio_sender *s, int fd, const char *msg,
		   uint32_t prio, uint32_t nth)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->msg = msg;
	s->prio = prio;
	s->ret = -1;
	if (pthread_create(&s->thread, NULL, prio_sender_fn, s))
		return -1;
	return mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), nth);
}

TEST_F(prio, order_and_numbers)
{
	static const struct { const char *m; uint32_t p; } in[] = {
		{ "a0", 0 }, { "b5", 5 }, { "c3", 3 }, { "d5", 5 },
		{ "e0", 0 }, { "top", MBOX_PRIO_MAX - 1 },
	};
	static const char *const out[] = { "top", "b5", "d5", "c3", "a0", "e0" };
	struct mboxio_recv r;
	char buf[16];
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 16);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		ASSERT_EQ(0, mbox_send_prio(fd, in[i].m, strlen(in[i].m),
					    in[i].p, 0, 0));
	for (i = 0; i < ARRAY_SIZE(out); i++) {
		ASSERT_LE(0, take(fd, buf, sizeof(buf), &r));
		EXPECT_STREQ(out[i], buf);
		EXPECT_EQ(i + 1, r.seq);
		EXPECT_EQ(buf[0] == 't' ? MBOX_PRIO_MAX - 1 :
			  (uint32_t)(buf[1] - '0'), r.priority);
		EXPECT_EQ(1U, r.deliveries);
	}
	EXPECT_EQ(-EAGAIN, take(fd, buf, sizeof(buf), &r));
	close(fd);
}

/* Every way to send checks the priority; nothing is sent with a bad one. */
TEST_F(prio, bad_priority)
{
	struct mboxio_sendmsg v = { .buf = (uintptr_t)"x", .len = 1 };
	struct mboxio_batch b = { .vec = (uintptr_t)&v, .count = 1 };
	struct mboxio_send s = { .buf = (uintptr_t)"x", .len = 1 };
	struct mboxio_call c = { .buf = (uintptr_t)"x", .len = 1 };
	struct mboxio_stat st;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 16);
	ASSERT_LE(0, fd);
	s.priority = MBOX_PRIO_MAX;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_SEND, &s));
	s.priority = UINT32_MAX;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_SEND, &s));
	s.priority = 1;
	s.__pad = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_SEND, &s));
	v.priority = MBOX_PRIO_MAX;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_SENDV, &b));
	c.priority = MBOX_PRIO_MAX;
	c.flags = MBOX_MSG_DONTWAIT;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_CALL, &c));
	c.priority = 0;
	c.__pad2 = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_CALL, &c));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0U, st.queued);
	close(fd);
}

/* write(2) sends at priority 0, behind anything higher. */
TEST_F(prio, write_is_priority_zero)
{
	struct mboxio_recv r;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, write(fd, "plain", 5));
	ASSERT_EQ(0, mbox_send_prio(fd, "one", 3, 1, 0, 0));
	ASSERT_EQ(3, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("one", buf);
	EXPECT_EQ(1U, r.priority);
	ASSERT_EQ(5, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("plain", buf);
	EXPECT_EQ(0U, r.priority);
	close(fd);
}

/* A rendezvous mailbox offers its blocked senders by priority, then age. */
TEST_F(prio, rendezvous_offers)
{
	static const struct { const char *m; uint32_t p; } in[] = {
		{ "a1", 1 }, { "b7", 7 }, { "c1", 1 }, { "d7", 7 }, { "e4", 4 },
	};
	static const char *const out[] = { "b7", "d7", "e4", "a1", "c1" };
	struct prio_sender s[ARRAY_SIZE(in)];
	struct mboxio_recv r;
	char buf[16];
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		ASSERT_EQ(0, line_up(&s[i], fd, in[i].m, in[i].p, i + 1));
	for (i = 0; i < ARRAY_SIZE(out); i++) {
		ASSERT_LE(0, take(fd, buf, sizeof(buf), &r));
		EXPECT_STREQ(out[i], buf);
		EXPECT_EQ((uint32_t)(buf[1] - '0'), r.priority);
	}
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		pthread_join(s[i].thread, NULL);
		EXPECT_EQ(0, s[i].ret);
	}
	close(fd);
}

/*
 * Senders blocked on a full bounded mailbox are admitted by priority, and
 * an admitted message takes its place among those queued already.
 */
TEST_F(prio, admission)
{
	static const char *const out[] = { "q0", "h9", "m5", "l2", "x2", "r0" };
	struct prio_sender s[4];
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[16];
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_prio(fd, "q0", 2, 0, 0, 0));
	ASSERT_EQ(0, mbox_send_prio(fd, "r0", 2, 0, 0, 0));
	ASSERT_EQ(0, line_up(&s[0], fd, "l2", 2, 1));
	ASSERT_EQ(0, line_up(&s[1], fd, "h9", 9, 2));
	ASSERT_EQ(0, line_up(&s[2], fd, "x2", 2, 3));
	ASSERT_EQ(0, line_up(&s[3], fd, "m5", 5, 4));
	/*
	 * Each receive frees a slot for the best blocked sender, admitted
	 * before the receive returns: q0 makes room for h9, which then comes
	 * before r0; and so on.
	 */
	for (i = 0; i < ARRAY_SIZE(out); i++) {
		ASSERT_EQ(2, take(fd, buf, sizeof(buf), &r));
		EXPECT_STREQ(out[i], buf);
		ASSERT_EQ(0, mbox_stat(fd, &st));
		EXPECT_EQ(i < 4 ? 3 - i : 0, st.waiting_senders);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(s[i].thread, NULL);
		EXPECT_EQ(0, s[i].ret);
	}
	close(fd);
}

/*
 * A receiver already waiting gets the first message sent, even when a
 * higher one follows at once: it was handed over before the second came.
 */
TEST_F(prio, waiting_receiver_not_overtaken)
{
	struct mbox_bg_recv rcv;
	struct mboxio_recv r;
	char got[16] = "", buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bg_recv_start(&rcv, fd, got, sizeof(got) - 1));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(0, mbox_send_prio(fd, "low", 3, 0, 0, 0));
	ASSERT_EQ(0, mbox_send_prio(fd, "high", 4, 100, 0, 0));
	pthread_join(rcv.thread, NULL);
	EXPECT_EQ(3, rcv.ret);
	EXPECT_STREQ("low", got);
	EXPECT_EQ(0U, rcv.out.priority);
	EXPECT_EQ(1U, rcv.out.seq);
	ASSERT_EQ(4, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("high", buf);
	EXPECT_EQ(2U, r.seq);
	close(fd);
}

/*
 * A receiver claims the best message and is held in its copy-out; a
 * higher and an equal priority arrive; the copy faults. The message goes
 * back ahead of the equal one (it is older) and behind the higher one,
 * with its number given back, and nothing is lost or doubled.
 */
TEST_F(prio, put_back_keeps_place)
{
	static const char *const out[] = { "hi9", "mid5", "new5", "low1" };
	struct mbox_bg_recv rcv;
	struct mboxio_recv r;
	struct mboxio_stat st;
	char buf[16];
	unsigned int i;
	int fd, err;

	MBOX_SKIP_GUARD();
	err = hold_setup(&self->h, 4096);
	if (err)
		SKIP(return, "no userfaultfd (%d): cannot hold a copy-out", err);
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_prio(fd, "low1", 4, 1, 0, 0));
	ASSERT_EQ(0, mbox_send_prio(fd, "mid5", 4, 5, 0, 0));
	ASSERT_EQ(0, bg_recv_start(&rcv, fd, self->h.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h, 5000));
	ASSERT_EQ(0, mbox_send_prio(fd, "new5", 4, 5, 0, 0));
	ASSERT_EQ(0, mbox_send_prio(fd, "hi9", 3, 9, 0, 0));
	ASSERT_EQ(0, hold_fail(&self->h));
	pthread_join(rcv.thread, NULL);
	EXPECT_EQ(-EFAULT, rcv.ret);

	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(4U, st.queued);
	EXPECT_EQ(0U, st.received);
	for (i = 0; i < ARRAY_SIZE(out); i++) {
		ASSERT_LE(0, take(fd, buf, sizeof(buf), &r));
		EXPECT_STREQ(out[i], buf);
		EXPECT_EQ(i + 1, r.seq);
	}
	EXPECT_EQ(-EAGAIN, take(fd, buf, sizeof(buf), &r));
	close(fd);
}

/*
 * On a rendezvous mailbox a message put back waits in the queue; it is
 * taken in its turn with the offers: after a higher offer, before an
 * equal (younger) one.
 */
TEST_F(prio, rendezvous_put_back_among_offers)
{
	static const char *const out[] = { "hi8", "old3", "new3" };
	struct prio_sender s[3];
	struct mbox_bg_recv rcv;
	struct mboxio_recv r;
	char buf[16];
	unsigned int i;
	int fd, err;

	MBOX_SKIP_GUARD();
	err = hold_setup(&self->h, 4096);
	if (err)
		SKIP(return, "no userfaultfd (%d): cannot hold a copy-out", err);
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, line_up(&s[0], fd, "old3", 3, 1));
	ASSERT_EQ(0, bg_recv_start(&rcv, fd, self->h.addr, 16));
	ASSERT_EQ(0, hold_wait(&self->h, 5000));
	pthread_join(s[0].thread, NULL);
	EXPECT_EQ(0, s[0].ret);		/* claimed: its send is done */
	ASSERT_EQ(0, line_up(&s[1], fd, "new3", 3, 1));
	ASSERT_EQ(0, line_up(&s[2], fd, "hi8", 8, 2));
	ASSERT_EQ(0, hold_fail(&self->h));
	pthread_join(rcv.thread, NULL);
	EXPECT_EQ(-EFAULT, rcv.ret);
	for (i = 0; i < ARRAY_SIZE(out); i++) {
		ASSERT_LE(0, take(fd, buf, sizeof(buf), &r));
		EXPECT_STREQ(out[i], buf);
	}
	for (i = 1; i < 3; i++) {
		pthread_join(s[i].thread, NULL);
		EXPECT_EQ(0, s[i].ret);
	}
	close(fd);
}

/* Batches carry a priority per message and report each one. */
TEST_F(prio, batches)
{
	static const char *const in[] = { "a", "b", "c", "d" };
	static const uint32_t pr[] = { 2, 0, 2, 30000 };
	static const char *const out[] = { "d", "a", "c", "b" };
	struct mboxio_recvmsg_v2 rv[4];
	struct mboxio_batch b = {
		.vec = (uintptr_t)rv, .count = 4, .flags = MBOX_MSG_DONTWAIT,
		.elem_size = sizeof(rv[0]),
	};
	struct mboxio_sendmsg sv[4];
	char bufs[4][8];
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 8);
	ASSERT_LE(0, fd);
	for (i = 0; i < 4; i++) {
		sv[i].buf = (uintptr_t)in[i];
		sv[i].len = 1;
		sv[i].priority = pr[i];
	}
	ASSERT_EQ(4, mbox_sendv(fd, sv, 4, 0, 0));
	memset(rv, 0, sizeof(rv));
	memset(bufs, 0, sizeof(bufs));
	for (i = 0; i < 4; i++) {
		rv[i].msg.buf = (uintptr_t)bufs[i];
		rv[i].msg.size = sizeof(bufs[i]) - 1;
	}
	ASSERT_EQ(4, mbox_ioctl(fd, MBOXIO_RECVV, &b));
	for (i = 0; i < 4; i++) {
		EXPECT_STREQ(out[i], bufs[i]);
		EXPECT_EQ(i + 1, rv[i].msg.seq);
	}
	EXPECT_EQ(30000U, rv[0].msg.priority);
	EXPECT_EQ(2U, rv[1].msg.priority);
	EXPECT_EQ(2U, rv[2].msg.priority);
	EXPECT_EQ(0U, rv[3].msg.priority);
	close(fd);
}

/* A call's request takes its place by its priority. */
TEST_F(prio, call_request_priority)
{
	struct mboxio_reply rep = { .buf = (uintptr_t)"ok", .len = 2 };
	struct mboxio_recv r;
	char buf[16];
	pid_t pid;
	int fd, st;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_prio(fd, "plain", 5, 1, 0, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char reply[16];
		struct mboxio_call c = {
			.buf = (uintptr_t)"req", .len = 3,
			.reply_buf = (uintptr_t)reply, .reply_size = 16,
			.priority = 6,
		};

		_exit(mbox_ioctl(fd, MBOXIO_CALL, &c) == 2 ? 0 : 1);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(queued), 2));
	ASSERT_EQ(3, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("req", buf);
	EXPECT_EQ(6U, r.priority);
	ASSERT_NE(0U, r.reply_id);
	rep.reply_id = r.reply_id;
	EXPECT_EQ(0, mbox_ioctl(fd, MBOXIO_REPLY, &rep));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_EQ(5, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("plain", buf);
	close(fd);
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

TEST_F(prio, realtime_deadline)
{
	const uint32_t rt = MBOX_MSG_DEADLINE | MBOX_MSG_REALTIME;
	uint64_t t0;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	/* REALTIME only qualifies a deadline. */
	EXPECT_EQ(-EINVAL, mbox_recv(fd, buf, 8, MBOX_MSG_REALTIME, 0, NULL));
	EXPECT_EQ(-EINVAL, mbox_recv(fd, buf, 8, MBOX_MSG_REALTIME |
				     MBOX_MSG_DONTWAIT, 0, NULL));
	/*
	 * Passed already on the wall clock; taken as a monotonic time it
	 * would be decades away, and a 50 ms wall-clock deadline would be.
	 */
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, 8, rt, realtime_ns() - MS(1),
					NULL));
	t0 = now_ns();
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, 8, rt, realtime_ns() + MS(50),
					NULL));
	EXPECT_LE(MS(50), now_ns() - t0);
	ASSERT_EQ(0, mbox_send(fd, "x", 1, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "y", 1, rt, realtime_ns() - 1));
	EXPECT_EQ(1, mbox_recv(fd, buf, 8, rt, realtime_ns() + MS(60000), NULL));
	close(fd);
}

/*
 * A receive waiting for a wall-clock deadline a minute away ends as soon
 * as the clock is set past it; a monotonic one does not move. The clock
 * is put back (within the time the test took) before the test ends.
 */
TEST_F(prio, realtime_deadline_follows_clock)
{
	const uint32_t rt = MBOX_MSG_DEADLINE | MBOX_MSG_REALTIME;
	struct mbox_bg_recv rcv, mono;
	struct timespec ts;
	uint64_t t0, wall;
	char buf[8], buf2[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &ts));
	if (clock_settime(CLOCK_REALTIME, &ts))
		SKIP(return, "cannot set CLOCK_REALTIME (%d)", errno);

	memset(&rcv, 0, sizeof(rcv));
	rcv.fd = fd;
	rcv.buf = buf;
	rcv.size = sizeof(buf);
	rcv.flags = rt;
	rcv.deadline_ns = realtime_ns() + MS(60000);
	rcv.ret = -1;
	ASSERT_EQ(0, pthread_create(&rcv.thread, NULL, mbox_bg_recv_fn, &rcv));
	memset(&mono, 0, sizeof(mono));
	mono.fd = fd;
	mono.buf = buf2;
	mono.size = sizeof(buf2);
	mono.flags = MBOX_MSG_DEADLINE;
	mono.deadline_ns = now_ns() + MS(60000);
	mono.ret = -1;
	ASSERT_EQ(0, pthread_create(&mono.thread, NULL, mbox_bg_recv_fn, &mono));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 2));

	t0 = now_ns();
	wall = realtime_ns();
	ts.tv_sec = (wall + MS(120000)) / 1000000000ULL;
	ts.tv_nsec = (wall + MS(120000)) % 1000000000ULL;
	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &ts));
	EXPECT_TRUE(bg_wait_done(&rcv.done, 10000));
	EXPECT_GT(MS(10000), now_ns() - t0);

	/* Back to where it would be had nobody touched it. */
	wall += now_ns() - t0;
	ts.tv_sec = wall / 1000000000ULL;
	ts.tv_nsec = wall % 1000000000ULL;
	EXPECT_EQ(0, clock_settime(CLOCK_REALTIME, &ts));

	pthread_join(rcv.thread, NULL);
	EXPECT_EQ(-ETIMEDOUT, rcv.ret);
	/* The monotonic wait is still there: a message ends it. */
	EXPECT_FALSE(mono.done);
	ASSERT_EQ(0, mbox_send(fd, "m", 1, 0, 0));
	pthread_join(mono.thread, NULL);
	EXPECT_EQ(1, mono.ret);
	close(fd);
}

TEST_HARNESS_MAIN
