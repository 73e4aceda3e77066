/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbox-bridge: carries mailboxes between hosts over NATS JetStream.
 *
 * One process per host. Each exported mailbox has a thread that takes its
 * messages on lease and publishes them to a work-queue stream, committing
 * a lease only once the stream has acknowledged the message; each imported
 * mailbox has a thread that pulls from the stream's durable consumer no
 * more than the mailbox has room for, sends locally, and acknowledges only
 * after the local send succeeded. See mbox-bridge(8) for what that
 * guarantees.
 */
#ifndef MBOX_BRIDGE_H
#define MBOX_BRIDGE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <nats/nats.h>

#define BRIDGE_MAX_SERVERS	16
#define BRIDGE_MAX_LINKS	64
#define BRIDGE_NAME_MAX		255
#define BRIDGE_HOST_MAX		64

/* The headers a bridged message carries: its origin, as the bridge claims. */
#define HDR_HOST	"Mbox-Origin-Host"
#define HDR_PID		"Mbox-Origin-Pid"
#define HDR_UID		"Mbox-Origin-Uid"
#define HDR_GID		"Mbox-Origin-Gid"
#define HDR_PRIO	"Mbox-Priority"
#define HDR_MAILBOX	"Mbox-Origin-Mailbox"
/* On a call's NATS reply: the errno name of a call that failed there. */
#define HDR_ERROR	"Mbox-Error"

enum link_dir { LINK_EXPORT, LINK_IMPORT };

/* Counters of one link, read by the status writer while the link runs. */
struct link_stats {
	atomic_ullong forwarded;	/* export: published; import: sent locally */
	atomic_ullong acked;		/* export: stream acks; import: acks sent */
	atomic_ullong redelivered;	/* delivered again (see mbox-bridge(8)) */
	atomic_ullong duplicates;	/* export: acks the stream marked duplicate */
	atomic_ullong errors;		/* publish, fetch or send failures */
	atomic_uint inflight;		/* leased, or fetched and not yet acked */
	atomic_int blocked;		/* waiting for room (stream or mailbox) */
	atomic_ullong calls;		/* requests carried */
	atomic_ullong calls_failed;	/* of them, ended with ECONNRESET */
};

struct bridge;

/* One exported or imported mailbox. */
struct link {
	struct bridge *bridge;
	enum link_dir dir;
	char mailbox[BRIDGE_NAME_MAX + 1];
	char stream[64];
	char subject[128];
	char durable[64];	/* import: the durable pull consumer */
	char call_subject[160];	/* requests: core NATS request/reply */
	int64_t max_msgs;	/* stream: most messages held (0: unlimited) */
	int64_t replicas;	/* stream: copies in a cluster */
	bool memory;		/* stream: memory rather than file storage */
	int64_t dup_window_ns;	/* stream: deduplication window */
	struct link_stats st;
	pthread_t thread;
	bool started;
	/* import: the subscription that answers calls, and its own fd */
	natsSubscription *call_sub;
	int call_mb;
	size_t call_size;
};

struct bridge {
	char host[BRIDGE_HOST_MAX + 1];
	const char *servers[BRIDGE_MAX_SERVERS];
	int nservers;
	char *creds;
	char *tls_ca, *tls_cert, *tls_key;
	char *status_file;
	int64_t lease_ns;	/* export: how long a lease may wait for an ack */
	int64_t ack_wait_ns;	/* import: the consumer's AckWait */
	int64_t call_timeout_ns; /* a carried call's wait for its reply */
	struct link links[BRIDGE_MAX_LINKS];
	int nlinks;

	natsConnection *nc;
	jsCtx *js;
	atomic_int connected;
	atomic_ullong reconnects;
	atomic_bool stop;
};

/* config.c */
int config_load(struct bridge *b, const char *path);
int config_line(struct bridge *b, const char *line, const char *where);
int config_link(struct bridge *b, enum link_dir dir, const char *spec,
		const char *where);
int config_finish(struct bridge *b);
int parse_duration(const char *s, int64_t *ns);

/* nats.c */
int nats_connect(struct bridge *b);
int nats_stream_ensure(struct bridge *b, struct link *l);
void nats_close(struct bridge *b);

/* export.c, import.c: a link's thread */
void *export_run(void *arg);
void *import_run(void *arg);

/* status.c */
void *status_run(void *arg);
int status_write(struct bridge *b);
int status_print(const char *path);

/* Sleep up to @ms, returning early once @b is told to stop. */
void bridge_nap(struct bridge *b, int ms);
void bridge_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
