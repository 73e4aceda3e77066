// SPDX-License-Identifier: GPL-2.0
/*
 * The workloads. Every run forks fresh processes that share the channels
 * (and nothing else but a results page), releases them together, and checks
 * what they report:
 *
 *  ping-pong: a client sends message i on channel A, a server receives it
 *	and sends it back on channel B; the client checks it got i back. The
 *	client stops after the time slice with a STOP message. Value: the
 *	mean round trip in microseconds. Both ends must count the same number.
 *
 *  solo: one process sends a burst of messages on a channel and receives
 *	them back, numbered and checked, for the time slice. No process
 *	waits for another, so no scheduling enters the count: the value,
 *	messages sent and received per second, is the mechanism's own
 *	per-message cost (a stream's rate on one CPU also depends on how
 *	the scheduler interleaves its producer and consumer).
 *
 *  stream: P producers send numbered messages for the time slice, then one
 *	STOP each; C consumers receive until they have seen a STOP. A
 *	consumer that takes more than one STOP in a batch sends the extras
 *	back, so every consumer ends with exactly one. Each consumer checks
 *	that every producer's numbers only rise (with one producer and one
 *	consumer: rise by exactly one); the parent checks that, per producer,
 *	the consumers together got exactly as many messages as were sent and
 *	that their sequence numbers add up to 0 + 1 + ... + (n - 1). Value:
 *	messages delivered per second, from the first producer's start to the
 *	last consumer's end (so the queue's drain is included).
 *
 * A process that finds anything wrong, or hangs past the alarm (a lost
 * message leaves its receiver waiting), fails the run: RUN_FAIL, never a
 * number.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

unsigned int bench_child_timeout = 20;

struct proc_res {
	int failed;
	char why[160];
	double t0, t1;
	uint64_t count;
	uint64_t src_count[BENCH_MAXPROC];
	uint64_t src_seqsum[BENCH_MAXPROC];
};

double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct proc_res *self_res;

__attribute__((format(printf, 1, 2), noreturn))
static void child_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(self_res->why, sizeof(self_res->why), fmt, ap);
	va_end(ap);
	self_res->failed = 1;
	_exit(1);
}

/* n message buffers of size bytes, each with BENCH_HEADROOM bytes before it. */
static struct bmsg *alloc_msgs(unsigned int n, size_t size)
{
	struct bmsg *v = calloc(n, sizeof(*v));
	size_t stride = (BENCH_HEADROOM + size + 63) & ~(size_t)63;
	char *mem = aligned_alloc(64, stride * n);

	if (!v || !mem)
		child_fail("out of memory for %u buffers of %zu bytes", n, size);
	memset(mem, 0xa5, stride * n);
	for (unsigned int i = 0; i < n; i++) {
		v[i].buf = mem + i * stride + BENCH_HEADROOM;
		v[i].len = size;
	}
	return v;
}

static void send_all(struct chan *ch, struct bmsg *v, unsigned int n)
{
	while (n) {
		int k = ch->m->send(ch, v, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || (unsigned int)k > n)
			child_fail("send: %s", k < 0 ? strerror(errno) : "bad count");
		v += k;
		n -= (unsigned int)k;
	}
}

static unsigned int recv_some(struct chan *ch, struct bmsg *v, unsigned int n)
{
	for (;;) {
		int k = ch->m->recv(ch, v, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || (unsigned int)k > n)
			child_fail("receive: %s", k < 0 ? strerror(errno) : "bad count");
		return (unsigned int)k;
	}
}

static void check(const struct bmsg *b, size_t size, struct msg_id *id)
{
	const char *why;

	if (msg_check(b->buf, b->len, size, id, &why))
		child_fail("received a bad message: %s (length %zu, expected %zu)",
			   why, b->len, size);
}

/* The processes of one run. */
struct team {
	struct proc_res *res;
	unsigned int nproc;
	pid_t pid[2 * BENCH_MAXPROC];
	int go[2];
};

static int team_start(struct team *t, unsigned int nproc)
{
	t->nproc = nproc;
	t->res = mmap(NULL, nproc * sizeof(*t->res), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t->res == MAP_FAILED)
		return -1;
	if (pipe(t->go)) {
		munmap(t->res, nproc * sizeof(*t->res));
		return -1;
	}
	fflush(NULL);
	return 0;
}

