// SPDX-License-Identifier: GPL-2.0
/*
 * mbox-bridge's configuration: a file of "key value" lines and the same
 * keys as command-line flags (main.c). See mbox-bridge(8) for the keys.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge.h"

/* "30s", "500ms", "2m", "100us", "10ns" or plain nanoseconds. */
int parse_duration(const char *s, int64_t *ns)
{
	static const struct { const char *unit; int64_t mul; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000LL }, { "m", 60000000000LL },
		{ "h", 3600000000000LL }, { "", 1 },
	};
	unsigned long long v;
	char *end;
	size_t i;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (v > (unsigned long long)INT64_MAX / units[i].mul)
			return -1;
		*ns = (int64_t)v * units[i].mul;
		return 0;
	}
	return -1;
}

static int parse_i64(const char *s, int64_t *out)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* Copy @src into @dst of @size bytes; -1 if it does not fit or is empty. */
static int copy_word(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (!n || n >= size)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* A stream name or subject token: what NATS allows without quoting. */
static bool nats_token_ok(const char *s, bool dots)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_' ||
		      (dots && *s == '.')))
			return false;
	return true;
}

/*
 * "NAME key=value ..." for an export or an import: the mailbox, then its
 * stream (required), subject (default mbox.NAME... see below), durable,
 * max-msgs, replicas, storage and dup-window.
 */
int config_link(struct bridge *b, enum link_dir dir, const char *spec,
		const char *where)
{
	char buf[1024], *save = NULL, *w, *eq;
	struct link *l;

	if (b->nlinks == BRIDGE_MAX_LINKS) {
		fprintf(stderr, "mbox-bridge: %s: more than %d mailboxes\n",
			where, BRIDGE_MAX_LINKS);
		return -1;
	}
	if (strlen(spec) >= sizeof(buf))
		goto bad;
	strcpy(buf, spec);
	l = &b->links[b->nlinks];
	memset(l, 0, sizeof(*l));
	l->bridge = b;
	l->dir = dir;
	l->call_mb = -1;
	l->replicas = 1;
	l->dup_window_ns = 120000000000LL;	/* JetStream's default, 2 min */

	w = strtok_r(buf, " \t", &save);
	if (!w || copy_word(l->mailbox, sizeof(l->mailbox), w) ||
	    strchr(w, '/'))
		goto bad;
	while ((w = strtok_r(NULL, " \t", &save))) {
		eq = strchr(w, '=');
		if (!eq)
			goto bad;
		*eq++ = '\0';
		if (!strcmp(w, "stream")) {
			if (!nats_token_ok(eq, false) ||
			    copy_word(l->stream, sizeof(l->stream), eq))
				goto bad;
		} else if (!strcmp(w, "subject")) {
			if (!nats_token_ok(eq, true) ||
			    copy_word(l->subject, sizeof(l->subject), eq))
				goto bad;
		} else if (!strcmp(w, "durable")) {
			if (!nats_token_ok(eq, false) ||
			    copy_word(l->durable, sizeof(l->durable), eq))
				goto bad;
		} else if (!strcmp(w, "max-msgs")) {
			if (parse_i64(eq, &l->max_msgs))
				goto bad;
		} else if (!strcmp(w, "replicas")) {
			if (parse_i64(eq, &l->replicas) || l->replicas < 1 ||
			    l->replicas > 5)
				goto bad;
		} else if (!strcmp(w, "storage")) {
			if (!strcmp(eq, "memory"))
				l->memory = true;
			else if (strcmp(eq, "file"))
				goto bad;
		} else if (!strcmp(w, "dup-window")) {
			if (parse_duration(eq, &l->dup_window_ns))
				goto bad;
		} else {
			goto bad;
		}
	}
	if (!l->stream[0])
		goto bad;
	/* Default subject: mbox.STREAM; default durable: STREAM-import. */
	if (!l->subject[0]) {
		strcpy(l->subject, "mbox.");
		strcat(l->subject, l->stream);	/* 5 + 63 < 128 */
	}
	strcpy(l->call_subject, l->subject);	/* 127 + 5 < 160 */
	strcat(l->call_subject, ".call");
	if (!l->durable[0]) {
		if (strlen(l->stream) + strlen("-import") >= sizeof(l->durable))
			goto bad;
		strcpy(l->durable, l->stream);
		strcat(l->durable, "-import");
	}
	b->nlinks++;
	return 0;
bad:
	fprintf(stderr, "mbox-bridge: %s: bad %s '%s' (want NAME stream=STREAM "
		"[subject=S] [durable=D] [max-msgs=N] [replicas=R] "
		"[storage=file|memory] [dup-window=T])\n", where,
		dir == LINK_EXPORT ? "export" : "import", spec);
	return -1;
}

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		perror("mbox-bridge");
		exit(1);
	}
	return d;
}

