#!/usr/bin/python3
"""lava_validate.py: checks LAVA job definitions written by `certify lava-job`
with LAVA's own job schema (Debian package lava-common) and plays the jobs'
test monitors over a serial log the way lava-dispatcher does (regular
expressions on the device output). Exit 77 (ctest SKIP) without lava-common.

usage: lava_validate.py SERIAL.LOG JOB.yaml...
"""
import re
import sys

try:
    import yaml
    from lava_common.schemas import validate
except ImportError as exc:
    print("SKIP: LAVA's job schema is not installed (Debian: lava-common): %s" % exc)
    sys.exit(77)


def monitor_results(monitor, serial):
    """What lava-dispatcher's TestMonitorAction records: after the start
    string, each pattern match until the end string."""
    start = re.search(monitor["start"], serial)
    if not start:
        return None, "start string %r not found" % monitor["start"]
    rest = serial[start.end():]
    end = re.search(monitor["end"], rest)
    if not end:
        return None, "end string %r not found" % monitor["end"]
    found = []
    for m in re.finditer(monitor["pattern"], rest[: end.start()]):
        g = m.groupdict()
        result = (monitor.get("fixupdict") or {}).get(g["result"], g["result"])
        found.append((g["test_case_id"], result))
    return found, None


def main():
    serial = open(sys.argv[1], encoding="utf-8").read().replace("\r\n", "\n")
    expected = re.findall(r"^CERTIFY RESULT (\w+) (pass|fail|skip)", serial, re.M)
    failures = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            job = yaml.safe_load(f)
        try:
            validate(job, strict=True)
        except Exception as exc:  # voluptuous.Invalid and its kinds
            print("FAIL: %s does not match LAVA's job schema: %s" % (path, exc))
            failures += 1
            continue
        tests = [a["test"] for a in job["actions"] if "test" in a]
        monitors = [m for t in tests for m in t.get("monitors", [])]
        if len(monitors) != 1:
            print("FAIL: %s: wanted one test monitor, found %d" % (path, len(monitors)))
            failures += 1
            continue
        found, why = monitor_results(monitors[0], serial)
        if why:
            print("FAIL: %s: %s" % (path, why))
            failures += 1
        elif found != expected:
            print("FAIL: %s: the monitor found %s, the log has %s" % (path, found, expected))
            failures += 1
        else:
            print("ok: %s (%d results)" % (path, len(found)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
