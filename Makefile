# thingform - Terraform/OpenTofu providers in C.
#
#   make            build the four providers into build/
#   make test       install what the tests need, then unit + end-to-end tests
#   make demo       provision a device locally with both CLIs, and connect as it
#   make install    lay out a filesystem mirror both CLIs find (PLUGIN_DIR)
#   make docs       registry-format docs from schema/ into docs/
#   make unit       C unit tests only (SAN=1: with ASan/UBSan, TSAN=1: ThreadSanitizer)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (make fuzz-smoke: a few seconds each)
#   make bench PEERS=dir   ours against the official executables in dir, then the fleet
#                   throughput -> bench/RESULTS.md (BENCH_QUICK=1: a short smoke run, its
#                   report in bench/out/); make bench-micro / bench-fleet run one half
#   make hot-text   re-profile which code the providers run, into provider/hot-text.ld
#   make clean

PROVIDERS := aws tls random http
VERSION   := 0.1.0
HOST      := thingform.local
NAMESPACE := thingform
OS_ARCH   := linux_$(shell dpkg --print-architecture 2>/dev/null || echo amd64)

PLUGIN_DIR ?= $(HOME)/.local/share/terraform/plugins
# Test tools (OpenTofu, the Terraform wrapper, a Python venv) live here, outside the repo.
THINGFORM_CACHE ?= $(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME),$(HOME)/.cache)/thingform
export THINGFORM_CACHE
BUILD      ?= build

PKGS    := grpc libprotobuf-c openssl libcurl jansson msgpack
CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread
DEFS    := -DTHINGFORM_VERSION='"$(VERSION)"' -DTHINGFORM_PROVIDER_NAMESPACE='"$(HOST)/$(NAMESPACE)"'
ifeq ($(SAN),1)
BUILD   := build/san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif
# TSAN=1: ThreadSanitizer (tests/e2e/test_tsan_stress.py runs it).  It
# cannot be combined with ASan, and links dynamically like SAN=1.
ifeq ($(DYNAMIC),1)
BUILD   := build/dynamic
endif
ifeq ($(TSAN),1)
BUILD   := build/tsan
CFLAGS  += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lcrypt -ldl

# The executables link everything but glibc statically: the gRPC stack
# (gRPC, abseil, re2, upb, c-ares), protobuf-c, jansson, msgpack, zlib,
# libstdc++, libgcc and libxcrypt from Debian's archives, and OpenSSL
# and libcurl built by provider/tools/static-libs.sh (it says why not
# Debian's).  The dynamic loader would spend longer on ~50 shared libraries
# than the rest of start-up takes, and each maps pages of its own.  The
# executable's own relocations are packed (DT_RELR).  DYNAMIC=1 (into
# build/dynamic; SAN=1 and TSAN=1 too) compiles against Debian's headers and
# links Debian's shared libraries, OpenSSL and libcurl included.
#
# The static link also replaces gRPC's plugin registry with the server-only
# one in go-shim/grpc_plugins.c (it says why); a shared libgrpc keeps its own.
ifeq ($(DYNAMIC)$(SAN)$(TSAN),)
# Built once per version of the script, outside build/ so that `make clean`
# keeps it (about two minutes on 2 cores).  Every object depends on it: a
# new version of the script is a new directory, and recompiles them all.
STATIC_LIBS := $(THINGFORM_CACHE)/static-libs/$(shell sha256sum provider/tools/static-libs.sh | cut -c1-16)
STATIC_LIBS_BUILT := $(STATIC_LIBS)/lib/libcurl.a
PKG_CFLAGS = -I$(STATIC_LIBS)/include $(shell pkg-config --cflags $(filter-out openssl libcurl,$(PKGS)) 2>/dev/null)
STATIC_OBJ = $(OBJ)/go-shim/grpc_plugins.o
# Our OpenSSL's error strings are loaded when first wanted (provider/core/ossl.c).
DEFS += -DTHINGFORM_STATIC_OPENSSL
SYSTEM_LIBS := -Wl,--push-state,--as-needed -latomic -Wl,--pop-state -ldl -lrt -pthread
LIBS = -Wl,--gc-sections $(STATIC_LIBS_BUILT) -Wl,-Bstatic \
	$(patsubst -lssl,$(STATIC_LIBS)/lib/libssl.a,$(patsubst -lcrypto,$(STATIC_LIBS)/lib/libcrypto.a, \
	$(filter-out $(SYSTEM_LIBS),$(shell pkg-config --static --libs $(filter-out libcurl,$(PKGS)) 2>/dev/null)))) \
	-lcrypt -lstdc++ -Wl,-Bdynamic -static-libgcc -lm -latomic -ldl -pthread \
	-Wl,-z,pack-relative-relocs
# The code that start-up and the RPCs run goes first and side by side: a provider then touches a
# few contiguous MiB of its .text, not pages all over it (provider/hot-text.ld; `make hot-text`
# remakes it from the link map written beside each executable).
HOT_TEXT := provider/hot-text.ld
TEXT_LAYOUT = -Wl,-T,$(HOT_TEXT) -Wl,-Map,$@.map
else
LIBS = $(PKG_LIBS)
endif
CPPFLAGS  += $(DEFS) -I. -Iprovider/core -Igo-shim -I$(GEN)

