#!/usr/bin/env python3
"""Checks sparrow_json's float formatting against Swift's own `description`.

Compiles a tiny Swift program with `swiftc`, feeds it float bit patterns and compares every line with
format_float16/32/64: all 65536 float16 values, and for float32 and float64 the edge cases (zeros,
subnormals, min/max, powers of two and ten and their neighbours, the 2^24 / 2^53 bounds, 1e-4
boundary) plus seeded random bit patterns. NaN and infinities are left out: Swift prints `nan`/`inf`
there and Sparrow the JSON strings "NaN"/"Infinity".

    check_float_format.py [--random N] [--swiftc PATH]

Exits 1 and prints the first differences when any value formats differently.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sparrow_json  # noqa: E402

SWIFT_SOURCE = r"""
while let line = readLine() {
    let parts = line.split(separator: " ")
    let bits = UInt64(parts[1], radix: 16)!
    switch parts[0] {
    case "h": print(Float16(bitPattern: UInt16(bits)).description)
    case "f": print(Float(bitPattern: UInt32(bits)).description)
    default: print(Double(bitPattern: bits).description)
    }
}
"""


def _neighbours32(x: float) -> list[int]:
    b = struct.unpack("<I", struct.pack("<f", x))[0]
    return [b + d for d in (-2, -1, 0, 1, 2) if 0 <= b + d < 2 ** 32]


def _neighbours64(x: float) -> list[int]:
    b = struct.unpack("<Q", struct.pack("<d", x))[0]
    return [b + d for d in (-2, -1, 0, 1, 2) if 0 <= b + d < 2 ** 64]


def inputs(random_count: int) -> list[tuple[str, int]]:
    rng = random.Random(20240131)
    cases: list[tuple[str, int]] = [("h", b) for b in range(2 ** 16)]
    f32: set[int] = set()
    f64: set[int] = set()
    for e in range(-149, 128):
        f32.update(_neighbours32(2.0 ** e))
    for e in range(-45, 39):
        try:
            f32.update(_neighbours32(float(np.float32(10.0 ** e))))
        except OverflowError:
            pass
    for e in range(-1074, 1024):
        f64.update(_neighbours64(2.0 ** e))
    for e in range(-323, 309):
        f64.update(_neighbours64(float(f"1e{e}")))
    for x in (0.1, 0.2, 0.3, 1 / 3, 123.456, 9.1e15, 9.999e-5, 1e-4, 1.5e16, 3.4028235e38, 1.17549435e-38):
        f32.update(_neighbours32(float(np.float32(x))))
        f64.update(_neighbours64(x))
    for n in range(2 ** 24 - 20, 2 ** 24 + 40, 1):
        f32.update(_neighbours32(float(np.float32(n))))
    for n in range(2 ** 53 - 20, 2 ** 53 + 40, 1):
        f64.update(_neighbours64(float(n)))
    for _ in range(random_count):
        f32.add(rng.getrandbits(32))
        f64.add(rng.getrandbits(64))
        # Values of ordinary magnitude, where the decimal layout matters most.
        f64.add(_neighbours64(rng.uniform(-1e6, 1e6))[2])
        f32.add(_neighbours32(float(np.float32(rng.uniform(-1e6, 1e6))))[2])
    cases += [("f", b) for b in sorted(f32)]
    cases += [("d", b) for b in sorted(f64)]
    return [(k, b) for k, b in cases if not _nan_or_inf(k, b)]


def _nan_or_inf(kind: str, bits: int) -> bool:
    if kind == "h":
        return (bits >> 10) & 0x1F == 0x1F
    if kind == "f":
        return (bits >> 23) & 0xFF == 0xFF
    return (bits >> 52) & 0x7FF == 0x7FF


def ours(kind: str, bits: int) -> str:
    if kind == "h":
        return sparrow_json.format_float16(np.array(bits, dtype=np.uint16).view(np.float16))
    if kind == "f":
        return sparrow_json.format_float32(np.array(bits, dtype=np.uint32).view(np.float32))
    return sparrow_json.format_float64(struct.unpack("<d", struct.pack("<Q", bits))[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=50_000, help="random bit patterns per width")
    parser.add_argument("--swiftc", default=shutil.which("swiftc") or "swiftc")
    args = parser.parse_args()

    cases = inputs(args.random)
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "main.swift")
        binary = os.path.join(tmp, "floatdesc")
        with open(source, "w") as f:
            f.write(SWIFT_SOURCE)
        subprocess.run([args.swiftc, "-O", source, "-o", binary], check=True)
        feed = "".join(f"{k} {b:x}\n" for k, b in cases)
        swift_lines = subprocess.run([binary], input=feed, capture_output=True, text=True,
                                     check=True).stdout.splitlines()

    if len(swift_lines) != len(cases):
        print(f"swift printed {len(swift_lines)} lines for {len(cases)} inputs")
        return 1
    bad = 0
    for (kind, bits), expected in zip(cases, swift_lines):
        got = ours(kind, bits)
        if got != expected:
            bad += 1
            if bad <= 20:
                print(f"{kind} {bits:#x}: swift {expected!r}, sparrow_json {got!r}")
    counts = {k: sum(1 for c in cases if c[0] == k) for k in "hfd"}
    print(f"checked float16 {counts['h']}, float32 {counts['f']}, float64 {counts['d']} values: "
          f"{len(cases) - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
