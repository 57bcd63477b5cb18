# xcheck — plain Makefile (see README). Targets:
#   make            library (static + shared) and build/xcheck
#   make run        install missing packages, build, screen and decide on the bundled sample
#   make test       install missing packages, build, run every test (unit, ASan+UBSan, golden,
#                   fuzz-corpus replay, real list files from ../shared)
#   make bench      benchmarks (bench/), printing figures
#   make fuzz       build the libFuzzer targets (clang)
#   make install    install the CLI, libxcheck.so (SONAME libxcheck.so.MAJOR), libxcheck.a,
#                   include/xcheck.h, xcheck.pc and the sample data under PREFIX (default
#                   /usr/local), staged under DESTDIR when given; make uninstall removes them

CC      ?= cc
PKGS    := icu-uc icu-i18n libxml-2.0 jansson sqlite3 libzip libcurl libmicrohttpd libxxhash
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(CI),true)
WARN    += -Werror
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -fPIC $(WARN) -Iinclude -Isrc -Ibuild/gen $(PKG_CFLAGS) $(CFLAGS)
LIBS    := $(PKG_LIBS) -lpthread -lm

B       := build
LIB_SRC := $(wildcard src/*/*.c)
CLI_SRC := $(wildcard cli/*.c) $(wildcard server/*.c)
TEST_SRC:= $(wildcard tests/unit/test_*.c)
DATA    := $(sort $(wildcard data/text/* data/translit/* data/regimes/*.csv data/lists/*) data/sources.tsv)
GEN_C   := $(B)/gen/xc_data.c
GEN_ID  := $(B)/gen/xc_build_id.c
ID_SRC  := $(sort $(LIB_SRC) $(wildcard src/*/*.h include/*.h) $(DATA))

LIB_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRC)) $(B)/obj/gen/xc_data.o $(B)/obj/gen/xc_build_id.o
CLI_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(CLI_SRC))
TESTS   := $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRC))

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_OBJ := $(patsubst %.c,$(B)/asan/obj/%.o,$(LIB_SRC)) $(B)/asan/obj/gen/xc_data.o $(B)/asan/obj/gen/xc_build_id.o
ASAN_TESTS := $(patsubst tests/unit/%.c,$(B)/asan/tests/%,$(TEST_SRC))

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJ := $(patsubst %.c,$(B)/fuzz/obj/%.o,$(LIB_SRC)) $(B)/fuzz/obj/gen/xc_data.o $(B)/fuzz/obj/gen/xc_build_id.o

.PHONY: all deps run test unit asan golden fuzz fuzz-replay bench clean lib install uninstall pg install-pg
all: lib $(B)/xcheck
lib: $(B)/libxcheck.a $(B)/libxcheck.so

# Shared library versioning: the version is XC_VERSION of include/xcheck.h; the SONAME carries its
# major number (a new major is an incompatible ABI). Only the public xc_ names are exported
# (src/libxcheck.map).
VERSION := $(shell sed -n 's/^\#define XC_VERSION "\([0-9.]*\)".*/\1/p' include/xcheck.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME  := libxcheck.so.$(SOMAJOR)
SOREAL  := libxcheck.so.$(VERSION)

# Installation layout (GNU conventions; DESTDIR stages a package).
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share/xcheck
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL    ?= install
# Refreshes the dynamic linker cache after a real (non-DESTDIR) install as root; LDCONFIG=: skips it.
LDCONFIG   ?= ldconfig

deps:
	@./scripts/install-deps

$(GEN_C): tools/embed_data.py $(DATA)
	@mkdir -p $(dir $@)
	python3 tools/embed_data.py $@ $(DATA)

# The build id changes with any library source or data file (snapshots of another build are
# foreign); the script rewrites the file only when the id changes.
$(GEN_ID): tools/build_id.py $(ID_SRC)
	@mkdir -p $(dir $@)
	@python3 tools/build_id.py $@ $(ID_SRC)

$(B)/obj/gen/xc_build_id.o: $(GEN_ID)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/asan/obj/gen/xc_build_id.o: $(GEN_ID)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c $< -o $@

$(B)/fuzz/obj/gen/xc_build_id.o: $(GEN_ID)
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) $(FUZZ_FLAGS) -c $< -o $@

$(B)/obj/%.o: %.c | $(GEN_C)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/gen/xc_data.o: $(GEN_C)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(B)/libxcheck.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/$(SOREAL): $(LIB_OBJ) src/libxcheck.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/libxcheck.map -Wl,--no-undefined \
	    -o $@ $(LIB_OBJ) $(LIBS)

