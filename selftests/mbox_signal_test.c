// SPDX-License-Identifier: GPL-2.0
/*
 * mbox and signals: a handler without SA_RESTART ends a wait with EINTR and
 * the call moved nothing; with SA_RESTART the call restarts transparently and
 * still ends at its original deadline; a rendezvous send that fails after its
 * message was on offer has delivered nothing, one that succeeds delivered it
 * exactly once.
 */
#define _GNU_SOURCE
#include <sys/time.h>

#include "mbox_helpers.h"
#include "../kselftest_harness.h"

/* Shared with children so they can see how many signals the parent took. */
static volatile int *hits;

static void on_alarm(int sig)
{
	(void)sig;
	__atomic_fetch_add(hits, 1, __ATOMIC_RELAXED);
}

static int catch_alarm(bool restart)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = restart ? SA_RESTART : 0;
	return sigaction(SIGALRM, &sa, NULL);
}

/*
 * SIGALRM after @first_ms, then every @every_ms (0: once). Tests expecting
 * EINTR use a repeating timer, so a first signal that lands before the call
 * starts waiting (a slow VM) cannot leave it blocked forever.
 */
static int arm_alarm(unsigned int first_ms, unsigned int every_ms)
{
	struct itimerval it = {
		.it_value = { first_ms / 1000, (first_ms % 1000) * 1000 },
		.it_interval = { every_ms / 1000, (every_ms % 1000) * 1000 },
	};

	return setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_alarm(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

FIXTURE(sig) {
	MBOX_ENV_FIELDS;
};

FIXTURE_SETUP(sig)
{
	MBOX_ENV_SETUP();
	hits = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hits);
	*hits = 0;
}

FIXTURE_TEARDOWN(sig)
{
	disarm_alarm();
	MBOX_ENV_TEARDOWN();
}

TEST_F(sig, recv_eintr)
{
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, catch_alarm(false));
	ASSERT_EQ(0, arm_alarm(50, 50));
	EXPECT_EQ(-EINTR, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	disarm_alarm();
	EXPECT_LE(1, *hits);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_receivers);
	EXPECT_EQ(0U, st.received);
	/* Nothing was consumed: the next message gets sequence number 1. */
	ASSERT_EQ(0, mbox_send_str(fd, "after"));
	EXPECT_EQ(5, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(1U, r.seq);
	close(fd);
}

TEST_F(sig, timed_recv_eintr)
{
	uint64_t deadline;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, catch_alarm(false));
	ASSERT_EQ(0, arm_alarm(50, 50));
	deadline = now_ns() + MS(5000);
	EXPECT_EQ(-EINTR, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
				    deadline, NULL));
	disarm_alarm();
	EXPECT_GT(deadline, now_ns());
	EXPECT_LE(1, *hits);
	close(fd);
}

TEST_F(sig, bounded_send_eintr)
{
	struct mboxio_stat st;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "first"));
	ASSERT_EQ(0, catch_alarm(false));
	ASSERT_EQ(0, arm_alarm(50, 50));
	EXPECT_EQ(-EINTR, mbox_send_str(fd, "second"));
	disarm_alarm();
	EXPECT_LE(1, *hits);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(5, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	close(fd);
}

TEST_F(sig, rendezvous_send_eintr_leaves_nothing)
{
	struct mboxio_stat st;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, catch_alarm(false));
	ASSERT_EQ(0, arm_alarm(50, 50));
	EXPECT_EQ(-EINTR, mbox_send_str(fd, "offer"));
	disarm_alarm();
	EXPECT_LE(1, *hits);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	close(fd);
}

TEST_F(sig, sa_restart_recv_restarts)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, catch_alarm(true));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint64_t end = now_ns() + MS(10000);

		/* Send only after the parent took two signals while waiting. */
		while (__atomic_load_n(hits, __ATOMIC_RELAXED) < 2 && now_ns() < end)
			usleep(1000);
		CHILD_CHECK(mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1) == 0);
		CHILD_CHECK(mbox_send(fd, "done", 4, 0, 0) == 0);
		_exit(0);
	}
	ASSERT_EQ(0, arm_alarm(20, 20));
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	disarm_alarm();
	EXPECT_LE(2, *hits);
	EXPECT_EQ(0, memcmp(buf, "done", 4));
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

/*
 * Signals at 300, 600 and 900 ms into a wait with a 1000 ms deadline. With
 * the original deadline kept the call ends at ~1000 ms; a restart that
 * recomputed a relative timeout would run to ~1900 ms at least.
 */
#define RESTART_DEADLINE_MS	1000
#define RESTART_EVERY_MS	300
#define RESTART_LIMIT_MS	1700

