# Benchmark (included by the main Makefile). Starts its own kwok cluster in .cluster-bench/ (with an
# apiserver audit log), the operator as a separate process, kro v0.9.4 (built once from the Go module
# proxy into ~/.cache/clockwork/) and a Docker stack; removes all of it afterwards, also on failure.
#   make bench         the full run (< 15 min): prints the table, writes bench/results/<date>.json and latest.json
#   make bench-quick   smaller sizes, fewer repetitions (< 2 min), for development: latest-quick.json
#   BENCH_ARGS='--only chain,peer'  run some scenarios only (docker, chain, peer, scale, churn, memory)
.PHONY: bench bench-quick

bench: setup cluster-build test-images ## benchmark: chain, scale, memory, churn, kro side by side, Docker (writes bench/results/)
	node bench/run.ts $(BENCH_ARGS)

bench-quick: setup cluster-build test-images ## the benchmark's quick mode (< 2 minutes)
	node bench/run.ts --quick $(BENCH_ARGS)
