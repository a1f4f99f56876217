#!/usr/bin/env bash
# The call tests against the compose stack, run from the Docker host in the
# repository's folder: the steps of run-calltests.sh where each can run.
#   1. prepare, on the host: fresh subscribers imported and the spoken code
#      rendered through the ivr-app container (docker-compose exec);
#   2. calls, in the sipp container (the address Asterisk's test endpoint
#      admits), which reads and writes the same folder, sipp/results/latest;
#   3. check, on the host: calltest-check in the ivr-app container reads the
#      manifest and the stack's database.
# Usage: sipp/calltest-compose.sh [SCENARIO...]   (the test endpoint must be
# open: SIPP_TEST_ADDRESSES=172.28.0.30 docker-compose up -d asterisk)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.." || exit 2
export CALLTEST_APP="docker-compose exec -T ivr-app java -jar /opt/ivr-app/ivr-app.jar"
export CALLTEST_RESULTS_DIR="$here/results/latest"
"$here/run-calltests.sh" prepare "$@" || exit 2
docker-compose --profile calltest run --rm sipp calls 172.28.0.10:5060
"$here/run-calltests.sh" check
