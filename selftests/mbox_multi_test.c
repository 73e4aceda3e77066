// SPDX-License-Identifier: GPL-2.0
/*
 * mbox with many processes: several senders and receivers on one mailbox
 * (every message received exactly once, per-sender order kept, sequence
 * numbers without gaps), FIFO order of messages, and first-come
 * first-served service of waiting receivers and of waiting senders. Each
 * test runs on a rendezvous and on a bounded mailbox.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

FIXTURE(multi) {
	MBOX_ENV_FIELDS;
	int fd;
};

FIXTURE_VARIANT(multi) {
	uint32_t capacity;
};

FIXTURE_VARIANT_ADD(multi, rendezvous) {
	.capacity = 0,
};

FIXTURE_VARIANT_ADD(multi, bounded1) {
	.capacity = 1,
};

FIXTURE_VARIANT_ADD(multi, bounded4) {
	.capacity = 4,
};

#define MSG_SIZE 64

FIXTURE_SETUP(multi)
{
	self->fd = -1;
	MBOX_ENV_SETUP();
	self->fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600,
			       variant->capacity, MSG_SIZE);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(multi)
{
	if (self->fd >= 0)
		close(self->fd);
	MBOX_ENV_TEARDOWN();
}

struct numbered {
	uint32_t sender;
	uint32_t num;
	int32_t pid;
	uint8_t fill[MSG_SIZE - 12];
};

/* Messages vary in length; the tail is a pattern the receiver checks. */
static uint32_t msg_len(uint32_t sender, uint32_t num)
{
	return 12 + (sender * 7 + num * 13) % (MSG_SIZE - 12 + 1);
}

static void msg_fill(struct numbered *m, uint32_t sender, uint32_t num)
{
	uint32_t i;

	m->sender = sender;
	m->num = num;
	m->pid = getpid();
	for (i = 0; i < sizeof(m->fill); i++)
		m->fill[i] = (uint8_t)(sender + num + i);
}

static int msg_ok(const struct numbered *m, int len)
{
	uint32_t i;

	if (len != (int)msg_len(m->sender, m->num))
		return 0;
	for (i = 0; i + 12 < (uint32_t)len; i++)
		if (m->fill[i] != (uint8_t)(m->sender + m->num + i))
			return 0;
	return 1;
}

#define SENDERS		3
#define RECEIVERS	3
#define PER_SENDER	100
#define TOTAL		(SENDERS * PER_SENDER)

struct tally {
	uint32_t count[SENDERS][PER_SENDER];
	uint32_t seq_count[TOTAL + 1];
	/* by_seq[seq] = sender * PER_SENDER + num + 1 */
	uint32_t by_seq[TOTAL + 1];
	uint32_t bad_seq;
};

TEST_F_TIMEOUT(multi, many_to_many_exactly_once, 90)
{
	struct mboxio_stat st;
	pid_t snd[SENDERS], rcv[RECEIVERS];
	uint32_t last[SENDERS];
	struct tally *t;
	int i, s, n;

	MBOX_SKIP_GUARD();
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);

	for (i = 0; i < RECEIVERS; i++) {
		rcv[i] = mbox_fork();
		ASSERT_LE(0, rcv[i]);
		if (rcv[i] == 0) {
			struct mboxio_recv r;
			struct numbered m;
			int32_t seen[SENDERS];
			int len;

			for (s = 0; s < SENDERS; s++)
				seen[s] = -1;
			for (;;) {
				len = mbox_recv(self->fd, &m, sizeof(m), 0, 0, &r);
				if (len == -EPIPE)
					break;
				CHILD_CHECK(len >= 12);
				CHILD_CHECK(m.sender < SENDERS && m.num < PER_SENDER);
				CHILD_CHECK(msg_ok(&m, len));
				CHILD_CHECK(r.pid == m.pid);
				CHILD_CHECK(r.len == (uint32_t)len);
				/* One receiver sees each sender's messages in order. */
				CHILD_CHECK((int32_t)m.num > seen[m.sender]);
				seen[m.sender] = m.num;
				__atomic_fetch_add(&t->count[m.sender][m.num], 1,
						   __ATOMIC_RELAXED);
				if (r.seq >= 1 && r.seq <= TOTAL) {
					__atomic_fetch_add(&t->seq_count[r.seq], 1,
							   __ATOMIC_RELAXED);
					__atomic_store_n(&t->by_seq[r.seq],
							 m.sender * PER_SENDER + m.num + 1,
							 __ATOMIC_RELAXED);
				} else
					__atomic_fetch_add(&t->bad_seq, 1, __ATOMIC_RELAXED);
			}
			_exit(0);
		}
	}
	for (i = 0; i < SENDERS; i++) {
		snd[i] = mbox_fork();
		ASSERT_LE(0, snd[i]);
		if (snd[i] == 0) {
			struct numbered m;
			uint32_t k;

			for (k = 0; k < PER_SENDER; k++) {
				msg_fill(&m, i, k);
				CHILD_CHECK(mbox_send(self->fd, &m, msg_len(i, k), 0, 0) == 0);
			}
			_exit(0);
		}
	}
	for (i = 0; i < SENDERS; i++)
		EXPECT_EQ(0, mbox_reap(snd[i]));
	/* Every send has returned: drain, then wake the receivers with EPIPE. */
	ASSERT_EQ(0, mbox_shutdown(self->fd));
	for (i = 0; i < RECEIVERS; i++)
		EXPECT_EQ(0, mbox_reap(rcv[i]));

	for (i = 0; i < TOTAL; i++) {
		uint32_t c = t->count[i / PER_SENDER][i % PER_SENDER];

		EXPECT_EQ(1U, c)
			TH_LOG("sender %d message %d received %u times",
			       i / PER_SENDER, i % PER_SENDER, c);
	}
	EXPECT_EQ(0U, t->bad_seq);
	/*
	 * Sequence numbers 1..TOTAL each used once, and they follow the order
	 * messages left the mailbox: sorted by seq, what all receivers got
	 * shows each sender's messages in the order it sent them.
	 */
	for (s = 0; s < SENDERS; s++)
		last[s] = 0;
	for (n = 1; n <= TOTAL; n++) {
		uint32_t c = t->seq_count[n], v = t->by_seq[n];

		EXPECT_EQ(1U, c) TH_LOG("seq %d used %u times", n, c);
		if (v < 1 || v > TOTAL)
			continue;
		s = (v - 1) / PER_SENDER;
		EXPECT_LT(last[s], v)
			TH_LOG("seq %d: sender %d message %u after message %u",
			       n, s, (v - 1) % PER_SENDER, (last[s] - 1) % PER_SENDER);
		last[s] = v;
	}
	ASSERT_EQ(0, mbox_stat(self->fd, &st));
	EXPECT_EQ((uint64_t)TOTAL, st.sent);
	EXPECT_EQ((uint64_t)TOTAL, st.received);
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(0U, st.waiting_receivers);
	munmap(t, sizeof(*t));
}

