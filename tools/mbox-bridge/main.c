// SPDX-License-Identifier: GPL-2.0
/*
 * mbox-bridge: command line, threads, signals.
 *
 *   mbox-bridge [-c FILE] [--server URL]... [--host NAME]
 *               [--export "MAILBOX stream=S ..."]... [--import "..."]...
 *               [--status-file F] [--lease T] [--ack-wait T]
 *               [--call-timeout T]
 *               [--creds F] [--tls-ca F] [--tls-cert F] [--tls-key F]
 *   mbox-bridge status [--status-file F | -c FILE]
 *
 * Flags are the configuration file's keys (config.c); both may be given,
 * the file first. SIGTERM or SIGINT stops the bridge: each link finishes
 * the message in hand, leases still held are released by closing their
 * mailboxes, and the status file is written a last time.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bridge.h"

#define DEFAULT_STATUS	"/run/mbox-bridge/status"

void bridge_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mbox-bridge: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void bridge_nap(struct bridge *b, int ms)
{
	struct timespec ts = { 0, 10 * 1000000L };

	for (; ms > 0 && !atomic_load(&b->stop); ms -= 10)
		nanosleep(&ts, NULL);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: mbox-bridge [-c FILE] [--server URL]... [--host NAME]\n"
		"                   [--export \"MAILBOX stream=S [subject=..] [max-msgs=N] ...\"]...\n"
		"                   [--import \"MAILBOX stream=S [durable=D] ...\"]...\n"
		"                   [--status-file F] [--lease T] [--ack-wait T] [--call-timeout T]\n"
		"                   [--creds F] [--tls-ca F] [--tls-cert F] [--tls-key F]\n"
		"       mbox-bridge status [-c FILE | --status-file F]\n"
		"Carry mailboxes between hosts over NATS JetStream; see mbox-bridge(8).\n");
}

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "server", required_argument, NULL, 's' },
	{ "host", required_argument, NULL, 'H' },
	{ "export", required_argument, NULL, 'e' },
	{ "import", required_argument, NULL, 'i' },
	{ "status-file", required_argument, NULL, 'S' },
	{ "lease", required_argument, NULL, 'l' },
	{ "ack-wait", required_argument, NULL, 'a' },
	{ "call-timeout", required_argument, NULL, 't' },
	{ "creds", required_argument, NULL, 'C' },
	{ "tls-ca", required_argument, NULL, 'A' },
	{ "tls-cert", required_argument, NULL, 'T' },
	{ "tls-key", required_argument, NULL, 'K' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The config key each flag stands for (config_line() parses both). */
static const char *flag_key(int c)
{
	switch (c) {
	case 's': return "server";
	case 'H': return "host";
	case 'e': return "export";
	case 'i': return "import";
	case 'S': return "status-file";
	case 'l': return "lease";
	case 'a': return "ack-wait";
	case 't': return "call-timeout";
	case 'C': return "creds";
	case 'A': return "tls-ca";
	case 'T': return "tls-cert";
	case 'K': return "tls-key";
	default: return NULL;
	}
}

static int parse_args(struct bridge *b, int argc, char **argv, bool *status)
{
	const char *config = NULL;
	char line[2048];
	int c, i, err = 0;

	*status = argc > 1 && !strcmp(argv[1], "status");
	if (*status) {
		argv++;
		argc--;
	}
	/* The file first, whatever the flags' order: flags add to it. */
	for (i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config"))
			config = argv[i + 1];
	if (config && config_load(b, config))
		return -1;
	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		const char *key = flag_key(c);

		if (c == 'c')
			continue;
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (!key) {
			usage(stderr);
			return -1;
		}
		if ((size_t)snprintf(line, sizeof(line), "%s %s", key, optarg) >=
		    sizeof(line) || config_line(b, line, "command line"))
			err = -1;
	}
	if (optind < argc) {
		fprintf(stderr, "mbox-bridge: unexpected '%s'\n", argv[optind]);
		return -1;
	}
	return err;
}

int main(int argc, char **argv)
{
	static struct bridge b;
	pthread_t status_thread;
	sigset_t all, old;
	bool status;
	int i, sig;

	if (parse_args(&b, argc, argv, &status))
		return 2;
	if (!b.status_file)
		b.status_file = strdup(DEFAULT_STATUS);
	if (status)
		return status_print(b.status_file);
	if (config_finish(&b))
		return 2;

	/* Every thread blocks the stop signals; main waits for them. */
	sigemptyset(&all);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGINT);
	sigaddset(&all, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	signal(SIGPIPE, SIG_IGN);

	if (nats_connect(&b))
		return 1;
	bridge_log("host %s: %d mailbox%s", b.host, b.nlinks,
		   b.nlinks == 1 ? "" : "es");
	for (i = 0; i < b.nlinks; i++) {
		struct link *l = &b.links[i];

		if (pthread_create(&l->thread, NULL,
				   l->dir == LINK_EXPORT ? export_run : import_run,
				   l)) {
			bridge_log("cannot start a thread: %s", strerror(errno));
			atomic_store(&b.stop, true);
			break;
		}
		l->started = true;
	}
	if (pthread_create(&status_thread, NULL, status_run, &b)) {
		bridge_log("cannot start a thread: %s", strerror(errno));
		atomic_store(&b.stop, true);
	}
	if (!atomic_load(&b.stop)) {
		sigwait(&all, &sig);
		bridge_log("%s: stopping", strsignal(sig));
	}
	atomic_store(&b.stop, true);
	for (i = 0; i < b.nlinks; i++)
		if (b.links[i].started)
			pthread_join(b.links[i].thread, NULL);
	pthread_join(status_thread, NULL);
	nats_close(&b);
	nats_Close();
	return 0;
}