TEST_F(sig, sa_restart_keeps_recv_deadline)
{
	uint64_t start, deadline, end;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, catch_alarm(true));
	start = now_ns();
	deadline = start + MS(RESTART_DEADLINE_MS);
	ASSERT_EQ(0, arm_alarm(RESTART_EVERY_MS, RESTART_EVERY_MS));
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
					deadline, NULL));
	end = now_ns();
	disarm_alarm();
	EXPECT_LE(2, *hits);
	EXPECT_LE(deadline, end);
	EXPECT_GT(start + MS(RESTART_LIMIT_MS), end)
		TH_LOG("waited %llu ms for a %d ms deadline",
		       (unsigned long long)(end - start) / 1000000,
		       RESTART_DEADLINE_MS);
	close(fd);
}

TEST_F(sig, sa_restart_keeps_send_deadline)
{
	uint64_t start, deadline, end;
	struct mboxio_stat st;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, catch_alarm(true));
	start = now_ns();
	deadline = start + MS(RESTART_DEADLINE_MS);
	ASSERT_EQ(0, arm_alarm(RESTART_EVERY_MS, RESTART_EVERY_MS));
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "s", 1, MBOX_MSG_DEADLINE, deadline));
	end = now_ns();
	disarm_alarm();
	EXPECT_LE(2, *hits);
	EXPECT_LE(deadline, end);
	EXPECT_GT(start + MS(RESTART_LIMIT_MS), end)
		TH_LOG("waited %llu ms for a %d ms deadline",
		       (unsigned long long)(end - start) / 1000000,
		       RESTART_DEADLINE_MS);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0U, st.waiting_senders);
	close(fd);
}

/*
 * Rendezvous sends and receives under a hail of signals (no SA_RESTART).
 * Every send that returned 0 must have been received exactly once, every
 * send that failed with EINTR not at all; a receive interrupted after
 * taking a message would lose it and show up as a missing delivery. The
 * receiver dawdles a little before each receive so that signals often
 * find the sender waiting with its message on offer.
 */
#define STRESS_MSGS	4000
#define STRESS_MS	1500

static void dawdle(unsigned int *seed)
{
	uint64_t until = now_ns() + (rand_r(seed) % 400) * 1000ULL;

	while (now_ns() < until)
		;
}

TEST_F_TIMEOUT(sig, rendezvous_signal_stress, 60)
{
	unsigned int i, sent = 0, ok = 0, intr = 0;
	uint64_t end;
	int *res, fd;
	uint8_t *got;
	pid_t pid;

	MBOX_SKIP_GUARD();
	got = mmap(NULL, STRESS_MSGS, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, got);
	res = calloc(STRESS_MSGS, sizeof(*res));
	ASSERT_NE(NULL, res);
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, sizeof(uint32_t));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, catch_alarm(false));

	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned int seed = 1;
		struct mboxio_recv r;
		uint32_t n;
		int ret;

		CHILD_CHECK(arm_alarm(7, 7) == 0);
		for (;;) {
			dawdle(&seed);
			ret = mbox_recv(fd, &n, sizeof(n), 0, 0, &r);
			if (ret == -EINTR)
				continue;
			if (ret == -EPIPE)
				break;
			CHILD_CHECK(ret == (int)sizeof(n));
			CHILD_CHECK(n < STRESS_MSGS);
			got[n]++;
		}
		_exit(0);
	}

	end = now_ns() + MS(STRESS_MS);
	ASSERT_EQ(0, arm_alarm(2, 2));
	for (i = 0; i < STRESS_MSGS && now_ns() < end; i++) {
		res[i] = mbox_send(fd, &i, sizeof(i), 0, 0);
		sent++;
	}
	disarm_alarm();
	ASSERT_EQ(0, mbox_shutdown(fd));
	ASSERT_EQ(0, mbox_reap(pid));

	for (i = 0; i < sent; i++) {
		if (res[i] == 0) {
			ok++;
			EXPECT_EQ(1, got[i]) TH_LOG("message %u sent, received %d times",
						    i, got[i]);
		} else {
			intr++;
			EXPECT_EQ(-EINTR, res[i]);
			EXPECT_EQ(0, got[i]) TH_LOG("message %u failed (%d) but was received",
						    i, res[i]);
		}
	}
	for (; i < STRESS_MSGS; i++)
		EXPECT_EQ(0, got[i]);
	TH_LOG("%u sends: %u delivered, %u interrupted, %d signals", sent, ok,
	       intr, *hits);
	EXPECT_LT(0U, ok);
	close(fd);
}

TEST_HARNESS_MAIN
