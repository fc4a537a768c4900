#!/usr/bin/env bash
# Every test of engage, from a fresh machine: set-up, C++ tests (Debug with warnings as errors, then under
# address and undefined-behaviour sanitizers, then each libFuzzer harness for 5 s), the consumer project against the installed CMake package, and
# the Python tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

bash .ci/setup

echo "== C++ tests (dev preset)"
cmake --workflow --preset dev

echo "== C++ tests (asan preset)"
cmake --workflow --preset asan

echo "== fuzzing (libFuzzer, ASan+UBSan, 5 s per entry point)"
bash tests/fuzz/run.sh 5

echo "== consumer project against the installed package"
rm -rf build/install build/consumer
cmake --install build/dev --prefix build/install >/dev/null
cmake -S tests/consumer -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build/install" >/dev/null
cmake --build build/consumer >/dev/null
./build/consumer/app

echo "== type check: mypy --strict on the package (versions pinned in .ci/setup)"
$PY -m mypy --strict python/engage

echo "== Python tests (including the HTML report in headless Chromium and the examples/tour.ipynb run)"
$PY -m pytest tests/python
