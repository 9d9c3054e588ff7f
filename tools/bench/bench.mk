# tools/bench/bench.mk: `make bench`, the benchmarks (not tests).
#   make bench         all of the below, each reported even if another fails
#   make bench-faults  the cost of a demand-zero page fault, memos under KVM
#                      against the host's Linux, same static binary; and
#                      memos against Debian's Linux kernel, both under TCG
#                      (BENCH_LINUX=0 skips that Linux guest)
#                      (tools/bench/faults_bench.py; build/bench/faults.md)
#   make bench-swap    swap-out/swap-in throughput against raw sequential I/O
#                      on the same partition, one boot under TCG
#                      (tools/bench/swap_bench.py; build/bench/swap.md)
#   make bench-belady  major faults on loop, hot/cold and scan traces against
#                      Belady's MIN computed offline on the same trace,
#                      memos beside Debian's Linux kernel booted with the
#                      same traces (fetched once by apt-get download;
#                      BELADY_LINUX=0 skips it)
#                      (tools/bench/belady_bench.py; build/bench/belady.md)
# Knobs (environment): FAULTS_RUNS FAULTS_PAGES FAULTS_REPEAT BENCH_MEM BENCH_LINUX;
# SWAP_BENCH_MIB SWAP_BENCH_ROUNDS BENCH_SWAP_MEM; BELADY_MEM BELADY_LINUX; BENCH_ACCEL
# (tcg or kvm, for bench-swap and bench-belady).
# Included by the top-level Makefile.

.PHONY: bench bench-faults bench-swap bench-belady
bench: all
	-$(PYTHON) tools/bench/faults_bench.py
	-$(PYTHON) tools/bench/swap_bench.py
	-$(PYTHON) tools/bench/belady_bench.py

bench-faults: all
	$(PYTHON) tools/bench/faults_bench.py

bench-swap: all
	$(PYTHON) tools/bench/swap_bench.py

bench-belady: all
	$(PYTHON) tools/bench/belady_bench.py
