#!/usr/bin/env bash
# The main job from a fresh machine: set up, then the engage report on the bundled sample organisation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup
exec ${PYTHON:-python3} -m engage report --survey examples/data/survey.csv "$@"
