#!/usr/bin/python3
# make-samples.py: regenerates the LAVA job logs here from serial.log (run in this
# directory with Debian python3-yaml): job-2023.yaml, job-2024.yaml, job-cut.yaml.
# Writes LAVA job logs around serial.log the way lava-dispatcher logs them:
# lava_common.log.dump() of {dt, lvl, msg} per entry, device lines as lvl
# target. old=True: LAVA <= 2023.01's ShellLogger (drops \r, escapes '"').
import datetime, re, sys
import yaml

def dump(data):  # lava_common.log.dump, which needs python3-requests to import
    return yaml.dump(data, Dumper=yaml.CDumper, default_flow_style=True, default_style="\"", width=10**6)[:-1]

def entries(serial, old):
    t = datetime.datetime(2024, 5, 1, 10, 0, 0)
    def e(lvl, msg, **kw):
        nonlocal t
        t += datetime.timedelta(milliseconds=37)
        d = {"dt": t.isoformat(), "lvl": lvl, "msg": msg}
        d.update(kw)
        return dump(d)
    out = [
        e("info", "lava-dispatcher, installed at version: 2023.01"),
        e("info", "start: 0 validate"),
        e("info", "Start time: 2024-05-01 10:00:00.000000+00:00 (UTC)"),
        e("info", "start: 1 tftp-deploy (timeout 00:10:00) [common]"),
        e("debug", "downloading http://lab.example/images/hello-world.iso"),
        e("info", "sha256sum of downloaded content: 3f0c4e0e"),
        e("info", "end: 1 tftp-deploy (duration 00:00:02) [common]"),
        e("results", {"definition": "lava", "case": "tftp-deploy", "duration": "2.01", "level": "1", "result": "pass"}),
        e("info", "start: 2 bootloader-action (timeout 00:10:00) [common]"),
        e("debug", "Calling: 'ipmitool' '-H' 'bmc-17' 'chassis' 'power' 'reset'"),
        e("target", "iPXE> "),
        e("input", "dhcp\n"),
        e("target", "Configuring (net0 3c:ec:ef:12:34:56)...... ok"),
        e("input", "sanboot --no-describe http://10.0.0.2/tmp/4711/tftp-deploy-x/kernel/hello-world.iso\n"),
        e("info", "end: 2 bootloader-action (duration 00:01:40) [common]"),
        e("info", "start: 3 lava-test-monitor-retry (timeout 00:05:20) [common]"),
        e("info", "Waiting for start message: SOTEST VERSION 1 BEGIN"),
    ]
    data = serial.replace("\r\n", "\n")
    for line in data.split("\n")[:-1]:
        if old:
            line = line.replace('"', '\\"')
        out.append(e("target", line))
        m = re.match(r'CERTIFY RESULT (\w+) (pass|fail|skip)', line)
        if m:
            out.append(e("debug", "test_case_id: %s" % m.group(1)))
            out.append(e("results", {"definition": "hello-world", "case": m.group(1), "level": "3.1.1", "result": m.group(2)}))
    out.append(e("feedback", "[   0.000] late console noise", ns="common"))
    out.append(e("info", "ok: end string found, lava test monitoring stopped"))
    out.append(e("results", {"definition": "lava", "case": "job", "result": "pass"}))
    return out

serial = open("serial.log").read()
for name, old in (("job-2023.yaml", True), ("job-2024.yaml", False)):
    with open(name, "w") as f:
        for line in entries(serial, old):
            f.write("- " + line + "\n")
# A log cut off mid-entry after the third case (a job still running, a
# download interrupted): what came before still imports.
lines = open("job-2024.yaml").read().split("\n")
cut = next(i for i, l in enumerate(lines) if "reads_rtc_mode fail" in l)
with open("job-cut.yaml", "w") as f:
    f.write("\n".join(lines[:cut + 3]) + "\n" + lines[cut + 3][:40])
