#!/usr/bin/env bash
# Prints the protocol skeleton of a log: what a boot test compares. Of the
# facts: the boot protocol, and whether ACPI discovery found the MADT, the
# FADT and \_S5 (every VMM and firmware the tests boot has all three).
tr -d '\r' <"$1" |
    grep -aE '^(SOTEST |test case: |- skipping |CERTIFY RESULT |CERTIFY FACT (boot\.protocol|acpi\.madt|acpi\.fadt|acpi\.s5)=|CERTIFY CMDLINE-ERROR )' |
    grep -av '^SOTEST BENCHMARK:' |
    sed -E 's/ ms=[0-9]+//; s/ msg=.*$//'
