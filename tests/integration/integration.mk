# Per-domain save and restore against real (patched) xenstored on the
# simulated host: the xsmigrate save/restore commands, end to end.

.PHONY: check-engine
check-engine: xensim $(XSM_CLI)
	@mkdir -p $(BUILD)/check
	XENSIM_BUILD=$(BUILD)/xensim XSM_BIN=$(BUILD)/bin \
		tests/integration/check-engine.sh $(BUILD)/check/engine.counts

CHECK_TARGETS += check-engine
