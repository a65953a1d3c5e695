#!/usr/bin/env bash
# Prints the protocol skeleton of a log: what a boot test compares.
tr -d '\r' <"$1" |
    grep -aE '^(SOTEST |test case: |- skipping |CERTIFY RESULT |CERTIFY FACT boot.protocol=|CERTIFY CMDLINE-ERROR )' |
    grep -av '^SOTEST BENCHMARK:' |
    sed -E 's/ ms=[0-9]+//; s/ msg=.*$//'
