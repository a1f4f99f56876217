#!/usr/bin/env bash
# Exercises the call scenarios and run-calltests.sh without Asterisk: on the
# loopback interface, a SIPp stand-in for the hotline (mock-hotline.xml)
# answers the calls and rtp-sink.py receives their RTP. Checks that
#   - run-calltests.sh passes every scenario against a hotline that behaves,
#   - the keys and the speech each scenario sends arrive as RFC 4733 events
#     and G.711 RTP,
#   - a hotline that hangs up too early makes the scenarios fail,
#   - a call the hotline recorded with another outcome, or did not record,
#     makes its scenario fail though its signalling passed.
# The hotline's records come from stand-in-app.sh (CALLTEST_APP), which
# answers the jar's commands without a database.
# The waits are shortened (a few hundred milliseconds). Needs root (or
# CAP_NET_RAW) like the real call tests, sipp and python3.
#
# Usage: selftest.sh            (takes about five minutes)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sipp_dir="$(dirname "$here")"
work="$(mktemp -d)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

SIP_PORT=15990
RTP_PORT=17100
passes=0
failures=0
check() { # description condition...
  local what=$1
  shift
  if "$@"; then
    echo "ok   - $what"
    passes=$((passes + 1))
  else
    echo "FAIL - $what"
    failures=$((failures + 1))
  fi
}

export CALLTEST_MENU_MS=300 CALLTEST_GREETING_MS=500 CALLTEST_SPOKEN_GREETING_MS=500 CALLTEST_RESULT_GUARD_MS=1000 \
       CALLTEST_WRONG_GUARD_MS=1000 CALLTEST_HANGUP_GREETING_MS=500 CALLTEST_READOUT_MS=800 \
       CALLTEST_SPEECH_EXTRA_MS=500 \
       CALLTEST_LOAD_CALLS=4 CALLTEST_LOAD_CONCURRENT=3 CALLTEST_LOAD_RATE=4 \
       CALLTEST_LOCAL_IP=127.0.0.1 CALLTEST_MEDIA_PORT=16600 CALLTEST_CHECK_WAIT=0 \
       CALLTEST_APP="$here/stand-in-app.sh"
unset CALLTEST_SCENARIOS CALLTEST_METRICS_URL STANDIN_WRONG_OUTCOME STANDIN_NOT_RECORDED