/* Fork process i: it waits for the starting gun, then runs fn. */
static int team_fork(struct team *t, unsigned int i, void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		char c;

		self_res = &t->res[i];
		alarm(bench_child_timeout);
		close(t->go[1]);
		while (read(t->go[0], &c, 1) < 0 && errno == EINTR)
			;
		close(t->go[0]);
		fn(arg);
		_exit(0);
	}
	t->pid[i] = pid;
	return 0;
}

/*
 * Start everyone, wait for everyone; 0 if all of them succeeded. The first
 * process to fail ends the others at once (they would wait for messages
 * that never come) and gives the run its reason.
 */
static int team_wait(struct team *t, unsigned int forked, struct run_result *res)
{
	unsigned int left = forked;
	int ok = 1;

	close(t->go[0]);
	close(t->go[1]);
	while (left) {
		unsigned int i;
		pid_t pid;
		int st;

		pid = waitpid(-1, &st, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < forked && t->pid[i] != pid; i++)
			;
		if (i == forked)
			continue;
		t->pid[i] = 0;
		left--;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && !t->res[i].failed)
			continue;
		if (!ok)
			continue;	/* one we ended */
		ok = 0;
		res->status = RUN_FAIL;
		if (t->res[i].failed)
			snprintf(res->why, sizeof(res->why), "process %u: %s", i,
				 t->res[i].why);
		else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
			snprintf(res->why, sizeof(res->why),
				 "process %u still waiting after %us: a message was lost",
				 i, bench_child_timeout);
		else if (WIFSIGNALED(st))
			snprintf(res->why, sizeof(res->why),
				 "process %u killed by signal %d", i, WTERMSIG(st));
		else
			snprintf(res->why, sizeof(res->why), "process %u exited with %d",
				 i, WEXITSTATUS(st));
		for (unsigned int j = 0; j < forked; j++)
			if (t->pid[j] > 0)
				kill(t->pid[j], SIGKILL);
	}
	return ok ? 0 : -1;
}

static void team_end(struct team *t)
{
	munmap(t->res, t->nproc * sizeof(*t->res));
}

static int open_chan(const struct mech *m, size_t size, struct chan *ch,
		     struct run_result *res)
{
	memset(ch, 0, sizeof(*ch));
	ch->m = m;
	ch->msg_size = size;
	ch->fd[0] = ch->fd[1] = -1;
	ch->id = -1;
	if (m->open(ch) == 0)
		return 0;
	res->status = m->ours ? RUN_FAIL : RUN_NA;
	snprintf(res->why, sizeof(res->why), "cannot open a %zu-byte channel: %s",
		 size, strerror(errno));
	return -1;
}

/*
 * One channel and a team of @nproc processes for a run; on failure @res
 * says why and nothing is left open.
 */
