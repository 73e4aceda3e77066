// SPDX-License-Identifier: GPL-2.0
/*
 * The NATS side: one connection for the whole bridge, reconnecting for as
 * long as it runs, and the streams it creates or checks.
 */
#include <stdio.h>
#include <string.h>

#include "bridge.h"

static void on_disconnected(natsConnection *nc, void *closure)
{
	struct bridge *b = closure;

	(void)nc;
	atomic_store(&b->connected, 0);
	bridge_log("disconnected from NATS");
}

static void on_reconnected(natsConnection *nc, void *closure)
{
	struct bridge *b = closure;

	(void)nc;
	atomic_store(&b->connected, 1);
	atomic_fetch_add(&b->reconnects, 1);
	bridge_log("reconnected to NATS");
}

static int nats_fail(const char *what, natsStatus s)
{
	bridge_log("%s: %s", what, natsStatus_GetText(s));
	return -1;
}

/*
 * Connect, retrying the first connection too: a bridge started before its
 * server (at boot, say) waits for it rather than exiting.
 */
int nats_connect(struct bridge *b)
{
	natsOptions *opts = NULL;
	natsStatus s;

	s = natsOptions_Create(&opts);
	if (s == NATS_OK)
		s = natsOptions_SetServers(opts, b->servers, b->nservers);
	if (s == NATS_OK)
		s = natsOptions_SetName(opts, "mbox-bridge");
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(opts, -1);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectWait(opts, 250);
	if (s == NATS_OK)
		s = natsOptions_SetRetryOnFailedConnect(opts, true, NULL, NULL);
	if (s == NATS_OK)
		s = natsOptions_SetDisconnectedCB(opts, on_disconnected, b);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectedCB(opts, on_reconnected, b);
	if (s == NATS_OK && b->creds)
		s = natsOptions_SetUserCredentialsFromFiles(opts, b->creds, NULL);
	if (s == NATS_OK && (b->tls_ca || b->tls_cert))
		s = natsOptions_SetSecure(opts, true);
	if (s == NATS_OK && b->tls_ca)
		s = natsOptions_LoadCATrustedCertificates(opts, b->tls_ca);
	if (s == NATS_OK && b->tls_cert)
		s = natsOptions_LoadCertificatesChain(opts, b->tls_cert,
						      b->tls_key ? b->tls_key :
						      b->tls_cert);
	if (s != NATS_OK) {
		natsOptions_Destroy(opts);
		return nats_fail("NATS options", s);
	}
	/*
	 * With retry-on-failed-connect, NATS_NOT_YET_CONNECTED means the
	 * library keeps trying in the background.
	 */
	s = natsConnection_Connect(&b->nc, opts);
	natsOptions_Destroy(opts);
	if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED)
		return nats_fail("NATS connect", s);
	atomic_store(&b->connected, s == NATS_OK);
	s = natsConnection_JetStream(&b->js, b->nc, NULL);
	if (s != NATS_OK)
		return nats_fail("JetStream", s);
	return 0;
}

/*
 * An export's stream: a work-queue stream (each message goes to one
 * consumer and is deleted once acknowledged) that refuses new messages
 * when full, so that publishers see it, with the deduplication window the
 * export's message ids rely on. Created if missing; an existing stream is
 * checked, not changed.
 */
int nats_stream_ensure(struct bridge *b, struct link *l)
{
	const char *subjects[] = { l->subject };
	jsStreamInfo *si = NULL;
	jsStreamConfig cfg;
	jsErrCode jerr = 0;
	natsStatus s;
	int i, ok;

	s = js_GetStreamInfo(&si, b->js, l->stream, NULL, &jerr);
	if (s == NATS_OK) {
		ok = si->Config->Retention == js_WorkQueuePolicy;
		for (i = 0, ok = ok && 1; ok && i < si->Config->SubjectsLen; i++)
			if (!strcmp(si->Config->Subjects[i], l->subject))
				break;
		if (ok && i == si->Config->SubjectsLen)
			ok = 0;
		jsStreamInfo_Destroy(si);
		if (!ok) {
			bridge_log("stream %s exists but is not a work-queue "
				   "stream on subject %s", l->stream, l->subject);
			return -1;
		}
		return 0;
	}
	if (s != NATS_NOT_FOUND && jerr != JSStreamNotFoundErr)
		return nats_fail(l->stream, s);

	jsStreamConfig_Init(&cfg);
	cfg.Name = l->stream;
	cfg.Subjects = subjects;
	cfg.SubjectsLen = 1;
	cfg.Retention = js_WorkQueuePolicy;
	cfg.Discard = js_DiscardNew;
	cfg.MaxMsgs = l->max_msgs ? l->max_msgs : -1;
	cfg.Storage = l->memory ? js_MemoryStorage : js_FileStorage;
	cfg.Replicas = l->replicas;
	cfg.Duplicates = l->dup_window_ns;
	s = js_AddStream(&si, b->js, &cfg, NULL, &jerr);
	if (s != NATS_OK && jerr != JSStreamNameExistErr)
		return nats_fail(l->stream, s);
	if (s == NATS_OK)
		bridge_log("stream %s created: subject %s, %lld replica(s)",
			   l->stream, l->subject, (long long)l->replicas);
	jsStreamInfo_Destroy(si);
	return 0;
}

void nats_close(struct bridge *b)
{
	if (b->js)
		jsCtx_Destroy(b->js);
	if (b->nc) {
		natsConnection_Drain(b->nc);
		natsConnection_Destroy(b->nc);
	}
	b->js = NULL;
	b->nc = NULL;
}
