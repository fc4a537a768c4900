#!/usr/bin/env python3
"""Writes the seed corpus tests/fuzz/corpus/<harness>/ deterministically (run again to regenerate).

The harnesses decode bytes with FuzzedDataProvider, so any bytes are valid input; the seeds only give libFuzzer
a start of several sizes: all zeros (empty inputs), a short pattern, and pseudo-random inputs of 64, 256 and
1024 bytes from a fixed seed per harness."""
import pathlib
import random

HARNESSES = ["enps", "engagement", "reliability", "agreement", "correlation", "survival", "logistic",
             "model_quality", "meta_analysis", "multiplicity", "confidentiality", "linkage"]

root = pathlib.Path(__file__).resolve().parent / "corpus"
for h in HARNESSES:
    d = root / h
    d.mkdir(parents=True, exist_ok=True)
    for old in d.iterdir():
        old.unlink()
    rng = random.Random(f"engage-fuzz-{h}")
    seeds = {"zeros": bytes(32), "ramp": bytes(range(64))}
    for size in (64, 256, 1024):
        seeds[f"random{size}"] = bytes(rng.getrandbits(8) for _ in range(size))
    for name, data in seeds.items():
        (d / f"seed-{name}").write_bytes(data)
