#!/usr/bin/env python3
"""Keeps docs/COMPATIBILITY.md's particle-api-js method map true.

The map (between the api-js-map markers) has one row per particle-api-js 12 method:
its libparticle calls, what particle-sim does, and the interop files that drive it.
A second block (between the libparticle-only markers) lists the calls that take a
particle_client and map to no particle-api-js method. This test fails when:
  - the map does not have exactly 116 distinct methods;
  - a call named in either block is not exported by the shared library;
  - a public call (a function of include/particle/*.h that takes a particle_client) is in
    neither block, or in both;
  - a row's interop column differs from the set of tests/interop/*.test.js files that call
    `<client>.<method>(`, or an interop file calls `api.<x>(` for an x the map does not have.

Usage: compat_map.py SOURCE_DIR LIBPARTICLE_SO
"""
import glob
import os
import re
import subprocess
import sys

METHOD_COUNT = 116  # particle-api-js 12.0.3 endpoint methods (reference §2.1-2.11)


def block(text, name):
    m = re.search(r"<!-- %s:begin[^>]*-->(.*?)<!-- %s:end -->" % (name, name), text, re.S)
    if not m:
        sys.exit("docs/COMPATIBILITY.md has no %s block" % name)
    return m.group(1)


def map_rows(text):
    rows = {}
    for line in block(text, "api-js-map").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        method = cells[0].strip("`")
        if method in rows:
            sys.exit("method %s has two rows" % method)
        calls = set(re.findall(r"`(particle_\w+)`", cells[1]))
        tests = set() if cells[3] == "—" else {t.strip() for t in cells[3].split(",")}
        rows[method] = (calls, cells[2], tests)
    return rows


def only_calls(text):
    return set(re.findall(r"`(particle_\w+)`", block(text, "libparticle-only")))


def public_calls(src):
    calls = set()
    for header in glob.glob(os.path.join(src, "include/particle/*.h")):
        text = open(header, encoding="utf-8").read()
        for m in re.finditer(r"PARTICLE_API\s+[^;{]*?\b(particle_\w+)\s*\(([^;]*?)\)\s*;", text, re.S):
            if re.search(r"\bparticle_client\s*\*", m.group(2)):
                calls.add(m.group(1))
    return calls


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True,
                         text=True).stdout
    return {f[2] for f in (line.split() for line in out.splitlines()) if len(f) == 3 and f[1] == "T"}


def interop_callers(src, methods):
    """Which interop files call each method: `api.x(`, or `<any client>.x(` for a mapped x."""
    callers = {}
    for path in sorted(glob.glob(os.path.join(src, "tests/interop/*.test.js"))):
        text = open(path, encoding="utf-8").read()
        called = set(re.findall(r"\bapi\.(\w+)\(", text))
        called |= {m for m in re.findall(r"\b\w+\.(\w+)\(", text) if m in methods}
        for method in called:
            callers.setdefault(method, set()).add(os.path.basename(path))
    return callers


def main():
    src, lib = sys.argv[1], sys.argv[2]
    text = open(os.path.join(src, "docs/COMPATIBILITY.md"), encoding="utf-8").read()
    rows = map_rows(text)
    only = only_calls(text)
    problems = []
    if len(rows) != METHOD_COUNT:
        problems.append("the map has %d methods, particle-api-js 12 has %d" % (len(rows), METHOD_COUNT))
    mapped = set().union(*(calls for calls, _, _ in rows.values()))
    symbols = exported(lib)
    for call in sorted((mapped | only) - symbols):
        problems.append("%s is named in docs/COMPATIBILITY.md but not exported" % call)
    public = public_calls(src)
    for call in sorted(public - mapped - only):
        problems.append("%s (a public call) is in neither the map nor the libparticle-only list" % call)
    for call in sorted(mapped & only):
        problems.append("%s is in both the map and the libparticle-only list" % call)
    callers = interop_callers(src, set(rows))
    plumbing = {"get", "head", "post", "put", "patch", "delete", "request", "setBaseUrl",
                "setDefaultAuth", "setContext", "deviceUri", "client"}
    for method, (_, sim, tests) in sorted(rows.items()):
        actual = callers.get(method, set())
        if tests != actual:
            problems.append("%s: the map lists interop files %s, the files calling it are %s"
                            % (method, sorted(tests) or "none", sorted(actual) or "none"))
        if sim.startswith("yes") and not actual:
            problems.append("%s: particle-sim answers it but no interop file calls it" % method)
    for method in sorted(set(callers) - set(rows) - plumbing):
        problems.append("tests/interop calls api.%s, which the map does not have" % method)
    for p in problems:
        print("compat map: " + p)
    typed = sum(1 for calls, _, _ in rows.values() if calls)
    simulated = sum(1 for _, sim, _ in rows.values() if sim.startswith("yes"))
    print("compat map: %d methods, %d with a libparticle call, %d answered by particle-sim, "
          "%d libparticle-only calls, %d problems" % (len(rows), typed, simulated, len(only), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
