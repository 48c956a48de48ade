#!/usr/bin/env bash
# Sets up everything the test suite needs (build tools, the loopback build hosts and registry) and runs
# every test. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/testenv.sh up
mvn -B -ntp verify