#define ORDERED 200

TEST_F(multi, fifo_order_one_sender)
{
	struct mboxio_recv r;
	struct numbered m;
	uint32_t k;
	pid_t pid;
	int len;

	MBOX_SKIP_GUARD();
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (k = 0; k < ORDERED; k++) {
			msg_fill(&m, 1, k);
			CHILD_CHECK(mbox_send(self->fd, &m, msg_len(1, k), 0, 0) == 0);
		}
		_exit(0);
	}
	for (k = 0; k < ORDERED; k++) {
		len = mbox_recv(self->fd, &m, sizeof(m), 0, 0, &r);
		ASSERT_EQ((int)msg_len(1, k), len);
		ASSERT_EQ(k, m.num);
		ASSERT_EQ(1, msg_ok(&m, len));
		ASSERT_EQ(k + 1, r.seq);
		ASSERT_EQ(pid, r.pid);
	}
	EXPECT_EQ(0, mbox_reap(pid));
}

/*
 * Receivers that started waiting first are served first: wake them one
 * message at a time and check who reports back.
 */
TEST_F(multi, waiting_receivers_fifo)
{
	pid_t pid[3];
	int i;

	MBOX_SKIP_GUARD();
	for (i = 0; i < 3; i++) {
		pid[i] = mbox_fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			char c;

			CHILD_CHECK(mbox_recv(self->fd, &c, 1, 0, 0, NULL) == 1);
			/* Report "which receiver got which message". */
			sync_post(self->sv[1], (char)(i * 16 + c - '0'));
			_exit(0);
		}
		ASSERT_EQ(0, mbox_wait_stat(self->fd,
					    MBOX_STAT_FIELD(waiting_receivers), i + 1));
	}
	for (i = 0; i < 3; i++) {
		char c = '0' + i;

		ASSERT_EQ(0, mbox_send(self->fd, &c, 1, 0, 0));
		EXPECT_EQ(i * 16 + i, sync_wait(self->sv[0]))
			TH_LOG("message %d went to the wrong receiver", i);
	}
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, mbox_reap(pid[i]));
}

/* Senders that started waiting first are served first. */
TEST_F(multi, waiting_senders_fifo)
{
	struct mboxio_recv r;
	uint32_t pre = variant->capacity;
	pid_t pid[3];
	char c;
	int i;

	MBOX_SKIP_GUARD();
	/* Fill the queue so the next senders must wait. */
	for (i = 0; i < (int)pre; i++) {
		c = 'p';
		ASSERT_EQ(0, mbox_send(self->fd, &c, 1, 0, 0));
	}
	for (i = 0; i < 3; i++) {
		pid[i] = mbox_fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			c = '0' + i;
			CHILD_CHECK(mbox_send(self->fd, &c, 1, 0, 0) == 0);
			_exit(0);
		}
		ASSERT_EQ(0, mbox_wait_stat(self->fd,
					    MBOX_STAT_FIELD(waiting_senders), i + 1));
	}
	for (i = 0; i < (int)pre; i++) {
		ASSERT_EQ(1, mbox_recv(self->fd, &c, 1, 0, 0, &r));
		EXPECT_EQ('p', c);
	}
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(1, mbox_recv(self->fd, &c, 1, 0, 0, &r));
		EXPECT_EQ('0' + i, c);
		EXPECT_EQ(pid[i], r.pid);
		EXPECT_EQ(pre + i + 1, r.seq);
	}
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, mbox_reap(pid[i]));
}

TEST_HARNESS_MAIN
