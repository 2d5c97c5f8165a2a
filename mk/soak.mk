# Soak (included by the main Makefile). Starts its own kwok cluster in .cluster-soak/ (removed
# afterwards), runs the operator as a separate process and prints RSS over time, per-wave
# convergence, reconcile errors and apiserver request counts.
#   make soak                    1,000 Resources, 10% changed + 10% recreated every minute, 10 minutes
#   SOAK_ARGS='--resources 1000 --waves 3 --interval 60'   a shorter run
# `make test` runs a quick version (test/integration/reliability/soak.test.ts).
.PHONY: soak

soak: setup cluster-build ## soak: 1,000 Resources, 10% changed/recreated every minute for 10 minutes; prints RSS and request-rate figures
	node test/soak/soak.ts $(SOAK_ARGS)