$(B)/libxcheck.so: $(B)/$(SOREAL)
	ln -sf $(SOREAL) $(B)/$(SONAME)
	ln -sf $(SOREAL) $@

# The pkg-config file names the installation directories, so install writes it for its PREFIX.
PC_SED := -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
    -e 's|@DATADIR@|$(DATADIR)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(PKGS)|'

$(B)/xcheck: $(CLI_OBJ) $(B)/libxcheck.a
	$(CC) -o $@ $(CLI_OBJ) $(B)/libxcheck.a $(LIBS)

$(B)/tests/%: tests/unit/%.c tests/harness.h tests/local_server.h tests/ofac_parity.h $(B)/libxcheck.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(B)/libxcheck.a $(LIBS)

# ASan + UBSan build of the library and unit tests.
$(B)/asan/obj/%.o: %.c | $(GEN_C)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -MMD -MP -c $< -o $@

$(B)/asan/obj/gen/xc_data.o: $(GEN_C)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Wno-missing-prototypes -c $< -o $@

$(B)/asan/libxcheck.a: $(ASAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/asan/tests/%: tests/unit/%.c tests/harness.h tests/local_server.h tests/ofac_parity.h $(B)/asan/libxcheck.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Itests -o $@ $< $(B)/asan/libxcheck.a $(LIBS)

# libFuzzer targets (clang), one per parser; make test replays their corpus.
$(B)/fuzz/obj/%.o: %.c | $(GEN_C)
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) $(FUZZ_FLAGS) -MMD -MP -c $< -o $@

$(B)/fuzz/obj/gen/xc_data.o: $(GEN_C)
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) $(FUZZ_FLAGS) -Wno-missing-prototypes -c $< -o $@

$(B)/fuzz/libxcheck.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/fuzz/%: tests/fuzz/%.c $(B)/fuzz/libxcheck.a
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< $(B)/fuzz/libxcheck.a $(LIBS)

fuzz: $(FUZZ_BIN)

run: deps
	@$(MAKE) --no-print-directory all
	@./scripts/demo

test: deps
	@$(MAKE) --no-print-directory all $(TESTS) $(ASAN_TESTS) $(FUZZ_BIN)
	@./tests/run-all

bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -C bench

# The CLI finds its sample under ../share/xcheck/samples next to its own binary (cli/util.c), so
# DATADIR stays PREFIX/share/xcheck for --sample to work from an installed copy.
install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(DATADIR)/samples $(DESTDIR)$(DATADIR)/examples
	$(INSTALL) -m 755 $(B)/xcheck $(DESTDIR)$(BINDIR)/xcheck
	$(INSTALL) -m 755 $(B)/$(SOREAL) $(DESTDIR)$(LIBDIR)/$(SOREAL)
	ln -sf $(SOREAL) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libxcheck.so
	$(INSTALL) -m 644 $(B)/libxcheck.a $(DESTDIR)$(LIBDIR)/libxcheck.a
	$(INSTALL) -m 644 include/xcheck.h $(DESTDIR)$(INCLUDEDIR)/xcheck.h
	sed $(PC_SED) xcheck.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/xcheck.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/xcheck.pc
	$(INSTALL) -m 644 data/samples/* $(DESTDIR)$(DATADIR)/samples/
	$(INSTALL) -m 644 data/examples/* $(DESTDIR)$(DATADIR)/examples/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v $(LDCONFIG) >/dev/null; then $(LDCONFIG); fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xcheck $(DESTDIR)$(LIBDIR)/$(SOREAL) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	    $(DESTDIR)$(LIBDIR)/libxcheck.so $(DESTDIR)$(LIBDIR)/libxcheck.a \
	    $(DESTDIR)$(INCLUDEDIR)/xcheck.h $(DESTDIR)$(PKGCONFIGDIR)/xcheck.pc
	rm -rf $(DESTDIR)$(DATADIR)
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v $(LDCONFIG) >/dev/null; then $(LDCONFIG); fi

# The PostgreSQL extension (pg/, PGXS; needs postgresql-server-dev): built against build/'s
# shared library; install-pg installs it into the server's directories (docs/sql.md).
pg: lib
	@$(MAKE) --no-print-directory -C pg

install-pg: pg
	@$(MAKE) --no-print-directory -C pg install

clean:
	rm -rf $(B)
	@if command -v pg_config >/dev/null 2>&1 && [ -f "$$(pg_config --pgxs)" ]; then \
	    $(MAKE) --no-print-directory -s -C pg clean; fi

-include $(shell find $(B)/obj $(B)/asan/obj $(B)/fuzz/obj -name '*.d' 2>/dev/null)