/* One "key value" line (or flag): 0, or -1 with a message printed. */
int config_line(struct bridge *b, const char *line, const char *where)
{
	char key[32];
	const char *val;
	size_t n;

	while (isspace((unsigned char)*line))
		line++;
	if (!*line || *line == '#')
		return 0;
	n = strcspn(line, " \t");
	if (n >= sizeof(key))
		goto bad;
	memcpy(key, line, n);
	key[n] = '\0';
	val = line + n;
	while (isspace((unsigned char)*val))
		val++;
	if (!*val)
		goto bad;

	if (!strcmp(key, "server")) {
		if (b->nservers == BRIDGE_MAX_SERVERS)
			goto bad;
		b->servers[b->nservers++] = dup_or_die(val);
	} else if (!strcmp(key, "host")) {
		if (copy_word(b->host, sizeof(b->host), val) ||
		    strpbrk(val, " \t\r\n"))
			goto bad;
	} else if (!strcmp(key, "creds")) {
		b->creds = dup_or_die(val);
	} else if (!strcmp(key, "tls-ca")) {
		b->tls_ca = dup_or_die(val);
	} else if (!strcmp(key, "tls-cert")) {
		b->tls_cert = dup_or_die(val);
	} else if (!strcmp(key, "tls-key")) {
		b->tls_key = dup_or_die(val);
	} else if (!strcmp(key, "status-file")) {
		b->status_file = dup_or_die(val);
	} else if (!strcmp(key, "lease")) {
		if (parse_duration(val, &b->lease_ns) || !b->lease_ns)
			goto bad;
	} else if (!strcmp(key, "ack-wait")) {
		if (parse_duration(val, &b->ack_wait_ns) || !b->ack_wait_ns)
			goto bad;
	} else if (!strcmp(key, "call-timeout")) {
		if (parse_duration(val, &b->call_timeout_ns) ||
		    !b->call_timeout_ns)
			goto bad;
	} else if (!strcmp(key, "export")) {
		return config_link(b, LINK_EXPORT, val, where);
	} else if (!strcmp(key, "import")) {
		return config_link(b, LINK_IMPORT, val, where);
	} else {
		fprintf(stderr, "mbox-bridge: %s: unknown key '%s'\n", where, key);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "mbox-bridge: %s: bad line '%s'\n", where, line);
	return -1;
}

int config_load(struct bridge *b, const char *path)
{
	char *line = NULL, where[PATH_MAX + 32];
	unsigned int lineno = 0;
	size_t cap = 0;
	ssize_t n;
	int err = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "mbox-bridge: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		if (config_line(b, line, where))
			err = -1;
	}
	free(line);
	fclose(f);
	return err;
}

/* Defaults for what was not given, and the checks that need everything. */
int config_finish(struct bridge *b)
{
	int i, j;

	if (!b->nservers)
		b->servers[b->nservers++] = "nats://127.0.0.1:4222";
	if (!b->host[0] && gethostname(b->host, sizeof(b->host) - 1))
		strcpy(b->host, "localhost");
	if (!b->lease_ns)
		b->lease_ns = 30000000000LL;
	if (!b->ack_wait_ns)
		b->ack_wait_ns = 30000000000LL;
	if (!b->call_timeout_ns)
		b->call_timeout_ns = 30000000000LL;
	if (!b->nlinks) {
		fprintf(stderr, "mbox-bridge: nothing to export or import\n");
		return -1;
	}
	for (i = 0; i < b->nlinks; i++)
		for (j = 0; j < i; j++)
			if (b->links[i].dir == b->links[j].dir &&
			    !strcmp(b->links[i].mailbox, b->links[j].mailbox)) {
				fprintf(stderr, "mbox-bridge: mailbox '%s' given twice\n",
					b->links[i].mailbox);
				return -1;
			}
	return 0;
}
