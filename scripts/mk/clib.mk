# SPDX-License-Identifier: GPL-2.0
# The build of a C library of this project, shared by libmbox/Makefile and
# libmbox-mq/Makefile: each sets LIBNAME, its extra LIB_CFLAGS, LIB_LDLIBS
# and TEST_LIBS, and includes this. It builds in place:
# $(LIBNAME).so.$(VERSION) with its soname and .so links, $(LIBNAME).a, and
# $(LIBNAME).pc from $(LIBNAME).pc.in; tests/<name>_test from
# tests/<name>_test.c against the kselftest harness headers; and installs
# the libraries and the .pc.

# The one version source is ../VERSION: the soname, the file names and the
# .pc follow it. Bump the major only with an incompatible ABI change.
VERSION		:= $(shell cat $(dir $(lastword $(MAKEFILE_LIST)))../../VERSION)
ifeq ($(VERSION),)
$(error $(LIBNAME): cannot read the version from VERSION)
endif
SOVERSION	:= $(firstword $(subst ., ,$(VERSION)))

SONAME		:= $(LIBNAME).so.$(SOVERSION)
SHARED		:= $(LIBNAME).so.$(VERSION)
STATIC		:= $(LIBNAME).a
PC		:= $(LIBNAME).pc

PREFIX		?= /usr/local
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig

# Where the kselftest harness headers are; the top-level build extracts them
# from the kernel source package (they are never copied into this repo).
KSFT_DIR	?= ../build/linux-src/tools/testing/selftests

CC		?= cc
AR		?= ar
CFLAGS		?= -O2 -g
WARNINGS	:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wmissing-declarations -Wpointer-arith \
		   -Wformat=2 -Wundef -Wcast-align -Wwrite-strings -Wvla
# The uapi header is for the library's .c files only.
LIB_CFLAGS	+= -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden $(WARNINGS) \
		   -I../uapi -MMD -MP
LIB_LDFLAGS	:= -shared -Wl,-soname,$(SONAME) -Wl,--version-script=$(LIBNAME).map \
		   -Wl,-z,defs -Wl,-z,relro -Wl,-z,now

SRCS		:= $(wildcard src/*.c)
OBJS		:= $(SRCS:.c=.o)

TESTS		:= $(patsubst %.c,%,$(sort $(wildcard tests/*_test.c)))
TEST_CFLAGS	+= -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
		   -Werror -Wshadow -I../uapi -I$(KSFT_DIR) -pthread
TEST_LDFLAGS	:= -L. -pthread

all: $(SHARED) $(SONAME) $(LIBNAME).so $(STATIC) $(PC)

src/%.o: src/%.c
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) $(CFLAGS) -c -o $@ $<

$(SHARED): $(OBJS) $(LIBNAME).map
	$(CC) $(LDFLAGS) $(LIB_LDFLAGS) $(CFLAGS) -o $@ $(OBJS) $(LIB_LDLIBS)

$(SONAME): $(SHARED)
	ln -sf $(SHARED) $@

$(LIBNAME).so: $(SONAME)
	ln -sf $(SONAME) $@

$(STATIC): $(OBJS)
	rm -f $@
	$(AR) rcs $@ $(OBJS)

# Regenerated whenever PREFIX/LIBDIR/INCLUDEDIR change (written only if the
# text differs, so an unchanged .pc keeps its timestamp).
$(PC): $(LIBNAME).pc.in FORCE
	@sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@PREFIX@|$(PREFIX)|g' \
	    -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
	    $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; echo "  GEN     $@"; fi

tests: $(TESTS) $(TEST_HELPERS)

$(TESTS): tests/%: tests/%.c $(wildcard tests/*.h) $(TEST_DEPS) $(LIBNAME).so
	@test -f $(KSFT_DIR)/kselftest_harness.h || { \
	    echo "$(LIBNAME): $(KSFT_DIR)/kselftest_harness.h not found;" \
		 "set KSFT_DIR to tools/testing/selftests of a kernel tree" >&2; \
	    exit 1; }
	$(CC) $(CPPFLAGS) $(TEST_CFLAGS) $(CFLAGS) $(LDFLAGS) $(TEST_LDFLAGS) -o $@ $< $(TEST_LIBS)

run-tests: $(TESTS)
	@rc=0; for t in $(TESTS); do \
	    LD_LIBRARY_PATH=$(CURDIR)$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH} ./$$t || rc=1; \
	done; exit $$rc

print-tests:
	@for t in $(TESTS); do echo $$t; done

print-helpers:
	@for t in $(TEST_HELPERS); do echo $$t; done

install-lib: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(SHARED) $(DESTDIR)$(LIBDIR)/$(SHARED)
	ln -sf $(SHARED) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/$(LIBNAME).so
	install -m 0644 $(STATIC) $(DESTDIR)$(LIBDIR)/$(STATIC)
	install -m 0644 $(PC) $(DESTDIR)$(PKGCONFIGDIR)/$(PC)
	@# A real install (no DESTDIR) by root: refresh the loader's cache.
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ] && command -v ldconfig >/dev/null; then \
		echo ldconfig; ldconfig; fi

clean:
	rm -f src/*.o src/*.d $(SHARED) $(SONAME) $(LIBNAME).so $(STATIC) $(PC) $(PC).tmp \
		$(TESTS) $(TEST_HELPERS)

.PHONY: FORCE all tests run-tests print-tests print-helpers install-lib clean

-include $(OBJS:.o=.d)
