// SPDX-License-Identifier: GPL-2.0
/*
 * Export: local mailbox -> JetStream stream.
 *
 * Each message is received on lease and published with a message id made
 * of the mailbox's identity and the message's (mbox_id, msg_id: the same
 * at every delivery), so that a message published again, after the bridge
 * died between the stream's ack and its commit, say, is dropped by the
 * stream as a duplicate within its window. The lease is committed only
 * once the stream has acknowledged the message. When the stream refuses it
 * (full, or unreachable), the lease is released, which puts the message
 * back at the head of the line, and the bridge waits before it tries
 * again: the mailbox fills up and local senders wait, feeling the
 * back-pressure of the whole path.
 *
 * One message is in flight at a time, so messages leave in the mailbox's
 * order (priority, then arrival), and a stream sees each origin's messages
 * in order while nothing is redelivered.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmbox.h>

#include "bridge.h"

#define RECV_POLL_NS	500000000LL	/* how often a idle export looks at stop */
#define BACKOFF_MIN_MS	50
#define BACKOFF_MAX_MS	2000
#define NO_RESPONDERS_GRACE_MS	5000	/* retry a call nobody took, so long */

/* A NATS message on @subject carrying a local message and its origin. */
static natsMsg *bridged_msg(struct bridge *b, struct link *l,
			    const char *subject, const void *buf, size_t len,
			    const struct mbox_msginfo *info)
{
	natsMsg *m = NULL;
	natsStatus s;
	char num[24];

	s = natsMsg_Create(&m, subject, NULL, buf, (int)len);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, HDR_HOST, b->host);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, HDR_MAILBOX, l->mailbox);
	snprintf(num, sizeof(num), "%d", (int)info->pid);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, HDR_PID, num);
	snprintf(num, sizeof(num), "%u", (unsigned int)info->uid);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, HDR_UID, num);
	snprintf(num, sizeof(num), "%u", (unsigned int)info->gid);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, HDR_GID, num);
	snprintf(num, sizeof(num), "%u", info->prio);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, HDR_PRIO, num);
	if (s != NATS_OK) {
		natsMsg_Destroy(m);
		return NULL;
	}
	return m;
}

/* The stream's answer to a publish: 0 stored (or a duplicate), else -1. */
static int publish(struct bridge *b, struct link *l, uint64_t mbox_id,
		   const void *buf, size_t len, const struct mbox_msginfo *info)
{
	jsPubOptions po;
	jsPubAck *pa = NULL;
	jsErrCode jerr = 0;
	natsMsg *m;
	natsStatus s;
	char id[48];

	snprintf(id, sizeof(id), "%016" PRIx64 "-%" PRIu64, mbox_id,
		 info->msg_id);
	m = bridged_msg(b, l, l->subject, buf, len, info);
	if (!m)
		return -1;
	jsPubOptions_Init(&po);
	po.MsgId = id;
	po.MaxWait = 5000;
	s = js_PublishMsg(&pa, b->js, m, &po, &jerr);
	natsMsg_Destroy(m);
	if (s != NATS_OK) {
		atomic_fetch_add(&l->st.errors, 1);
		return -1;
	}
	atomic_fetch_add(&l->st.acked, 1);
	if (pa->Duplicate)
		atomic_fetch_add(&l->st.duplicates, 1);
	jsPubAck_Destroy(pa);
	return 0;
}

/*
 * A request (a call's; never leased): carried at most once, as a NATS
 * request to whichever importing bridge answers first (they share a queue
 * group), whose reply becomes the call's. If it cannot be carried (no
 * importer, no reply within call-timeout, the remote call failed), the
 * call is ended the only way a receiver can end one: by releasing the
 * file that took it, which fails the caller with ECONNRESET (the export
 * holds no lease meanwhile: it takes one message at a time). Returns 0,
 * or -1 when *@mb was closed for that.
 */
