#!/usr/bin/env bash
# dockwatch's one test command (README, .ci/run): prepares the machine (Docker engine, rsyslog,
# the local test image; see test-env.sh), builds the jar and runs every test: fast unit tests
# (Surefire) and real-daemon integration tests (Failsafe, *IT.java).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-env.sh
mvn -B verify "$@"
