#!/usr/bin/env bash
# Runs the SIPp call scenarios of this folder against the hotline and exits
# non-zero if any call fails or an expected result is missing.
#
# Usage: run-calltests.sh TARGET[:PORT] [SCENARIO...]
#   TARGET     Asterisk's SIP address, e.g. 172.28.0.10:5060 (port 5060 if left out)
#   SCENARIO   names without .xml (default: all, in the order of SCENARIOS below)
#
# What counts: for each scenario, SIPp's exit code must be 0 (it is 0 only if
# every call succeeded), and its statistics file must show exactly the number
# of calls asked for as successful and none failed. A scenario that fails to
# start, stops early or writes no statistics fails too.
#
# The caller must be able to open raw sockets (root or CAP_NET_RAW): SIPp
# sends DTMF (play_dtmf) and the spoken code (play_pcap_audio) through them.
# Asterisk must know this host as the SIPp test endpoint (SIPP_TEST_ADDRESSES).
#
# Environment (all optional):
#   CALLTEST_CALLER          number registered for the code (default 0912345678)
#   CALLTEST_CODE            10-digit BHXH code registered with that number (default 0123456789)
#   CALLTEST_WRONG_CALLER    a number not registered for the code (default 0987654321)
#   CALLTEST_SCENARIOS       scenarios to run, space-separated (default: all)
#   CALLTEST_LOAD_CALLS      load run: calls in all (-m, default 20, at most 500)
#   CALLTEST_LOAD_CONCURRENT load run: calls at once (-l, default 5, at most 90)
#   CALLTEST_LOAD_RATE       load run: new calls per second (-r, default 1)
#   CALLTEST_LOCAL_IP        SIPp's address (-i; default: the host's primary address)
#   CALLTEST_MEDIA_PORT      SIPp's RTP port (-mp, default 6000)
#   CALLTEST_SPEECH_VOICE    espeak-ng voice of the spoken code (default en)
#   CALLTEST_RESULTS_DIR     where statistics and logs go (default results/<UTC time>)
#   CALLTEST_METRICS_URL     ivr-app's /metrics: the samples that changed during
#                            the run are listed at the end (for information)
#   Timings in milliseconds (what the prompts of the application take):
#   CALLTEST_MENU_MS (3000) CALLTEST_GREETING_MS (15000) CALLTEST_RESULT_GUARD_MS (20000)
#   CALLTEST_WRONG_GUARD_MS (5000) CALLTEST_HANGUP_GREETING_MS (3000)
#   CALLTEST_READOUT_MS (8000) CALLTEST_SPEECH_EXTRA_MS (12000) CALLTEST_LOAD_HOLD_MS (8000)
set -uo pipefail

SCENARIOS=(keypad-happy wrong-number hangup-greeting hangup-code-entry hangup-password spoken-code load-keypad)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() {
  echo "run-calltests.sh: $*" >&2
  exit 2
}

