# tests/fuzz/fuzz.mk: libFuzzer targets, one per parser (make fuzz).
# Built with clang against the sources directly (not libpdcore, which is
# compiled by the configured compiler).  FUZZ_SECONDS per target.  New
# inputs go to tests/fuzz/corpus-<target> of the build directory; the kept
# corpus $(top_srcdir)/tests/fuzz/corpus/<target> seeds each run (merge
# into it: README, Running the tests).
CLANG ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 \
	-I$(top_srcdir)/src -I$(top_srcdir)/perditiondb -I. -include config.h
CORE_SRCS = $(filter-out $(top_srcdir)/src/main.c,$(wildcard $(top_srcdir)/src/*.c))
FUZZ_LIBS = -lssl -lcrypto -lpam -ldl -lseccomp
# Targets for code outside src/: the sources and include paths they add.
MAPLOG_SRCS = $(top_srcdir)/perditiondb/posix_regex/maplog.c
EXTRA_SRCS_sqlmap_opt = $(top_srcdir)/perditiondb/sql/sqlmap.c $(MAPLOG_SRCS)
EXTRA_INCS_sqlmap_opt = -I$(top_srcdir)/perditiondb/sql \
	-I$(top_srcdir)/perditiondb/posix_regex
EXTRA_SRCS_ldap_escape = $(top_srcdir)/perditiondb/ldap/ldapmap_escape.c
EXTRA_INCS_ldap_escape = -I$(top_srcdir)/perditiondb/ldap
EXTRA_SRCS_daemon_packet = $(top_srcdir)/perditiondb/daemon/packet.c
EXTRA_INCS_daemon_packet = -I$(top_srcdir)/perditiondb/daemon

all: $(TARGETS:%=tests/fuzz/%_fuzzer)
	@for t in $(TARGETS); do \
		mkdir -p tests/fuzz/corpus-$$t; \
		echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
		./tests/fuzz/$${t}_fuzzer -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
			$$( [ -f $(top_srcdir)/tests/fuzz/$$t.dict ] && echo -dict=$(top_srcdir)/tests/fuzz/$$t.dict ) \
			tests/fuzz/corpus-$$t \
			$$( [ -d $(top_srcdir)/tests/fuzz/corpus/$$t ] && echo $(top_srcdir)/tests/fuzz/corpus/$$t ) \
			>tests/fuzz/$$t.log 2>&1 || { tail -40 tests/fuzz/$$t.log; exit 1; }; \
		tail -1 tests/fuzz/$$t.log; \
	done

.SECONDEXPANSION:
tests/fuzz/%_fuzzer: $(top_srcdir)/tests/fuzz/%_fuzzer.c $(CORE_SRCS) $$(EXTRA_SRCS_$$*)
	@mkdir -p tests/fuzz
	$(CLANG) $(FUZZ_CFLAGS) $(EXTRA_INCS_$*) -o $@ $< $(CORE_SRCS) \
		$(EXTRA_SRCS_$*) $(FUZZ_LIBS)

.PHONY: all
