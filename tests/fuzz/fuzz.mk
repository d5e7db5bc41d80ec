# tests/fuzz/fuzz.mk: libFuzzer targets, one per parser (make fuzz).
# Built with clang against the sources directly (not libpdcore, which is
# compiled by the configured compiler).  FUZZ_SECONDS per target.
CLANG ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 \
	-I$(top_srcdir)/src -I$(top_srcdir)/perditiondb -I. -include config.h
CORE_SRCS = $(filter-out $(top_srcdir)/src/main.c,$(wildcard $(top_srcdir)/src/*.c))
FUZZ_LIBS = -lssl -lcrypto -lpam -ldl

all: $(TARGETS:%=tests/fuzz/%_fuzzer)
	@for t in $(TARGETS); do \
		mkdir -p tests/fuzz/corpus-$$t; \
		echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
		./tests/fuzz/$${t}_fuzzer -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
			$$( [ -f $(top_srcdir)/tests/fuzz/$$t.dict ] && echo -dict=$(top_srcdir)/tests/fuzz/$$t.dict ) \
			tests/fuzz/corpus-$$t >tests/fuzz/$$t.log 2>&1 || { tail -40 tests/fuzz/$$t.log; exit 1; }; \
		tail -1 tests/fuzz/$$t.log; \
	done

tests/fuzz/%_fuzzer: $(top_srcdir)/tests/fuzz/%_fuzzer.c $(CORE_SRCS)
	@mkdir -p tests/fuzz
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(CORE_SRCS) $(FUZZ_LIBS)

.PHONY: all