[[ $# -ge 1 ]] || die "usage: run-calltests.sh TARGET[:PORT] [SCENARIO...]"
target=$1
shift
[[ "$target" =~ ^[A-Za-z0-9.-]+(:[0-9]{1,5})?$ ]] || die "bad target '$target' (host or IPv4, optionally :port)"
[[ "$target" == *:* ]] || target="$target:5060"

command -v sipp >/dev/null 2>&1 || die "sipp not found: install the Debian package sip-tester"
command -v python3 >/dev/null 2>&1 || die "python3 not found"

caller=${CALLTEST_CALLER:-0912345678}
code=${CALLTEST_CODE:-0123456789}
wrong_caller=${CALLTEST_WRONG_CALLER:-0987654321}
[[ "$caller" =~ ^\+?[0-9]{6,15}$ ]] || die "CALLTEST_CALLER: '$caller' is not a phone number"
[[ "$wrong_caller" =~ ^\+?[0-9]{6,15}$ ]] || die "CALLTEST_WRONG_CALLER: '$wrong_caller' is not a phone number"
[[ "$wrong_caller" != "$caller" ]] || die "CALLTEST_WRONG_CALLER must differ from CALLTEST_CALLER"
[[ "$code" =~ ^[0-9]{10}$ ]] || die "CALLTEST_CODE: '$code' is not a 10-digit code"

number() { # name value min max
  if ! [[ "$2" =~ ^[0-9]{1,9}$ ]] || (( 10#$2 < $3 || 10#$2 > $4 )); then
    die "$1: '$2' is not a number from $3 to $4"
  fi
  printf '%s' "$((10#$2))"
}
load_calls=$(number CALLTEST_LOAD_CALLS "${CALLTEST_LOAD_CALLS:-20}" 1 500) || exit 2
load_concurrent=$(number CALLTEST_LOAD_CONCURRENT "${CALLTEST_LOAD_CONCURRENT:-5}" 1 90) || exit 2
load_rate=$(number CALLTEST_LOAD_RATE "${CALLTEST_LOAD_RATE:-1}" 1 20) || exit 2
media_port=$(number CALLTEST_MEDIA_PORT "${CALLTEST_MEDIA_PORT:-6000}" 1024 65534) || exit 2

# Values of the scenarios' <Global variables>, in milliseconds.
declare -A timing=(
  [menu_ms]=${CALLTEST_MENU_MS:-3000}
  [greeting_ms]=${CALLTEST_GREETING_MS:-15000}
  [result_guard_ms]=${CALLTEST_RESULT_GUARD_MS:-20000}
  [wrong_guard_ms]=${CALLTEST_WRONG_GUARD_MS:-5000}
  [hangup_greeting_ms]=${CALLTEST_HANGUP_GREETING_MS:-3000}
  [readout_ms]=${CALLTEST_READOUT_MS:-8000}
  [load_hold_ms]=${CALLTEST_LOAD_HOLD_MS:-8000}
)
speech_extra=$(number CALLTEST_SPEECH_EXTRA_MS "${CALLTEST_SPEECH_EXTRA_MS:-12000}" 1 600000) || exit 2
for name in "${!timing[@]}"; do
  timing[$name]=$(number "$name" "${timing[$name]}" 1 600000) || exit 2
done

if [[ $# -gt 0 ]]; then
  selected=("$@")
elif [[ -n "${CALLTEST_SCENARIOS:-}" ]]; then
  read -r -a selected <<< "$CALLTEST_SCENARIOS"
else
  selected=("${SCENARIOS[@]}")
fi
for name in "${selected[@]}"; do
  [[ "$name" =~ ^[a-z0-9-]+$ && -f "$here/$name.xml" ]] || die "unknown scenario '$name'"
done

results=${CALLTEST_RESULTS_DIR:-$here/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$results" || die "cannot create $results"
results=$(cd "$results" && pwd)

if [[ $(id -u) -ne 0 ]]; then
  echo "run-calltests.sh: not root: SIPp needs raw sockets (CAP_NET_RAW) for DTMF and speech" >&2
fi

# --- injection files (field0 = caller, field1 = code) ------------------------
printf 'SEQUENTIAL\n%s;%s;\n' "$caller" "$code" > "$results/registered.csv"
printf 'SEQUENTIAL\n%s;%s;\n' "$wrong_caller" "$code" > "$results/wrong-number.csv"
cp "$results/registered.csv" "$results/load.csv"

# --- the spoken code ---------------------------------------------------------
speech_ms=0
if printf '%s\n' "${selected[@]}" | grep -qx spoken-code; then
  speech_len=$(python3 "$here/make-rtp.py" --digits "$code" --voice "${CALLTEST_SPEECH_VOICE:-en}" \
      --out "$here/media/spoken-code.pcap" --wav-out "$results/spoken-code.wav" --print-duration-ms) \
    || die "could not render the spoken code (make-rtp.py; espeak-ng installed?)"
  speech_ms=$((speech_len + speech_extra))
fi
timing[speech_ms]=$speech_ms

metrics_snapshot() { # file
  [[ -n "${CALLTEST_METRICS_URL:-}" ]] || return 0
  python3 - "$CALLTEST_METRICS_URL" "$1" <<'PY' || echo "run-calltests.sh: could not read ${CALLTEST_METRICS_URL}" >&2
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    body = response.read().decode("utf-8", "replace")
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(body)
PY
}

# --- one scenario --------------------------------------------------------------
declare -a summary=()
failures=0

run_scenario() { # name csv calls concurrent rate time-limit-seconds
  local name=$1 csv=$2 calls=$3 concurrent=$4 rate=$5 limit=$6
  local scenario="$here/$name.xml" out="$results/$name"
  local -a sets=() args=()
  local var
  # Pass exactly the <Global variables> the scenario declares: SIPp refuses others.
  for var in $(sed -n 's/.*<Global variables="\([^"]*\)".*/\1/p' "$scenario" | tr ',' ' '); do
    [[ -n "${timing[$var]:-}" && "${timing[$var]}" != 0 ]] || { echo "no value for $var" > "$out.out"; return 1; }
    sets+=(-set "$var" "${timing[$var]}")
  done
  args=(-sf "$scenario" "$target" -inf "$csv" -m "$calls" -l "$concurrent" -r "$rate"
        -mp "$media_port" -nostdin -timeout "${limit}s" -timeout_error
        -trace_stat -stf "$out-stat.csv" -fd 5
        -trace_err -error_file "$out-errors.log"
        -trace_screen -screen_file "$out-screen.log")
  [[ -n "${CALLTEST_LOCAL_IP:-}" ]] && args+=(-i "$CALLTEST_LOCAL_IP")
  echo "== $name: $calls call(s), at most $concurrent at once, limit ${limit}s"
  (cd "$results" && sipp "${args[@]}" "${sets[@]}" > "$out.out" 2>&1)
  local rc=$?
  local counts
  counts=$(python3 - "$out-stat.csv" <<'PY'
import csv, sys
try:
    with open(sys.argv[1], newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, last = rows[0], rows[-1]
    print(last[header.index("SuccessfulCall(C)")], last[header.index("FailedCall(C)")])
except (OSError, IndexError, ValueError):
    print("missing missing")
PY
)
  local ok fail
  read -r ok fail <<< "$counts"
  local verdict=PASS
  if [[ $rc -ne 0 || "$ok" != "$calls" || "$fail" != 0 ]]; then
    verdict=FAIL
  fi
  summary+=("$(printf '%-18s %s  exit=%-3s successful=%s/%s failed=%s' "$name" "$verdict" "$rc" "$ok" "$calls" "$fail")")
  echo "   $verdict (sipp exit $rc, successful $ok of $calls, failed $fail)"
  if [[ $verdict == FAIL ]]; then
    [[ -s "$out-errors.log" ]] && { cat "$out-errors.log"; echo; } | sed -e '/^$/d' -e 's/^/   | /' | tail -n 15
    return 1
  fi
  return 0
}

metrics_snapshot "$results/metrics-before.txt"

for name in "${selected[@]}"; do
  case "$name" in
    wrong-number) csv="$results/wrong-number.csv" ;;
    load-keypad) csv="$results/load.csv" ;;
    *) csv="$results/registered.csv" ;;
  esac
  if [[ "$name" == load-keypad ]]; then
    # All calls started after calls/rate seconds; each lasts at most about
    # menu + greeting + code + hold; plus a margin for set-up and retransmissions.
    per_call=$(( (timing[menu_ms] + timing[greeting_ms] + timing[load_hold_ms] + 7000) / 1000 ))
    limit=$(( load_calls / load_rate + per_call * 2 + 120 ))
    run_scenario "$name" "$csv" "$load_calls" "$load_concurrent" "$load_rate" "$limit" || failures=$((failures + 1))
  else
    run_scenario "$name" "$csv" 1 1 1 300 || failures=$((failures + 1))
  fi
done

metrics_snapshot "$results/metrics-after.txt"
if [[ -s "$results/metrics-before.txt" && -s "$results/metrics-after.txt" ]]; then
  echo "== ivr-app metrics that changed during the run"
  python3 - "$results/metrics-before.txt" "$results/metrics-after.txt" <<'PY'
import sys
def samples(path):
    values = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        name, _, value = line.rstrip("\n").rpartition(" ")
        try:
            values[name] = float(value)
        except ValueError:
            pass
    return values
before, after = samples(sys.argv[1]), samples(sys.argv[2])
for name in sorted(after):
    if name.startswith(("jvm_", "process_", "system_", "executor", "jdbc_", "hikaricp_", "logback_")):
        continue
    delta = after[name] - before.get(name, 0.0)
    if delta:
        print(f"   {name} {delta:+g}")
PY
fi

echo "== summary (results in $results)"
printf '   %s\n' "${summary[@]}"
total=${#selected[@]}
echo "$((total - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