json() { # file key
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# --- 1. the whole run against a hotline that behaves ---------------------------
# The stand-in answers the caller's BYE, or hangs up itself 20 s after the
# answer: later than any scenario waits before it expects the hotline's BYE.
calls=$((6 + CALLTEST_LOAD_CALLS))
python3 "$here/rtp-sink.py" --port "$RTP_PORT" --seconds 150 --json-out "$work/sink-all.json" &
sink=$!
pids+=("$sink")
sipp -sf "$here/mock-hotline.xml" -i 127.0.0.1 -p "$SIP_PORT" -mp 16500 -m "$calls" -nostdin \
     -set rtp_port "$RTP_PORT" -trace_err -error_file "$work/mock-errors.log" > "$work/mock.out" 2>&1 &
mock=$!
pids+=("$mock")
sleep 0.5
CALLTEST_RESULTS_DIR="$work/results" "$sipp_dir/run-calltests.sh" "127.0.0.1:$SIP_PORT" > "$work/run.out" 2>&1
run_rc=$?
sed -e 's/^/     | /' "$work/run.out"
check "run-calltests.sh passes every scenario against a well-behaved hotline" test "$run_rc" -eq 0
check "the summary counts 7 passed scenarios" grep -qx '7 passed, 0 failed' "$work/run.out"
wait "$mock"
check "the stand-in hotline saw every call end properly" test $? -eq 0
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null

# --- 2. what one call sends ------------------------------------------------------
# rtp-sink.py only writes its summary when its time ends: run it for exactly the call.
one_call() { # scenario expected-keys (CODE stands for the call's code) sink-seconds
  local scenario=$1 keys=$2 seconds=$3 code
  python3 "$here/rtp-sink.py" --port "$RTP_PORT" --seconds "$seconds" --json-out "$work/sink-$scenario.json" &
  local sink=$!
  sipp -sf "$here/mock-hotline.xml" -i 127.0.0.1 -p "$SIP_PORT" -mp 16500 -m 1 -nostdin \
       -set rtp_port "$RTP_PORT" > "$work/mock-$scenario.out" 2>&1 &
  local mock=$!
  pids+=("$sink" "$mock")
  sleep 0.5
  CALLTEST_RESULTS_DIR="$work/results-$scenario" "$sipp_dir/run-calltests.sh" "127.0.0.1:$SIP_PORT" "$scenario" \
    > "$work/run-$scenario.out" 2>&1
  local rc=$?
  wait "$mock"
  wait "$sink"
  check "$scenario: the call passes" test "$rc" -eq 0
  code=$(sed -n '2s/^[^;]*;\([0-9]*\);$/\1/p' "$work/results-$scenario/$scenario.csv")
  keys=${keys//CODE/$code}
  keys=${keys//FIVE/${code:0:5}}
  check "$scenario: the hotline received the keys '$keys'" \
    test "$(json "$work/sink-$scenario.json" keys)" = "$keys"
}
one_call keypad-happy "8CODE#" 26
one_call hangup-greeting "8" 6
one_call hangup-code-entry "8FIVE" 10
one_call spoken-code "91" 38
spoken_packets=$(python3 -c 'import os, sys; print((os.path.getsize(sys.argv[1]) - 24) // (16 + 14 + 20 + 8 + 12 + 160))' \
  "$sipp_dir/media/spoken-code.pcap")
check "spoken-code: all $spoken_packets RTP packets of the spoken code arrived as G.711 u-law" \
  test "$(json "$work/sink-spoken-code.json" ulaw_packets)" = "$spoken_packets"

# --- 3. a hotline that hangs up too early must fail the scenarios ------------------
early() { # scenario hang-up-after-ms
  local scenario=$1
  sipp -sf "$here/mock-hotline-hangs-up.xml" -i 127.0.0.1 -p "$SIP_PORT" -mp 16500 -m 1 -nostdin \
       -set rtp_port "$RTP_PORT" -set hangup_ms "$2" > "$work/mock-early-$scenario.out" 2>&1 &
  local mock=$!
  pids+=("$mock")
  sleep 0.5
  CALLTEST_RESULTS_DIR="$work/results-early-$scenario" "$sipp_dir/run-calltests.sh" "127.0.0.1:$SIP_PORT" "$scenario" \
    > "$work/run-early-$scenario.out" 2>&1
  local rc=$?
  wait "$mock"
  check "$scenario: fails when the hotline hangs up after ${2} ms" test "$rc" -ne 0
}
early keypad-happy 5000
early wrong-number 2500
early hangup-greeting 600
early hangup-password 3000

# --- 4. what the hotline recorded decides -------------------------------------------
recorded() { # scenario variable description
  local scenario=$1
  sipp -sf "$here/mock-hotline.xml" -i 127.0.0.1 -p "$SIP_PORT" -mp 16500 -m 1 -nostdin \
       -set rtp_port "$RTP_PORT" > "$work/mock-recorded-$scenario.out" 2>&1 &
  local mock=$!
  pids+=("$mock")
  sleep 0.5
  env "$2=$scenario" CALLTEST_RESULTS_DIR="$work/results-recorded-$scenario" \
    "$sipp_dir/run-calltests.sh" "127.0.0.1:$SIP_PORT" "$scenario" > "$work/run-recorded-$scenario.out" 2>&1
  local rc=$?
  wait "$mock"
  check "$scenario: fails when $3, though its signalling passed" test "$rc" -ne 0
  check "$scenario: the summary names it FAIL with signalling PASS" \
    grep -qE "^   $scenario +FAIL +signalling PASS" "$work/run-recorded-$scenario.out"
}
recorded keypad-happy STANDIN_WRONG_OUTCOME "the hotline recorded another outcome"
recorded hangup-password STANDIN_NOT_RECORDED "the hotline recorded no call"

echo "selftest: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