static int carry_call(struct bridge *b, struct link *l, int *mb,
		      const void *buf, size_t len,
		      const struct mbox_msginfo *info)
{
	int64_t left = b->call_timeout_ns / 1000000;
	natsMsg *req, *rep = NULL;
	const char *err = NULL;
	natsStatus s;

	atomic_fetch_add(&l->st.calls, 1);
	req = bridged_msg(b, l, l->call_subject, buf, len, info);
	if (!req)
		goto reset;
	/*
	 * "No responders" means nobody got the request, so asking again keeps
	 * the call at most once: for a few seconds, while importers come
	 * back (a NATS server restart, a bridge starting).
	 */
	for (;;) {
		int64_t t0 = nats_Now();

		s = natsConnection_RequestMsg(&rep, b->nc, req, left);
		left -= nats_Now() - t0;
		if (s != NATS_NO_RESPONDERS || left <= 0 ||
		    left < b->call_timeout_ns / 1000000 - NO_RESPONDERS_GRACE_MS ||
		    atomic_load(&b->stop))
			break;
		bridge_nap(b, 100);
		left -= 100;
	}
	natsMsg_Destroy(req);
	if (s != NATS_OK)
		goto reset;
	if (natsMsgHeader_Get(rep, HDR_ERROR, &err) == NATS_OK && err)
		goto reset;
	if (mbox_reply(*mb, info->reply_id, natsMsg_GetData(rep),
		       (size_t)natsMsg_GetDataLength(rep)) && errno != ESRCH)
		goto reset;	/* EMSGSIZE: longer than the caller takes */
	natsMsg_Destroy(rep);
	return 0;
reset:
	natsMsg_Destroy(rep);
	atomic_fetch_add(&l->st.calls_failed, 1);
	mbox_close(*mb);
	*mb = -1;
	return -1;
}

void *export_run(void *arg)
{
	struct link *l = arg;
	struct bridge *b = l->bridge;
	int backoff = BACKOFF_MIN_MS, mb = -1, ready = 0;
	struct mbox_msginfo info;
	struct mbox_stat st;
	size_t size = 0;
	char *buf = NULL;
	ssize_t n;

	while (!atomic_load(&b->stop)) {
		if (mb < 0) {
			mb = mbox_open(l->mailbox, O_RDONLY | O_CLOEXEC);
			if (mb < 0 || mbox_stat(mb, &st)) {
				bridge_log("export %s: %s", l->mailbox,
					   strerror(errno));
				if (mb >= 0)
					mbox_close(mb);
				mb = -1;
				bridge_nap(b, BACKOFF_MAX_MS);
				continue;
			}
			size = st.msg_size;
			free(buf);
			buf = malloc(size ? size : 1);
			if (!buf)
				break;
		}
		if (!ready) {
			if (nats_stream_ensure(b, l)) {
				bridge_nap(b, BACKOFF_MAX_MS);
				continue;
			}
			ready = 1;
		}
		/* Ask for a lease long enough to cover a publish and its ack. */
		n = mbox_timedrecv_lease(mb, buf, size, &info, b->lease_ns,
					 RECV_POLL_NS);
		if (n < 0) {
			if (errno == ETIMEDOUT || errno == EINTR)
				continue;
			if (errno == EPIPE) {
				bridge_log("export %s: shut down and drained",
					   l->mailbox);
				break;
			}
			bridge_log("export %s: receive: %s", l->mailbox,
				   strerror(errno));
			atomic_fetch_add(&l->st.errors, 1);
			bridge_nap(b, BACKOFF_MAX_MS);
			continue;
		}
		if (info.reply_id) {
			carry_call(b, l, &mb, buf, (size_t)n, &info);
			continue;
		}
		atomic_store(&l->st.inflight, 1);
		if (info.deliveries > 1)
			atomic_fetch_add(&l->st.redelivered, 1);
		if (publish(b, l, st.mbox_id, buf, (size_t)n, &info)) {
			/* Back in line, at the head; the mailbox fills up. */
			mbox_lease_release(mb, info.lease_id);
			atomic_store(&l->st.inflight, 0);
			atomic_store(&l->st.blocked, 1);
			bridge_nap(b, backoff);
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
				  backoff * 2;
			continue;
		}
		atomic_store(&l->st.blocked, 0);
		backoff = BACKOFF_MIN_MS;
		atomic_fetch_add(&l->st.forwarded, 1);
		/*
		 * ENOENT: the lease ran out before the ack came; the message
		 * went back and will be published again, a duplicate the
		 * stream drops within its window.
		 */
		if (mbox_lease_commit(mb, info.lease_id) && errno == ENOENT)
			bridge_log("export %s: lease %" PRIu64 " expired before "
				   "its ack", l->mailbox, info.lease_id);
		atomic_store(&l->st.inflight, 0);
	}
	if (mb >= 0)
		mbox_close(mb);		/* releases a lease still held */
	free(buf);
	return NULL;
}