static int start_run(const struct mech *m, size_t size, struct chan *ch,
		     struct team *t, unsigned int nproc, struct run_result *res)
{
	if (open_chan(m, size, ch, res))
		return -1;
	if (team_start(t, nproc)) {
		res->status = RUN_FAIL;
		snprintf(res->why, sizeof(res->why), "setup: %s", strerror(errno));
		m->close(ch);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- ping-pong */

struct pp_arg {
	struct chan a, b;	/* client to server, server to client */
	double slice;
};

static void pp_client(void *p)
{
	struct pp_arg *pp = p;
	size_t size = pp->a.msg_size;
	struct bmsg *s = alloc_msgs(1, size), *r = alloc_msgs(1, size);
	struct msg_id id = { 0 }, got;
	double t0 = now_sec(), t, deadline = t0 + pp->slice;

	do {
		msg_stamp(s->buf, size, &id);
		send_all(&pp->a, s, 1);
		recv_some(&pp->b, r, 1);
		check(r, size, &got);
		if (got.seq != id.seq || got.src != 0 || got.flags)
			child_fail("round trip %u came back as %u", id.seq, got.seq);
		id.seq++;
		t = now_sec();
	} while (t < deadline);
	self_res->t0 = t0;
	self_res->t1 = t;
	self_res->count = id.seq;
	id.flags = MSG_STOP;
	msg_stamp(s->buf, size, &id);
	send_all(&pp->a, s, 1);
}

static void pp_server(void *p)
{
	struct pp_arg *pp = p;
	size_t size = pp->a.msg_size;
	struct bmsg *r = alloc_msgs(1, size);
	struct msg_id got;
	uint32_t expect = 0;

	for (;;) {
		recv_some(&pp->a, r, 1);
		check(r, size, &got);
		if (got.seq != expect)
			child_fail("expected message %u, got %u", expect, got.seq);
		if (got.flags & MSG_STOP)
			break;
		send_all(&pp->b, r, 1);
		expect++;
	}
	self_res->count = expect;
}

/* ------------------------------------------------------------ request/reply */

static void call_one(struct chan *ch, struct bmsg *req, struct bmsg *rep)
{
	while (ch->m->call(ch, req, rep)) {
		if (errno != EINTR)
			child_fail("call: %s", strerror(errno));
	}
}

/* Reply to *@handle with @rep, take the next request: 0, or 1 at EPIPE. */
static int serve_one(struct chan *ch, const struct bmsg *rep, uint64_t *handle,
		     struct bmsg *req)
{
	while (ch->m->serve(ch, rep, handle, req)) {
		if (errno == EPIPE)
			return 1;
		if (errno != EINTR)
			child_fail("serve: %s", strerror(errno));
	}
	if (!*handle)
		child_fail("serve: a request without a reply handle");
	return 0;
}

struct rpc_arg {
	struct chan ch;
	double slice;
	unsigned int clients, threads;
	unsigned int index;	/* set per process before its fork */
};

/* A client: round trips until its time is up, then a STOP call. */
static void rpc_client(void *p)
{
	struct rpc_arg *ra = p;
	size_t size = ra->ch.msg_size;
	struct bmsg *s = alloc_msgs(1, size), *r = alloc_msgs(1, size);
	struct msg_id id = { .src = ra->index }, got;
	double t0 = now_sec(), t, deadline = t0 + ra->slice;

	do {
		msg_stamp(s->buf, size, &id);
		call_one(&ra->ch, s, r);
		check(r, size, &got);
		if (got.seq != id.seq || got.src != id.src || got.flags)
			child_fail("call %u of client %u came back as %u of %u",
				   id.seq, id.src, got.seq, got.src);
		id.seq++;
		t = now_sec();
	} while (t < deadline);
	self_res->t0 = t0;
	self_res->t1 = t;
	self_res->count = id.seq;
	id.flags = MSG_STOP;
	msg_stamp(s->buf, size, &id);
	call_one(&ra->ch, s, r);
}

struct rpc_server {
	struct rpc_arg *ra;
	unsigned int *stops;	/* shared by the server's threads */
	uint64_t count;
};

/*
 * A server thread: echo every request as its reply. The STOP of the last
 * client shuts the channel down, which ends the other threads' waits.
 */
static void *rpc_server_thread(void *p)
{
	struct rpc_server *sv = p;
	struct chan *ch = &sv->ra->ch;
	struct bmsg *req = alloc_msgs(1, ch->msg_size);
	uint64_t handle = 0;
	struct msg_id got;

	for (;;) {
		if (serve_one(ch, req, &handle, req))
			break;
		check(req, ch->msg_size, &got);
		if (!(got.flags & MSG_STOP)) {
			sv->count++;
			continue;
		}
		if (__atomic_add_fetch(sv->stops, 1, __ATOMIC_SEQ_CST) ==
		    sv->ra->clients) {
			/*
			 * No more requests: shut down, then answer it; the
			 * receive half finds nothing left (EPIPE), as do
			 * the other threads.
			 */
			ch->m->shutdown(ch);
			serve_one(ch, req, &handle, req);
			break;
		}
	}
	return NULL;
}

static void rpc_server(void *p)
{
	struct rpc_arg *ra = p;
	struct rpc_server sv[BENCH_MAXPROC];
	pthread_t th[BENCH_MAXPROC];
	unsigned int stops = 0;

	for (unsigned int i = 0; i < ra->threads; i++) {
		sv[i] = (struct rpc_server){ .ra = ra, .stops = &stops };
		if (i && pthread_create(&th[i], NULL, rpc_server_thread, &sv[i]))
			child_fail("pthread_create: %s", strerror(errno));
	}
	rpc_server_thread(&sv[0]);
	self_res->count = sv[0].count;
	for (unsigned int i = 1; i < ra->threads; i++) {
		pthread_join(th[i], NULL);
		self_res->count += sv[i].count;
	}
}

/*
 * @clients processes calling one server process of @threads threads over
 * one channel. With one client and one thread, the round trip in
 * microseconds; otherwise calls per second.
 */
void run_calls(const struct mech *m, size_t size, unsigned int clients,
	       unsigned int threads, double slice, struct run_result *res)
{
	struct rpc_arg ra = {
		.slice = slice, .clients = clients, .threads = threads,
	};
	unsigned int nproc = clients + 1, forked = 0;
	struct team t;

	memset(res, 0, sizeof(*res));
	if (!m->call) {
		res->status = RUN_NA;
		snprintf(res->why, sizeof(res->why), "no request/reply");
		return;
	}
	if (clients > BENCH_MAXPROC || threads > BENCH_MAXPROC || !threads) {
		res->status = RUN_FAIL;
		snprintf(res->why, sizeof(res->why), "bad run parameters");
		return;
	}
	if (start_run(m, size, &ra.ch, &t, nproc, res))
		return;
	/* The server first, so that it is waiting when the clients start. */
	for (unsigned int i = 0; i < nproc; i++) {
		ra.index = i ? i - 1 : 0;
		if (team_fork(&t, i, i ? rpc_client : rpc_server, &ra))
			break;
		forked++;
	}
	if (forked < nproc) {
		res->status = RUN_FAIL;
		snprintf(res->why, sizeof(res->why), "fork: %s", strerror(errno));
		team_wait(&t, forked, res);
	} else if (team_wait(&t, forked, res) == 0) {
		uint64_t total = 0;
		double start = t.res[1].t0, end = t.res[1].t1;

		for (unsigned int c = 1; c <= clients; c++) {
			total += t.res[c].count;
			if (t.res[c].t0 < start)
				start = t.res[c].t0;
			if (t.res[c].t1 > end)
				end = t.res[c].t1;
		}
		if (total != t.res[0].count || !total) {
			res->status = RUN_FAIL;
			snprintf(res->why, sizeof(res->why),
				 "clients made %llu calls, the server answered %llu",
				 (unsigned long long)total,
				 (unsigned long long)t.res[0].count);
		} else {
			res->status = RUN_OK;
			res->messages = total;
			res->value = clients == 1 && threads == 1 ?
				     (t.res[1].t1 - t.res[1].t0) * 1e6 / (double)total :
				     (double)total / (end - start);
		}
	}
	team_end(&t);
	m->close(&ra.ch);
}

void run_pingpong(const struct mech *m, size_t size, double slice,
		  struct run_result *res)
{
	struct pp_arg pp = { .slice = slice };
	struct team t;
	unsigned int forked = 0;

	/* A request/reply mechanism's round trip is one call. */
	if (m->call) {
		run_calls(m, size, 1, 1, slice, res);
		return;
	}
	memset(res, 0, sizeof(*res));
	if (open_chan(m, size, &pp.a, res))
		return;
	if (open_chan(m, size, &pp.b, res)) {
		m->close(&pp.a);
		return;
	}
	if (team_start(&t, 2)) {
		res->status = RUN_FAIL;
		snprintf(res->why, sizeof(res->why), "setup: %s", strerror(errno));
		goto out;
	}
	if (team_fork(&t, 0, pp_client, &pp) == 0) {
		forked++;
		if (team_fork(&t, 1, pp_server, &pp) == 0)
			forked++;
	}
	if (forked < 2) {
		/* One process waits for a partner that never comes: the alarm ends it. */
		res->status = RUN_FAIL;
		snprintf(res->why, sizeof(res->why), "fork: %s", strerror(errno));
		team_wait(&t, forked, res);
	} else if (team_wait(&t, forked, res) == 0) {
		if (t.res[0].count != t.res[1].count || t.res[0].count == 0) {
			res->status = RUN_FAIL;
			snprintf(res->why, sizeof(res->why),
				 "client counted %llu round trips, server %llu",
				 (unsigned long long)t.res[0].count,
				 (unsigned long long)t.res[1].count);
		} else {
			res->status = RUN_OK;
			res->messages = t.res[0].count;
			res->value = (t.res[0].t1 - t.res[0].t0) * 1e6 /
				     (double)t.res[0].count;
		}
	}
	team_end(&t);
out:
	m->close(&pp.a);
	m->close(&pp.b);
}

/* -------------------------------------------------------------------- solo */

/*
 * Messages per solo burst: as many as fit every mechanism's buffer at
 * once (a pipe holds 64 KiB), so that one process never waits on itself.
 */
#define SOLO_BYTES	32768
#define SOLO_BURST	8

struct solo_arg {
	struct chan ch;
	double slice;
	unsigned int burst;
};

static void solo_proc(void *p)
{
	struct solo_arg *so = p;
	size_t size = so->ch.msg_size;
	struct bmsg *v = alloc_msgs(so->burst, size);
	struct msg_id id = { 0 }, got;
	uint32_t next = 0;
	double t0 = now_sec(), t, deadline = t0 + so->slice;

	do {
		for (unsigned int i = 0; i < so->burst; i++) {
			msg_stamp(v[i].buf, size, &id);
			id.seq++;
		}
		send_all(&so->ch, v, so->burst);
		for (unsigned int n = 0; n < so->burst;) {
			unsigned int k = recv_some(&so->ch, v + n, so->burst - n);

			for (unsigned int i = n; i < n + k; i++) {
				check(&v[i], size, &got);
				if (got.seq != next++ || got.src || got.flags)
					child_fail("message %u came back as %u",
						   next - 1, got.seq);
			}
			n += k;
		}
		t = now_sec();
	} while (t < deadline);
	self_res->t0 = t0;
	self_res->t1 = t;
	self_res->count = id.seq;
}

void run_solo(const struct mech *m, size_t size, double slice,
	      struct run_result *res)
{
	struct solo_arg so = { .slice = slice };
	struct team t;

	memset(res, 0, sizeof(*res));
	if (!m->send || m->rendezvous) {
		res->status = RUN_NA;
		snprintf(res->why, sizeof(res->why), "%s",
			 m->send ? "a send waits for its receiver" :
				   "request/reply only");
		return;
	}
	so.burst = size < SOLO_BYTES / SOLO_BURST ? SOLO_BURST :
		   size < SOLO_BYTES ? (unsigned int)(SOLO_BYTES / size) : 1;
	if (start_run(m, size, &so.ch, &t, 1, res))
		return;
	if (team_fork(&t, 0, solo_proc, &so)) {
		res->status = RUN_FAIL;
		snprintf(res->why, sizeof(res->why), "fork: %s", strerror(errno));
		team_wait(&t, 0, res);
	} else if (team_wait(&t, 1, res) == 0) {
		res->status = RUN_OK;
		res->messages = t.res[0].count;
		res->value = (double)t.res[0].count /
			     (t.res[0].t1 - t.res[0].t0);
	}
	team_end(&t);
	m->close(&so.ch);
}

/* ------------------------------------------------------------------ stream */

struct st_arg {
	struct chan ch;
	double slice;
	unsigned int producers, consumers;
	unsigned int index;	/* set per process before its fork */
};

static void st_producer(void *p)
{
	struct st_arg *st = p;
	size_t size = st->ch.msg_size;
	unsigned int batch = st->ch.m->batch;
	struct bmsg *v = alloc_msgs(batch, size);
	struct msg_id id = { .src = st->index };
	double t0 = now_sec(), t, deadline = t0 + st->slice;

	do {
		for (unsigned int i = 0; i < batch; i++) {
			msg_stamp(v[i].buf, size, &id);
			id.seq++;
		}
		send_all(&st->ch, v, batch);
		t = now_sec();
	} while (t < deadline);
	self_res->t0 = t0;
	self_res->t1 = t;
	self_res->count = id.seq;
	id.flags = MSG_STOP;
	msg_stamp(v[0].buf, size, &id);
	send_all(&st->ch, v, 1);
}

static void st_consumer(void *p)
{
	struct st_arg *st = p;
	size_t size = st->ch.msg_size;
	unsigned int batch = st->ch.m->batch;
	struct bmsg *v = alloc_msgs(batch, size);
	int exact = st->producers == 1 && st->consumers == 1;
	int64_t last[BENCH_MAXPROC];
	unsigned int stops = 0;

	for (unsigned int i = 0; i < BENCH_MAXPROC; i++)
		last[i] = -1;
	self_res->t0 = now_sec();
	while (!stops) {
		unsigned int k = recv_some(&st->ch, v, batch);
		struct bmsg extra[BENCH_BATCH_MAX];
		unsigned int nextra = 0;

		for (unsigned int i = 0; i < k; i++) {
			struct msg_id id;

			check(&v[i], size, &id);
			if (id.src >= st->producers)
				child_fail("message from producer %u of %u", id.src,
					   st->producers);
			if (id.flags & MSG_STOP) {
				if (exact && id.seq != last[0] + 1)
					child_fail("STOP after %u messages, received %lld",
						   id.seq, (long long)last[0] + 1);
				if (stops++)
					extra[nextra++] = v[i];
				continue;
			}
			if (exact ? id.seq != last[0] + 1 : id.seq <= last[id.src])
				child_fail("producer %u: message %u after %lld (lost, repeated or reordered)",
					   id.src, id.seq, (long long)last[id.src]);
			last[id.src] = id.seq;
			self_res->src_count[id.src]++;
			self_res->src_seqsum[id.src] += id.seq;
			self_res->count++;
		}
		/* Hand the other consumers back their STOPs. */
		if (nextra)
			send_all(&st->ch, extra, nextra);
	}
	self_res->t1 = now_sec();
}

void run_stream(const struct mech *m, size_t size, unsigned int producers,
		unsigned int consumers, double slice, struct run_result *res)
{
	struct st_arg st = {
		.slice = slice, .producers = producers, .consumers = consumers,
	};
	unsigned int nproc = producers + consumers, forked = 0;
	struct team t;

	memset(res, 0, sizeof(*res));
	if (!m->send) {
		res->status = RUN_NA;
		snprintf(res->why, sizeof(res->why), "request/reply only");
		return;
	}
	if (producers > BENCH_MAXPROC || consumers > BENCH_MAXPROC ||
	    m->batch > BENCH_BATCH_MAX || m->batch < 1) {
		res->status = RUN_FAIL;
		snprintf(res->why, sizeof(res->why), "bad run parameters");
		return;
	}
	if (start_run(m, size, &st.ch, &t, nproc, res))
		return;
	/* Consumers first, so they are waiting when the producers start. */
	for (unsigned int i = 0; i < nproc; i++) {
		st.index = i < consumers ? i : i - consumers;
		if (team_fork(&t, i, i < consumers ? st_consumer : st_producer, &st))
			break;
		forked++;
	}
	if (forked < nproc) {
		res->status = RUN_FAIL;
		snprintf(res->why, sizeof(res->why), "fork: %s", strerror(errno));
		team_wait(&t, forked, res);
	} else if (team_wait(&t, forked, res) == 0) {
		const struct proc_res *cons = t.res, *prod = t.res + consumers;
		double start = prod[0].t0, end = cons[0].t1;
		uint64_t total = 0;

		res->status = RUN_OK;
		for (unsigned int p = 0; p < producers; p++) {
			uint64_t n = prod[p].count, got = 0, sum = 0;

			for (unsigned int c = 0; c < consumers; c++) {
				got += cons[c].src_count[p];
				sum += cons[c].src_seqsum[p];
			}
			if (got != n || sum != (n ? n * (n - 1) / 2 : 0)) {
				res->status = RUN_FAIL;
				snprintf(res->why, sizeof(res->why),
					 "producer %u sent %llu messages, consumers got %llu (sequence sum %llu, expected %llu)",
					 p, (unsigned long long)n, (unsigned long long)got,
					 (unsigned long long)sum,
					 (unsigned long long)(n ? n * (n - 1) / 2 : 0));
				break;
			}
			total += n;
			if (prod[p].t0 < start)
				start = prod[p].t0;
		}
		for (unsigned int c = 0; c < consumers; c++)
			if (cons[c].t1 > end)
				end = cons[c].t1;
		if (res->status == RUN_OK) {
			res->messages = total;
			res->value = (double)total / (end - start);
		}
	}
	team_end(&t);
	m->close(&st.ch);
}
