# tools/bench/bench.mk: `make bench`, the benchmarks (not tests).
#   make bench   the cost of a demand-zero page fault, memos under KVM
#                against the host's Linux, same static binary
#                (tools/bench/faults_bench.py; figures in build/bench/faults.md)
# Knobs: FAULTS_RUNS FAULTS_PAGES FAULTS_REPEAT BENCH_MEM (environment).
# Included by the top-level Makefile.

.PHONY: bench
bench: all
	$(PYTHON) tools/bench/faults_bench.py
