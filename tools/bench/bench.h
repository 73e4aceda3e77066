/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbox-bench: mbox against pipes, POSIX mq, SysV msg and UNIX sockets.
 *
 * A mechanism ("mech") is a one-way message channel that any number of
 * forked processes can send to and receive from. Each mechanism lives in
 * its own mech_*.c file and fills in a struct mech; the harness (harness.c)
 * runs the ping-pong and streaming workloads over any of them, checks every
 * message, and main.c/report.c turn rounds of runs into medians and ratios.
 *
 * Adding a mechanism is one struct mech with open/close/send/recv. A
 * batched one sets .batch > 1: send() may then move fewer messages than
 * asked (the harness sends the rest), recv() returns 1..n messages.
 *
 * A request/reply mechanism (mbox-call) has call/serve instead of
 * send/recv: its round trip is one call() against a server looping on
 * serve(), and it runs the rtt and calls cells only.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Bytes free in front of every message buffer (SysV puts its mtype there). */
#define BENCH_HEADROOM	16
/* Most messages one send()/recv() call may be asked to move. */
#define BENCH_BATCH_MAX	64
/* Queue depth every mechanism gets where the depth is configurable. */
#define BENCH_DEPTH	64
/* Most producers or consumers in one run. */
#define BENCH_MAXPROC	8

/* One message of a send or receive call. */
struct bmsg {
	void *buf;	/* BENCH_HEADROOM writable bytes precede it */
	size_t len;	/* send: bytes to send; recv: bytes received */
};

/* One open channel; copied into every forked process with its fds. */
struct chan {
	const struct mech *m;
	size_t msg_size;	/* every message of the run has this length */
	int fd[2];		/* per mechanism (e.g. pipe read/write ends) */
	int id;			/* per mechanism (e.g. SysV msqid) */
};

struct mech {
	const char *name;
	int ours;		/* an mbox mechanism: measured against the peers */
	unsigned int batch;	/* most messages per call; 1 = one per syscall */
	unsigned int capacity;	/* mbox: mailbox capacity */
	int rendezvous;		/* a send waits for a receiver (no solo cell) */
	/*
	 * Create the channel in the parent, before the fork. Returns 0, or
	 * -1 with errno set (the cell is then reported as n/a for a peer,
	 * as a failure for an mbox mechanism).
	 */
	int (*open)(struct chan *ch);
	void (*close)(struct chan *ch);
	/* Send v[0..n-1]: returns how many were sent (>= 1), or -1. */
	int (*send)(struct chan *ch, struct bmsg *v, unsigned int n);
	/*
	 * Receive 1..n messages into v[i].buf (msg_size bytes each), setting
	 * v[i].len; waits for the first only. Returns the count, or -1.
	 */
	int (*recv)(struct chan *ch, struct bmsg *v, unsigned int n);
	/*
	 * Request/reply: send @req and receive the reply into @rep
	 * (msg_size bytes; sets rep->len). Returns 0, or -1.
	 */
	int (*call)(struct chan *ch, const struct bmsg *req, struct bmsg *rep);
	/*
	 * Answer the request *@handle with @rep (if *@handle is nonzero), then
	 * receive the next one into @req and set *@handle to its handle.
	 * Returns 0, or -1 (errno EPIPE once the channel is shut down).
	 */
	int (*serve)(struct chan *ch, const struct bmsg *rep, uint64_t *handle,
		     struct bmsg *req);
	/* Make every serve() fail with EPIPE once no request is left. */
	void (*shutdown)(struct chan *ch);
};

extern const struct mech mech_mbox_rendezvous, mech_mbox_bounded, mech_mbox_batch;
extern const struct mech mech_pipe, mech_posix_mq, mech_mbox_mq, mech_sysv_msg;
extern const struct mech mech_unix_seqpacket, mech_unix_dgram_mmsg;
extern const struct mech mech_mbox_call;

/* msg.c: what every message carries, so that nothing lost goes unseen. */
#define MSG_STOP	0x1	/* the producer's last message: no payload count */

struct msg_id {
	uint32_t seq;
	unsigned int src;	/* producer number */
	unsigned int flags;	/* MSG_STOP */
};

void msg_stamp(void *buf, size_t size, const struct msg_id *id);
/* 0 if buf/len hold a well-formed message of @size bytes, else -1 and why. */
int msg_check(const void *buf, size_t len, size_t size, struct msg_id *id,
	      const char **why);

/* harness.c: one run of one mechanism, in freshly forked processes. */
enum run_status { RUN_OK, RUN_NA, RUN_FAIL };

struct run_result {
	enum run_status status;
	double value;		/* rtt: microseconds; streams: messages/s */
	uint64_t messages;	/* round trips or messages delivered */
	char why[200];		/* for RUN_NA and RUN_FAIL */
};

extern unsigned int bench_child_timeout;	/* seconds a run's process may take */

double now_sec(void);
void run_pingpong(const struct mech *m, size_t size, double slice,
		  struct run_result *res);
void run_solo(const struct mech *m, size_t size, double slice,
	      struct run_result *res);
void run_stream(const struct mech *m, size_t size, unsigned int producers,
		unsigned int consumers, double slice, struct run_result *res);
void run_calls(const struct mech *m, size_t size, unsigned int clients,
	       unsigned int threads, double slice, struct run_result *res);

#endif /* BENCH_H */
