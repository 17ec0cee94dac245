# tests/fuzz/fuzz.mk - the libFuzzer targets (included by the Makefile).
#
#   make fuzz         every target for FUZZ_SECONDS (default 60) each, starting from its saved corpus,
#                     then a table of executions, coverage and corpus size per target
#   make fuzz-merge   adds what `make fuzz` found that covers something new to the saved corpora
#                     (minimised by libFuzzer's -merge=1), for committing
#   make fuzz-smoke   every target over its saved corpus (the regression cases), then
#                     FUZZ_SMOKE_SECONDS (default 5) of fuzzing; what `make test` runs
#   make fuzz FUZZ_TARGETS=fuzz_arn    one target only
#
# tests/fuzz/fuzz_<name>.c is a target; tests/fuzz/corpus/fuzz_<name>/ its seeds and every input
# that once crashed it.  The targets are built by clang with -fsanitize=fuzzer,address,undefined
# in build/fuzz, by a make of their own that compiles the providers' objects there (SAN=1 adds
# ASan/UBSan, CFLAGS libFuzzer's coverage) and links them dynamically.  clang and its libFuzzer
# runtime are Debian packages that `make deps` installs.  What fuzzing finds that is new goes to
# build/fuzz/corpus/<target>/ (copy an input worth keeping into the saved corpus), a crash to
# build/fuzz/crashes/.

FUZZ_BUILD         := build/fuzz
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_TARGETS       ?= $(sort $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_CFLAGS        := -O1 -g -fsanitize=fuzzer-no-link

.PHONY: fuzz fuzz-smoke fuzz-merge fuzz-build fuzz-targets

# Every object the unit tests link (random's provider table and schema), plus the target's.
$(BUILD)/fuzz_%: $(OBJ)/tests/fuzz/fuzz_%.o $(OBJ)/tests/fuzz/common.o $(CORE_OBJ) $(PROTO_OBJ) \
		$(RESOURCE_OBJ) $(OBJ)/provider/random/provider.o $(OBJ)/schema_random.o
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -fsanitize=fuzzer $^ $(LIBS) -o $@

fuzz-targets: $(addprefix $(BUILD)/,$(FUZZ_TARGETS))
	@:

fuzz-build:
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }\n' | \
		$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -x c - -o /dev/null 2>/dev/null || { \
		echo "fuzz: $(FUZZ_CC) with libFuzzer is missing; run \`make deps\` (Debian: clang, libclang-rt-14-dev)" >&2; \
		exit 1; }
	@CFLAGS='$(FUZZ_CFLAGS)' $(MAKE) --no-print-directory SAN=1 CC=$(FUZZ_CC) BUILD=$(FUZZ_BUILD) fuzz-targets

# fuzz_run: target, seconds, scratch corpus.  Fails on the first crash, leak or sanitizer report.
fuzz_run = mkdir -p $(FUZZ_BUILD)/$(3)/$(1) $(FUZZ_BUILD)/crashes tests/fuzz/corpus/$(1) && \
	$(FUZZ_BUILD)/$(1) -max_total_time=$(2) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_BUILD)/crashes/$(1)- \
		$(FUZZ_BUILD)/$(3)/$(1) tests/fuzz/corpus/$(1)
# fuzz_logged: the same, its output in build/fuzz/<target>.log, whose tail is shown when it fails.
fuzz_logged = { $(call fuzz_run,$(1),$(2),$(3)) > $(FUZZ_BUILD)/$(1).log 2>&1 || \
	{ tail -n 60 $(FUZZ_BUILD)/$(1).log; exit 1; }; }

fuzz: fuzz-build
	@set -e; $(foreach t,$(FUZZ_TARGETS),echo "== $(t) ($(FUZZ_SECONDS)s)"; \
		$(call fuzz_logged,$(t),$(FUZZ_SECONDS),corpus); grep -E '^#[0-9]+[[:space:]]+DONE' $(FUZZ_BUILD)/$(t).log;)
	@tests/fuzz/summarize $(FUZZ_BUILD) $(FUZZ_TARGETS)

fuzz-merge: fuzz-build
	@set -e; $(foreach t,$(FUZZ_TARGETS),[ ! -d $(FUZZ_BUILD)/corpus/$(t) ] || \
		$(FUZZ_BUILD)/$(t) -merge=1 tests/fuzz/corpus/$(t) $(FUZZ_BUILD)/corpus/$(t) 2>&1 | grep -E '^MERGE-OUTER: [0-9]+ new files';)

fuzz-smoke: fuzz-build
	@set -e; rm -rf $(FUZZ_BUILD)/smoke; \
	$(foreach t,$(FUZZ_TARGETS),echo "== $(t) ($(FUZZ_SMOKE_SECONDS)s)"; \
		$(call fuzz_logged,$(t),$(FUZZ_SMOKE_SECONDS),smoke);)
	@echo "fuzz-smoke: $(words $(FUZZ_TARGETS)) targets, no crash"