# Before anything is compiled, every tool, pkg-config module and file the
# build reads must be there (provider/tools/build-inputs names each with its
# Debian package): a missing one is reported with what to install, never as
# make's "No rule to make target".  The goals that install first (test,
# demo) and those that build nothing skip the check: they build in a fresh
# make once the install is done.
NO_BUILD_GOALS := deps test demo clean
ifneq ($(filter-out $(NO_BUILD_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell sh provider/tools/check-build-inputs.sh >&2 && echo ok),ok)
$(error missing build inputs (listed above); run `make deps`)
endif
endif

GEN := $(BUILD)/gen
OBJ := $(BUILD)/obj

# Generated protobuf code: our protos plus the two well-known types they use.
PROTOS      := $(shell find proto -name '*.proto' | sort)
WKT         := google/protobuf/timestamp.proto google/protobuf/empty.proto
PROTO_C     := $(patsubst proto/%.proto,$(GEN)/%.pb-c.c,$(PROTOS)) \
               $(patsubst %.proto,$(GEN)/%.pb-c.c,$(WKT))
PROTO_OBJ   := $(patsubst $(GEN)/%.c,$(OBJ)/gen/%.o,$(PROTO_C))

CORE_SRC    := $(wildcard provider/core/*.c) $(filter-out go-shim/grpc_plugins.c,$(wildcard go-shim/*.c))
CORE_OBJ    := $(patsubst %.c,$(OBJ)/%.o,$(CORE_SRC))
UNIT_SRC    := $(wildcard tests/unit/*.c)
UNIT_OBJ    := $(patsubst %.c,$(OBJ)/%.o,$(UNIT_SRC))

BINS := $(patsubst %,$(BUILD)/terraform-provider-%,$(PROVIDERS))

all: $(BINS)

.PHONY: all test unit e2e deps tools demo install docs bench bench-micro bench-fleet hot-text clean
.SECONDARY:
.DELETE_ON_ERROR:
.SECONDEXPANSION:

# --- code generation -------------------------------------------------------

$(GEN)/%.pb-c.c $(GEN)/%.pb-c.h: proto/%.proto
	@mkdir -p $(GEN)
	protoc-c -Iproto -I/usr/include --c_out=$(GEN) $<

$(GEN)/google/protobuf/%.pb-c.c $(GEN)/google/protobuf/%.pb-c.h: /usr/include/google/protobuf/%.proto
	@mkdir -p $(GEN)
	protoc-c -I/usr/include --c_out=$(GEN) google/protobuf/$*.proto

# Each executable holds its provider's schemas (schema/<name>/**.json) as
# C data: gen-schema parses the files with the core's parser and prints the
# structs, so nothing is parsed at start-up and a bad file fails the build.
$(GEN)/schema_%.c: $$(shell find schema/$$* -name '*.json' | sort) $(BUILD)/gen-schema
	@mkdir -p $(GEN)
	@echo "  GEN     $@"
	@$(BUILD)/gen-schema $* $(filter %.json,$^) > $@

# --- compilation -----------------------------------------------------------

$(OBJ)/gen/%.o: $(GEN)/%.c $(STATIC_LIBS_BUILT)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Wno-error -c $< -o $@

$(OBJ)/%.o: %.c $(PROTO_C) $(STATIC_LIBS_BUILT) | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/schema_%.o: $(GEN)/schema_%.c
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(GEN):
	@mkdir -p $@

# The script is a prerequisite because .SECONDARY (above) lets make skip a
# missing file that has none; when the directory exists the script returns
# at once without touching it.
ifdef STATIC_LIBS
$(STATIC_LIBS_BUILT): provider/tools/static-libs.sh
	@sh provider/tools/static-libs.sh $(STATIC_LIBS)
endif

provider_objs = $(patsubst %.c,$(OBJ)/%.o,$(wildcard provider/$(1)/*.c))

$(BUILD)/terraform-provider-%: $(OBJ)/provider/main.o $$(call provider_objs,$$*) \
		$(OBJ)/schema_%.o $(CORE_OBJ) $(PROTO_OBJ) $(STATIC_OBJ) $(HOT_TEXT)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) $(filter %.o,$^) $(LIBS) $(TEXT_LAYOUT) -o $@

# Unit tests link every resource file, but one provider table and schema
# (random's): those two symbols exist once per executable.
RESOURCE_OBJ := $(filter-out %/provider.o,$(foreach p,$(PROVIDERS),$(call provider_objs,$(p))))
$(BUILD)/unit-tests: $(UNIT_OBJ) $(CORE_OBJ) $(PROTO_OBJ) $(RESOURCE_OBJ) \
		$(OBJ)/provider/random/provider.o $(OBJ)/schema_random.o
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

# --- using it --------------------------------------------------------------

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

install: $(BINS)
	@for p in $(PROVIDERS); do \
		dir="$(PLUGIN_DIR)/$(HOST)/$(NAMESPACE)/$$p/$(VERSION)/$(OS_ARCH)"; \
		mkdir -p "$$dir" && \
		install -s -m 0755 $(BUILD)/terraform-provider-$$p "$$dir/terraform-provider-$${p}_v$(VERSION)" && \
		echo "installed $(HOST)/$(NAMESPACE)/$$p $(VERSION) -> $$dir"; \
	done

# Build-time tools; they link the core for its schema parser.
$(BUILD)/gen-%: $(OBJ)/provider/tools/gen-%.o $(OBJ)/provider/tools/read-file.o $(CORE_OBJ) \
		$(PROTO_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

# Benchmarks that are programs of their own (the others are scripts in bench/).
$(BUILD)/tls-keygen: $(OBJ)/bench/tls_keygen.o $(filter $(OBJ)/provider/tls/%,$(RESOURCE_OBJ)) \
		$(CORE_OBJ) $(PROTO_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

# make bench PEERS=dir: bench/micro.py builds, installs into $(BENCH_OUT)/plugins, measures ours against
# the official terraform-provider-<name>_v<version> executables in PEERS (never built here), and writes
# $(BENCH_OUT)/micro.json, bench/RESULTS.md and bench/cost-vs-n.png.  PEER_COMMITS=name=sha,... names
# commits a peer executable does not record.  The measurements must not share the CPUs with each other.
BENCH_OUT ?= bench/out
BENCH_PY   = $(THINGFORM_CACHE)/venv/bin/python

# The harness's two helpers, bench/rusage.c and bench/stopwatch.c: libc only.
$(BUILD)/bench-%: bench/%.c
	@mkdir -p $(BUILD)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $< -o $@

bench-micro:
	@test -x $(BENCH_PY) || { echo "make bench: no venv at $(BENCH_PY); run make deps" >&2; exit 1; }
	$(BENCH_PY) bench/micro.py --peers "$(PEERS)" --peer-commits "$(PEER_COMMITS)" --out "$(BENCH_OUT)" \
		$(if $(BENCH_QUICK),--quick)

# Fleet throughput (bench/fleet/fleet.py): examples/iot-device x FLEET_N through a throttling proxy in
# front of moto, apply and destroy at each FLEET_PARALLELISM, with FLEET_CLIS; writes $(BENCH_OUT)/fleet.md
# (a section of bench/RESULTS.md) and $(BENCH_OUT)/fleet.json.  FLEET_QUOTA_SCALE scales the quotas.
# examples/iot-device x 500 (the issue-12 target) in one root module does not finish with Terraform: its
# local backend re-serializes and rewrites the whole state after every resource instance, so one apply's
# CLI CPU grows with the square of the devices (49 s at 100, 203 s at 200; at 500 the first IoT create
# came after 6 minutes; bench/fleet/scaling.md).  fleet.py splits more than FLEET_SHARD_SIZE devices
# into root modules (state files) of at most that many, applied together against the same proxy:
# FLEET_N=500 runs 5 x 100, about 22 minutes at -parallelism 10 and 50 on the 2-core machine.
# BENCH_QUICK=1 runs 10 at one parallelism.
FLEET_N           ?= $(if $(BENCH_QUICK),10,500)
FLEET_SHARD_SIZE  ?= 100
FLEET_PARALLELISM ?= $(if $(BENCH_QUICK),10,10 50)
FLEET_CLIS        ?= terraform
FLEET_QUOTA_SCALE ?= 1
bench-fleet: all
	$(BENCH_PY) bench/fleet/fleet.py $(BENCH_OUT) --devices $(FLEET_N) --shard-size $(FLEET_SHARD_SIZE) \
		--parallelism "$(FLEET_PARALLELISM)" --clis "$(FLEET_CLIS)" --quota-scale $(FLEET_QUOTA_SCALE)

# One measurement at a time, never two sharing the CPUs (hence no prerequisites: -j would overlap them).
bench:
	$(MAKE) bench-micro
	$(MAKE) bench-fleet
	$(BENCH_PY) bench/report.py --out "$(BENCH_OUT)"

# provider/hot-text.ld from a profile of the main job and the benchmarks' resources (bench/hot_text.py).
hot-text:
	$(BENCH_PY) bench/hot_text.py

docs: $(BUILD)/gen-docs
	@for p in $(PROVIDERS); do $(BUILD)/gen-docs docs/$$p $$p || exit 1; done

deps:
	bash tests/tools/install.sh

e2e: all
	$(THINGFORM_CACHE)/venv/bin/python -m pytest tests/e2e

# Install, then build in fresh make runs: make reads the disk once, before
# the install would have changed it.
test: deps
	$(MAKE) all unit
	$(MAKE) unit SAN=1
	$(MAKE) fuzz-smoke
	$(MAKE) e2e

demo: deps
	$(MAKE) all
	bash examples/run.sh

clean:
	rm -rf build docs

# --- fuzzing (tests/fuzz/fuzz.mk: make fuzz, make fuzz-smoke) -------------------

include tests/fuzz/fuzz.mk
