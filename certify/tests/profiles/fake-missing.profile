# fake-missing: a VMM that is not installed, to test "unavailable" (exit 77).
description = a VMM binary that does not exist
binary = /nonexistent/certify-test-vmm
args = {kernel}
