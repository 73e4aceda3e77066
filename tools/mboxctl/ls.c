// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl ls: list every mailbox. */
#include "mboxctl.h"

static void help_ls(void)
{
	printf("Usage: %s ls [--numeric]\n"
	       "List every mailbox (from %s), including anonymous ones.\n"
	       "  -n, --numeric   show owner and group as numbers\n",
	       prog, MBOX_PROC);
}

int cmd_ls(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "numeric", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[] = {
		"NAME", "OWNER", "GROUP", "MODE", "CAPACITY", "MSGSIZE", "QUEUED",
		"BYTES", "SENDERS", "RECEIVERS", "SENT", "RECEIVED", "FLAGS",
	};
	enum { NCOL = sizeof(head) / sizeof(head[0]) };
	char (*cells)[NCOL][72];
	int width[NCOL];
	bool numeric = false;
	struct entry *v = NULL;
	int c, n, i, j;

	while ((c = next_opt(argc, argv, ":nh", longs, help_ls)) != -1)
		if (c == 'n')
			numeric = true;
	no_more_args(argv[0], argc, argv);

	n = read_listing(&v);
	if (n < 0)
		return EXIT_FAIL;

	cells = calloc((size_t)n + 1, sizeof(*cells));
	if (!cells) {
		free(v);
		fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
		return EXIT_FAIL;
	}
	for (j = 0; j < NCOL; j++)
		snprintf(cells[0][j], sizeof(cells[0][j]), "%s", head[j]);
	for (i = 0; i < n; i++) {
		struct entry *e = &v[i];
		char (*r)[72] = cells[i + 1];

		r[0][0] = '\0';	/* the name is printed from @v: it may be long */
		user_name(e->uid, numeric, r[1], 72);
		group_name(e->gid, numeric, r[2], 72);
		snprintf(r[3], 72, "%04o", e->mode);
		snprintf(r[4], 72, "%u", e->capacity);
		snprintf(r[5], 72, "%u", e->msg_size);
		snprintf(r[6], 72, "%u", e->queued);
		snprintf(r[7], 72, "%llu", e->bytes);
		snprintf(r[8], 72, "%u", e->senders);
		snprintf(r[9], 72, "%u", e->receivers);
		snprintf(r[10], 72, "%llu", e->sent);
		snprintf(r[11], 72, "%llu", e->received);
		snprintf(r[12], 72, "%s", e->flags);
	}
	for (j = 0; j < NCOL; j++) {
		width[j] = 0;
		for (i = 0; i <= n; i++) {
			int w = (int)strlen(j || !i ? cells[i][j] : v[i - 1].name);

			if (w > width[j])
				width[j] = w;
		}
	}
	/* Names, owners and flags left-aligned, numbers right-aligned. */
	for (i = 0; i <= n; i++) {
		for (j = 0; j < NCOL; j++) {
			bool left = j <= 3 || j == NCOL - 1;

			const char *s = j || !i ? cells[i][j] : v[i - 1].name;

			if (j == NCOL - 1)
				printf("%s\n", s);
			else
				printf(left ? "%-*s  " : "%*s  ", width[j], s);
		}
	}
	free(cells);
	free(v);
	return flush_stdout();
}
