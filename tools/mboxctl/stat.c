// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl stat: show one mailbox. */
#include "mboxctl.h"

static void help_stat(void)
{
	printf("Usage: %s stat NAME\n"
	       "Show a mailbox's attributes, owner and counters.\n", prog);
}

static int print_stat(const char *name, const struct mbox_stat *st)
{
	char mode[11], u[72], g[72];

	mode_string(st->mode, mode);
	printf("name:              %s\n", name);
	printf("owner:             %s (%u)\n",
	       user_name(st->uid, false, u, sizeof(u)), (unsigned int)st->uid);
	printf("group:             %s (%u)\n",
	       group_name(st->gid, false, g, sizeof(g)), (unsigned int)st->gid);
	printf("mode:              %04o (%s)\n", (unsigned int)st->mode, mode);
	printf("capacity:          %u%s\n", st->capacity,
	       st->capacity ? "" : " (rendezvous)");
	printf("msg_size:          %u\n", st->msg_size);
	printf("queued:            %u\n", st->queued);
	printf("queued_bytes:      %llu\n", (unsigned long long)st->queued_bytes);
	printf("waiting_senders:   %u\n", st->waiting_senders);
	printf("waiting_receivers: %u\n", st->waiting_receivers);
	printf("sent:              %llu\n", (unsigned long long)st->sent);
	printf("received:          %llu\n", (unsigned long long)st->received);
	printf("leased:            %u\n", st->leased);
	printf("flags:             %s%s%s\n",
	       st->shutdown ? "shutdown" : "",
	       st->shutdown && st->unlinked ? "," : "",
	       st->unlinked ? "unlinked" : (st->shutdown ? "" : "-"));
	return flush_stdout();
}

/* stat for a caller the mode does not let open the mailbox: the listing. */
static int stat_from_listing(const char *name, int open_err)
{
	struct entry *v = NULL;
	struct mbox_stat st;
	int n, i;

	n = read_listing(&v);
	if (n < 0)
		return fail(open_err, "open '%s'", name);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			break;
	if (i == n) {
		free(v);
		return fail(open_err, "open '%s'", name);
	}
	memset(&st, 0, sizeof(st));
	st.capacity = v[i].capacity;
	st.msg_size = v[i].msg_size;
	st.mode = v[i].mode;
	st.uid = v[i].uid;
	st.gid = v[i].gid;
	st.shutdown = strstr(v[i].flags, "shutdown") != NULL;
	st.unlinked = strstr(v[i].flags, "unlinked") != NULL;
	st.queued = v[i].queued;
	st.waiting_senders = v[i].senders;
	st.waiting_receivers = v[i].receivers;
	st.leased = v[i].leased;
	st.queued_bytes = v[i].bytes;
	st.sent = v[i].sent;
	st.received = v[i].received;
	free(v);
	return print_stat(name, &st);
}

/*
 * Open a mailbox just to look at it: any access will do, and it is not
 * used to send or receive.
 */
static int open_any(const char *name)
{
	int mb = mbox_open(name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (mb < 0 && errno == EACCES)
		mb = mbox_open(name, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
	return mb;
}

int cmd_stat(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mbox_stat st;
	const char *name;
	int mb, err;

	while (next_opt(argc, argv, ":h", longs, help_stat) != -1)
		;
	name = argv[optind++];
	check_name(argv[0], name);
	no_more_args(argv[0], argc, argv);

	mb = open_any(name);
	if (mb < 0) {
		if (errno == EACCES)
			return stat_from_listing(name, errno);
		return fail(errno, "open '%s'", name);
	}
	if (mbox_stat(mb, &st)) {
		err = errno;
		mbox_close(mb);
		return fail(err, "stat '%s'", name);
	}
	mbox_close(mb);
	return print_stat(name, &st);
}
