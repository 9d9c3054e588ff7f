# libc/malloc.mk: the allocator of issue 8 built for the host (claims C1, C2, C14-C17).
#   $(BUILD)/host/libmemos-malloc.so   libc/malloc.c as an LD_PRELOAD library
#   $(BUILD)/tests/unit/test_malloc    cmocka tests (allocator renamed tm_*)
#   make bench-malloc                  this malloc vs glibc, jemalloc, mimalloc,
#                                      tcmalloc: build/bench/malloc.{md,svg}
#   make bench-malloc-header           what reading a header in free costs
#                                      mimalloc: build/bench-header/malloc.md
# (libc/libc.mk builds the same malloc.c into libc.a for our own programs.)
# Included by the top-level Makefile, which defines BUILD and HOSTCC.

MALLOC_SRCS := libc/malloc.c libc/malloc_sys.c
MALLOC_HDRS := libc/malloc_sys.h libc/include/malloc.h
# -fno-builtin-*: gcc would otherwise turn malloc+memset in calloc into a
# call to calloc, which is us. -iquote: our malloc.h, the host's other headers.
MALLOC_HOST_CFLAGS := -O2 -g -Wall -Wextra -Werror -fPIC -fvisibility=hidden \
	-fno-builtin-malloc -fno-builtin-calloc -fno-builtin-realloc -fno-builtin-free \
	-iquote libc/include
MALLOC_SO := $(BUILD)/host/libmemos-malloc.so
MALLOC_TEST := $(BUILD)/tests/unit/test_malloc
MALLOC_WORKLOADS := $(BUILD)/bench/malloc-workloads

TEST_DEPS  += $(MALLOC_SO)
UNIT_TESTS += $(MALLOC_TEST)

$(MALLOC_SO): $(MALLOC_SRCS) $(MALLOC_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(MALLOC_HOST_CFLAGS) -shared $(MALLOC_SRCS) -o $@

$(MALLOC_TEST): tests/unit/test_malloc.c $(MALLOC_SRCS) $(MALLOC_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(MALLOC_HOST_CFLAGS) -DMALLOC_PREFIX=tm_ -fno-pie -no-pie \
		tests/unit/test_malloc.c $(MALLOC_SRCS) -lcmocka -o $@

$(MALLOC_WORKLOADS): tools/bench-malloc/workloads.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -Wall -Wextra -Werror $< -o $@

.PHONY: bench-malloc bench-malloc-header malloc-preload-test
bench-malloc: $(MALLOC_SO) $(MALLOC_WORKLOADS)
	tools/install-deps.sh libjemalloc2 libmimalloc2.0 libgoogle-perftools4
	python3 tools/bench-malloc/bench.py --so $(MALLOC_SO) \
		--workloads $(MALLOC_WORKLOADS) --out $(BUILD)/bench

# mimalloc with free reading the word in front of the pointer, four ways
# (tools/bench-malloc/header_cost.c), against memos on two workloads.
bench-malloc-header: $(MALLOC_SO) $(MALLOC_WORKLOADS)
	tools/install-deps.sh libmimalloc2.0
	@mkdir -p $(BUILD)/bench-header
	for v in 0 1 2 3; do \
		$(HOSTCC) -O2 -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden \
			-DHEADER_READ=$$v tools/bench-malloc/header_cost.c \
			"$$(dpkg -L libmimalloc2.0 | grep 'libmimalloc\.so\.2$$')" \
			-o $(BUILD)/bench-header/read$$v.so || exit 1; \
	done
	python3 tools/bench-malloc/bench.py --so $(MALLOC_SO) \
		--workloads $(MALLOC_WORKLOADS) --out $(BUILD)/bench-header \
		--only inverse-square,fragmentation --allocators memos,read0,read1,read2,read3 \
		$(foreach v,0 1 2 3,--also read$(v)=$(BUILD)/bench-header/read$(v).so)

malloc-preload-test: $(MALLOC_SO)
	tests/scripts/malloc_preload.sh
