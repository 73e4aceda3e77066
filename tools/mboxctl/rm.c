// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl rm: remove mailbox names. */
#include "mboxctl.h"

static void help_rm(void)
{
	printf("Usage: %s rm [--force] NAME...\n"
	       "Remove mailbox names. Open fds keep working; a mailbox goes away with\n"
	       "its last fd, and its queued messages with it.\n"
	       "  -f, --force   a name that does not exist is not an error\n", prog);
}

int cmd_rm(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool force = false;
	int c, i, rc = EXIT_OK, r;

	while ((c = next_opt(argc, argv, ":fh", longs, help_rm)) != -1)
		if (c == 'f')
			force = true;
	check_name(argv[0], argv[optind]);

	for (i = optind; i < argc; i++) {
		if (mbox_unlink(argv[i]) == 0)
			continue;
		if (force && errno == ENOENT && access(MBOX_DEV, F_OK) == 0)
			continue;
		r = fail(errno, "rm '%s'", argv[i]);
		if (rc == EXIT_OK)
			rc = r;
	}
	return rc;
}
