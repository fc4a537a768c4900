#!/usr/bin/env bash
# The main job from a fresh machine: set up, then the engage report on the bundled sample organisation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup
# With the HRIS file and the wave dates the report adds participation against headcount and the churn section
# (retention by engagement category, drivers, expected leavers per team, held-out quality); with the customer
# outcomes, the employee-customer linkage (team engagement against customer satisfaction in the same and the next
# quarter). Add --format html -o report.html for the page an HR leader reads (docs/report.png shows it).
exec ${PYTHON:-python3} -m engage report --survey examples/data/survey.csv --hris examples/data/hris.csv \
  --customers examples/data/customers.csv --wave-date 1=2024-02-15 --wave-date 2=2024-08-15 "$@"
