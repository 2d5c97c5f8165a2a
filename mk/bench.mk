# Benchmark (included by the main Makefile). Starts its own kwok cluster in .cluster-bench/ (with an
# apiserver audit log), the operator as a separate process, kro v0.9.4 (built once from the Go module
# proxy into ~/.cache/clockwork/), Docker stacks and docker compose v2.40.3 (built once from its Go module
# through bench/compose/) beside them; removes all of it afterwards, also on failure.
#   make bench         the full run (< 15 min): prints the table, writes bench/results/<date>.json and latest.json
#   make bench-quick   smaller sizes, fewer repetitions (< 2 min), for development: latest-quick.json
#   BENCH_ARGS='--only chain,peer'  run some scenarios only (docker, compose, chain, peer, scale, churn, memory)
.PHONY: bench bench-quick

bench: setup cluster-build test-images ## benchmark: chain, scale, memory, churn, kro side by side, Docker (writes bench/results/)
	node bench/run.ts $(BENCH_ARGS)

bench-quick: setup cluster-build test-images ## the benchmark's quick mode (< 2 minutes)
	node bench/run.ts --quick $(BENCH_ARGS)
