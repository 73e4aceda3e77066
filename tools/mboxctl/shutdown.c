// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl shutdown: shut a mailbox down. */
#include "mboxctl.h"

static void help_shutdown(void)
{
	printf("Usage: %s shutdown NAME\n"
	       "Shut a mailbox down for good: sends fail from now on, receivers drain\n"
	       "what is queued and then see the end of the stream.\n", prog);
}

int cmd_shutdown(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name;
	int mb, err;

	while (next_opt(argc, argv, ":h", longs, help_shutdown) != -1)
		;
	name = argv[optind++];
	check_name(argv[0], name);
	no_more_args(argv[0], argc, argv);

	mb = mbox_open(name, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
	if (mb < 0)
		return fail(errno, "open '%s'", name);
	if (mbox_shutdown(mb)) {
		err = errno;
		mbox_close(mb);
		return fail(err, "shutdown '%s'", name);
	}
	mbox_close(mb);
	return EXIT_OK;
}
