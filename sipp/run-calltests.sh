#!/usr/bin/env bash
# Runs the SIPp call scenarios of this folder against the hotline and judges
# each call by what the hotline recorded for it: outcome, input method, billed
# minutes (and their charge lines), password changed or not. SIPp itself only
# sees signalling, and a call that went wrong still ends with a BYE.
#
# Usage:
#   run-calltests.sh TARGET[:PORT] [SCENARIO...]   the three steps below in one go
#   run-calltests.sh prepare [SCENARIO...]         1. fresh subscribers, spoken code, manifest
#   run-calltests.sh calls TARGET[:PORT]           2. the calls, with SIPp
#   run-calltests.sh check                         3. the verdict
#     TARGET     Asterisk's SIP address, e.g. 127.0.0.1:5060 (port 5060 if left out)
#     SCENARIO   names without .xml (default: all, in the order of SCENARIOS below)
#
# 1. prepare: makes one new subscriber per call (random 10-digit code starting
#    with 00, random 09... number; the wrong-number call also gets a random
#    caller registered for nothing) and imports them with the jar's
#    import-subscribers, so runs never share a code and repeated runs on one
#    day never meet the daily reset limit. Renders the spoken code with the
#    hotline's own English voice (the jar's speak-code, checked against the
#    English model: a code it mishears is replaced by another). Writes the
#    SIPp injection files and manifest.tsv: per call the caller, the code and
#    what the hotline must record (see EXPECTED below).
# 2. calls: runs each prepared scenario with SIPp (-trace_stat); its
#    signalling passes if SIPp exits 0 and its statistics show every call
#    successful. Needs sipp, python3, and raw sockets (root or CAP_NET_RAW)
#    for DTMF and speech. Asterisk must know this host as the SIPp test
#    endpoint (SIPP_TEST_ADDRESSES).
# 3. check: runs the jar's calltest-check on manifest.tsv, which reads the
#    call, charge_line and reset_event rows through the hotline's database
#    settings and prints one line per call. A scenario passes only if its
#    signalling passed and every one of its calls was recorded as expected.
#
# The steps share one results folder; prepare and check run where the jar
# reaches the hotline's database, calls where SIPp reaches Asterisk (in the
# compose stack: on the host, and in the sipp container; see README.md).
#
# Environment:
#   CALLTEST_APP             command that runs the ivr-app jar with the hotline's
#                            database settings (prepare and check), e.g.
#                            "java -jar ivr-app/target/ivr-app.jar" or
#                            "docker-compose exec -T ivr-app java -jar /opt/ivr-app/ivr-app.jar";
#                            it is given its input on standard input
#   CALLTEST_RESULTS_DIR     results folder (default results/<UTC time> for a whole
#                            run, results/latest for the steps)
#   CALLTEST_SCENARIOS       scenarios to run, space-separated (default: all)
#   CALLTEST_LOAD_CALLS      load run: calls in all (-m, default 20, at most 500),
#                            each with its own subscriber
#   CALLTEST_LOAD_CONCURRENT load run: calls at once (-l, default 5, at most 90)
#   CALLTEST_LOAD_RATE       load run: new calls per second (-r, default 1)
#   CALLTEST_LOCAL_IP        SIPp's address (-i; default: the host's primary address)
#   CALLTEST_MEDIA_PORT      SIPp's RTP port (-mp, default 6000)
#   CALLTEST_CHECK_WAIT      seconds the check waits for calls still open (default 30)
#   CALLTEST_METRICS_URL     ivr-app's /metrics: the samples that changed during
#                            the calls are listed (for information)
#   Timings in milliseconds (what the prompts of the application take; the
#   defaults play a brisk caller, who keys or speaks as soon as a prompt ends,
#   so that call lengths measure the hotline, not the test's waiting):
#   CALLTEST_MENU_MS (3000) CALLTEST_GREETING_MS (11000: Vietnamese welcome and
#   code prompt) CALLTEST_SPOKEN_GREETING_MS (6000: English welcome and spoken-code
#   prompt) CALLTEST_RESULT_GUARD_MS (20000) CALLTEST_WRONG_GUARD_MS (5000)
#   CALLTEST_HANGUP_GREETING_MS (3000) CALLTEST_READOUT_MS (3500)
#   CALLTEST_SPEECH_EXTRA_MS (9000: end of the spoken code's capture, which ends
#   in 3 s of silence, to pressing 1: the rest of the silence that ends the
#   recording, recognition and the read-back; 1 is pressed as "press one if
#   correct" plays, which the hotline takes)
set -uo pipefail

SCENARIOS=(keypad-happy wrong-number hangup-greeting hangup-code-entry hangup-password spoken-code load-keypad)

# What the hotline must record for each call of a scenario: outcome, input
# method (alternatives joined by |), billed minutes as a range (a call of
# 1 s to 60 s is one minute, whether minutes are counted as started or
# rounded up), and whether the code's password was changed by that call.
declare -A EXPECTED=(
  [keypad-happy]="password_heard keypad 1-2 changed"
  [wrong-number]="not_verified keypad 1-2 unchanged"
  [hangup-greeting]="hung_up none 1-1 unchanged"
  [hangup-code-entry]="hung_up none|keypad 1-1 unchanged"
  [hangup-password]="hung_up_during_password keypad 1-1 unchanged"
  [spoken-code]="password_heard speech 1-2 changed"
  [load-keypad]="password_heard keypad 1-2 changed"
)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() {
  echo "run-calltests.sh: $*" >&2
  exit 2
}

number() { # name value min max
  if ! [[ "$2" =~ ^[0-9]{1,9}$ ]] || (( 10#$2 < $3 || 10#$2 > $4 )); then
    die "$1: '$2' is not a number from $3 to $4"
  fi
  printf '%s' "$((10#$2))"
}

target_of() { # TARGET[:PORT]
  [[ "$1" =~ ^[A-Za-z0-9.-]+(:[0-9]{1,5})?$ ]] || die "bad target '$1' (host or IPv4, optionally :port)"
  if [[ "$1" == *:* ]]; then printf '%s' "$1"; else printf '%s:5060' "$1"; fi
}

app() { # jar command and its arguments; input on standard input
  [[ -n "${CALLTEST_APP:-}" ]] \
    || die "CALLTEST_APP is not set: the command that runs the ivr-app jar against the hotline's database, e.g. CALLTEST_APP=\"java -jar ivr-app/target/ivr-app.jar\""
  local -a command
  read -r -a command <<< "$CALLTEST_APP"
  "${command[@]}" "$@"
}

# ------------------------------------------------------------------ 1. prepare

random_digits() { # count
  local digits=""
  while [[ ${#digits} -lt $1 ]]; do
    digits+=$(tr -dc '0-9' < /dev/urandom | head -c "$(( $1 - ${#digits} ))")
  done
  printf '%s' "$digits"
}

declare -A used=()
fresh() { # prefix total-length: digits no other call of this run has
  local value
  while :; do
    value="$1$(random_digits $(( $2 - ${#1} )))"
    [[ -z "${used[$value]:-}" ]] && break
  done
  used[$value]=1
  printf '%s' "$value"
}

prepare() {
  [[ -n "${CALLTEST_APP:-}" ]] || app # names the setting and stops
  local -a selected
  if [[ $# -gt 0 ]]; then
    selected=("$@")
  elif [[ -n "${CALLTEST_SCENARIOS:-}" ]]; then
    read -r -a selected <<< "$CALLTEST_SCENARIOS"
  else
    selected=("${SCENARIOS[@]}")
  fi
  local name
  for name in "${selected[@]}"; do
    [[ "$name" =~ ^[a-z0-9-]+$ && -f "$here/$name.xml" && -n "${EXPECTED[$name]:-}" ]] || die "unknown scenario '$name'"
  done
  local load_calls load_concurrent load_rate
  load_calls=$(number CALLTEST_LOAD_CALLS "${CALLTEST_LOAD_CALLS:-20}" 1 500) || exit 2
  load_concurrent=$(number CALLTEST_LOAD_CONCURRENT "${CALLTEST_LOAD_CONCURRENT:-5}" 1 90) || exit 2
  load_rate=$(number CALLTEST_LOAD_RATE "${CALLTEST_LOAD_RATE:-1}" 1 20) || exit 2

  rm -f "$results"/*.csv "$results"/*.log "$results"/*.out "$results/manifest.tsv" "$results/plan" \
        "$results/spoken-code.wav" "$results/sipp-verdicts" "$results"/metrics-*.txt
  # Calls that started before this moment are not this run's; a minute of
  # margin for a clock that differs between this host and the hotline's.
  local since
  since=$(date -u -d '-60 seconds' +%Y-%m-%dT%H:%M:%SZ)
  {
    echo "# Call test manifest (sipp/run-calltests.sh prepare): each call and what the hotline must record"
    echo "since	$since"
    echo "# scenario	call	caller	code	outcome	input	billed_minutes	password"
  } > "$results/manifest.tsv"
  echo "code,phone" > "$results/subscribers.csv"

  local calls concurrent rate i caller code phone spoken_code=""
  for name in "${selected[@]}"; do
    calls=1 concurrent=1 rate=1
    [[ $name == load-keypad ]] && calls=$load_calls concurrent=$load_concurrent rate=$load_rate
    printf 'SEQUENTIAL\n' > "$results/$name.csv"
    for (( i = 1; i <= calls; i++ )); do
      code=$(fresh 00 10)
      phone=$(fresh 09 10)
      caller=$phone
      # The wrong number calls with a code registered to someone else.
      [[ $name == wrong-number ]] && caller=$(fresh 09 10)
      [[ $name == spoken-code ]] && spoken_code=$code
      echo "$code,$phone" >> "$results/subscribers.csv"
      printf '%s;%s;\n' "$caller" "$code" >> "$results/$name.csv"
      read -r outcome input minutes password <<< "${EXPECTED[$name]}"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$i" "$caller" "$code" "$outcome" "$input" "$minutes" "$password" \
        >> "$results/manifest.tsv"
    done
    echo "$name $calls $concurrent $rate" >> "$results/plan"
  done

  if [[ -n "$spoken_code" ]]; then
    render_spoken_code "$spoken_code" || exit 2
  fi
  echo "== importing $(( $(wc -l < "$results/subscribers.csv") - 1 )) fresh subscriber(s)"
  app import-subscribers - < "$results/subscribers.csv" > "$results/import.out" 2>&1 \
    || { sed -e 's/^/   | /' "$results/import.out" | tail -n 20; die "import-subscribers failed"; }
  echo "== prepared in $results: $(awk '{printf "%s%s (%s call%s)", (NR > 1 ? ", " : ""), $1, $2, ($2 > 1 ? "s" : "")}' "$results/plan")"
}

# The spoken code must be one the recogniser hears right on a clean line:
# speak-code --check fails with 3 otherwise, and the code is replaced.
render_spoken_code() { # code
  local code=$1 tries rc new
  for tries in 1 2 3 4 5; do
    app speak-code --digits "$code" --check --out - > "$results/spoken-code.wav" 2> "$results/speak-code.log"
    rc=$?
    if [[ $rc -eq 0 && -s "$results/spoken-code.wav" ]]; then
      echo "== spoken code rendered by the hotline's English voice ($(( $(wc -c < "$results/spoken-code.wav") / 16000 )) s)"
      return 0
    fi
    if [[ $rc -ne 3 ]]; then
      sed -e 's/^/   | /' "$results/speak-code.log" | tail -n 20
      echo "run-calltests.sh: speak-code failed (exit $rc)" >&2
      return 1
    fi
    new=$(fresh 00 10)
    sed -i "s/^$code,/$new,/" "$results/subscribers.csv"
    sed -i "s/;$code;\$/;$new;/" "$results/spoken-code.csv"
    sed -i "s/^\(spoken-code\t[^\t]*\t[^\t]*\t\)$code\t/\1$new\t/" "$results/manifest.tsv"
    echo "== the English model mishears one random code; trying another" >&2
    code=$new
  done
  echo "run-calltests.sh: five random codes in a row were misheard by the English model" >&2
  return 1
}

# ------------------------------------------------------------------ 2. calls

calls() { # target
  local target
  target=$(target_of "$1") || exit 2
  [[ -s "$results/plan" && -s "$results/manifest.tsv" ]] \
    || die "nothing prepared in $results: run 'run-calltests.sh prepare' first (with the same CALLTEST_RESULTS_DIR)"
  command -v sipp >/dev/null 2>&1 || die "sipp not found: install the Debian package sip-tester"
  command -v python3 >/dev/null 2>&1 || die "python3 not found"
  if [[ $(id -u) -ne 0 ]]; then
    echo "run-calltests.sh: not root: SIPp needs raw sockets (CAP_NET_RAW) for DTMF and speech" >&2
  fi
  media_port=$(number CALLTEST_MEDIA_PORT "${CALLTEST_MEDIA_PORT:-6000}" 1024 65534) || exit 2

  # Values of the scenarios' <Global variables>, in milliseconds.
  declare -gA timing=(
    [menu_ms]=${CALLTEST_MENU_MS:-3000}
    [greeting_ms]=${CALLTEST_GREETING_MS:-11000}
    [spoken_greeting_ms]=${CALLTEST_SPOKEN_GREETING_MS:-6000}
    [result_guard_ms]=${CALLTEST_RESULT_GUARD_MS:-20000}
    [wrong_guard_ms]=${CALLTEST_WRONG_GUARD_MS:-5000}
    [hangup_greeting_ms]=${CALLTEST_HANGUP_GREETING_MS:-3000}
    [readout_ms]=${CALLTEST_READOUT_MS:-3500}
  )
  local name speech_extra
  speech_extra=$(number CALLTEST_SPEECH_EXTRA_MS "${CALLTEST_SPEECH_EXTRA_MS:-9000}" 1 600000) || exit 2
  for name in "${!timing[@]}"; do
    timing[$name]=$(number "$name" "${timing[$name]}" 1 600000) || exit 2
  done
  timing[speech_ms]=0
  if grep -q '^spoken-code ' "$results/plan"; then
    [[ -s "$results/spoken-code.wav" ]] || die "no spoken-code.wav in $results (prepare renders it)"
    local speech_len
    speech_len=$(python3 "$here/make-rtp.py" --wav "$results/spoken-code.wav" \
        --out "$here/media/spoken-code.pcap" --print-duration-ms 2> "$results/make-rtp.log") \
      || { cat "$results/make-rtp.log" >&2; die "make-rtp.py could not turn spoken-code.wav into RTP"; }
    timing[speech_ms]=$((speech_len + speech_extra))
  fi

  metrics_snapshot "$results/metrics-before.txt"
  : > "$results/sipp-verdicts"
  local calls concurrent rate limit rounds
  while read -r name calls concurrent rate; do
    if [[ $name == load-keypad ]]; then
      # Each call lasts at most about two minutes (the BYE is awaited 180 s
      # but a call ends in about one); plus the time to start them all.
      rounds=$(( (calls + concurrent - 1) / concurrent ))
      limit=$(( rounds * 120 + calls / rate + 120 ))
    else
      limit=300
    fi
    run_scenario "$target" "$name" "$calls" "$concurrent" "$rate" "$limit"
  done < "$results/plan"
  metrics_snapshot "$results/metrics-after.txt"
  metrics_changes
}

run_scenario() { # target name calls concurrent rate time-limit-seconds
  local target=$1 name=$2 calls=$3 concurrent=$4 rate=$5 limit=$6
  local scenario="$here/$name.xml" out="$results/$name"
  local -a sets=() args=()
  local var
  # Pass exactly the <Global variables> the scenario declares: SIPp refuses others.
  for var in $(sed -n 's/.*<Global variables="\([^"]*\)".*/\1/p' "$scenario" | tr ',' ' '); do
    if [[ -z "${timing[$var]:-}" || "${timing[$var]}" == 0 ]]; then
      echo "$name FAIL exit=- successful=0/$calls failed=- (no value for $var)" >> "$results/sipp-verdicts"
      return
    fi
    sets+=(-set "$var" "${timing[$var]}")
  done
  args=(-sf "$scenario" "$target" -inf "$results/$name.csv" -m "$calls" -l "$concurrent" -r "$rate"
        -mp "$media_port" -nostdin -timeout "${limit}s" -timeout_error
        -trace_stat -stf "$out-stat.csv" -fd 5
        -trace_err -error_file "$out-errors.log"
        -trace_screen -screen_file "$out-screen.log")
  [[ -n "${CALLTEST_LOCAL_IP:-}" ]] && args+=(-i "$CALLTEST_LOCAL_IP")
  echo "== $name: $calls call(s), at most $concurrent at once, limit ${limit}s"
  (cd "$results" && sipp "${args[@]}" "${sets[@]}" > "$out.out" 2>&1)
  local rc=$?
  local ok fail length
  read -r ok fail length < <(python3 - "$out-stat.csv" <<'PY'
import csv, sys
try:
    with open(sys.argv[1], newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, last = rows[0], rows[-1]
    # SIPp writes lengths as HH:MM:SS:microseconds.
    length = "-"
    if "CallLength(C)" in header and last[header.index("CallLength(C)")].count(":") == 3:
        h, m, s, us = (int(part) for part in last[header.index("CallLength(C)")].split(":"))
        length = f"{h * 3600 + m * 60 + s + us / 1e6:.1f}s"
    print(last[header.index("SuccessfulCall(C)")], last[header.index("FailedCall(C)")], length)
except (OSError, IndexError, ValueError):
    print("missing missing -")
PY
)
  local verdict=PASS
  if [[ $rc -ne 0 || "$ok" != "$calls" || "$fail" != 0 ]]; then
    verdict=FAIL
  fi
  echo "$name $verdict exit=$rc successful=$ok/$calls failed=$fail mean_length=$length" >> "$results/sipp-verdicts"
  echo "   signalling $verdict (sipp exit $rc, successful $ok of $calls, failed $fail, mean call length $length)"
  if [[ $verdict == FAIL && -s "$out-errors.log" ]]; then
    { cat "$out-errors.log"; echo; } | sed -e '/^$/d' -e 's/^/   | /' | tail -n 15
  fi
}

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

metrics_changes() {
  [[ -s "$results/metrics-before.txt" && -s "$results/metrics-after.txt" ]] || return 0
  echo "== ivr-app metrics that changed during the calls (for information)"
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
    if name.startswith(("jvm_", "process_", "system_", "executor", "jdbc_", "hikaricp_", "logback_")) \
            or "_bucket{" in name or name.split("{")[0].endswith("_max"):
        continue
    delta = after[name] - before.get(name, 0.0)
    if delta:
        print(f"   {name} {delta:+g}")
PY
}

# ------------------------------------------------------------------ 3. check

check() {
  [[ -s "$results/manifest.tsv" ]] || die "no manifest.tsv in $results: run 'run-calltests.sh prepare' first"
  [[ -s "$results/plan" ]] || die "no plan in $results: run 'run-calltests.sh prepare' first"
  local wait
  wait=$(number CALLTEST_CHECK_WAIT "${CALLTEST_CHECK_WAIT:-30}" 0 600) || exit 2
  echo "== what the hotline recorded (calltest-check)"
  app calltest-check - --wait "$wait" < "$results/manifest.tsv" > "$results/check.out" 2> "$results/check.log"
  local rc=$?
  sed -e 's/^/   /' "$results/check.out"
  # 1 is a verdict (some call differs) only with the command's summary line; anything else means
  # the calls could not be checked.
  if [[ $rc -ne 0 && $rc -ne 1 ]] || ! grep -q '^calltest-check: [0-9]* call(s)' "$results/check.out"; then
    sed -e 's/^/   | /' "$results/check.log" | tail -n 20
    die "calltest-check could not check the calls (exit $rc)"
  fi

  echo "== summary (results in $results)"
  local name calls signalling passed failed verdict failures=0 total=0 sipp_line
  while read -r name calls _ _; do
    total=$((total + 1))
    sipp_line=$(grep -m1 "^$name " "$results/sipp-verdicts" 2>/dev/null)
    signalling=$(awk '{print $2}' <<< "$sipp_line")
    passed=$(grep -c "^PASS $name " "$results/check.out")
    failed=$(grep -c "^FAIL $name " "$results/check.out")
    verdict=PASS
    if [[ "$signalling" != PASS || $passed -ne $calls || $failed -ne 0 ]]; then
      verdict=FAIL
      failures=$((failures + 1))
    fi
    printf '   %-18s %s  signalling %-7s records %s/%s as expected  %s\n' "$name" "$verdict" \
      "${signalling:-not-run}" "$passed" "$calls" "$(cut -d' ' -f3- <<< "$sipp_line")"
  done < "$results/plan"
  echo "$((total - failures)) passed, $failures failed"
  [[ $failures -eq 0 ]]
}

# ------------------------------------------------------------------ main

[[ $# -ge 1 ]] || die "usage: run-calltests.sh TARGET[:PORT] [SCENARIO...] | prepare [SCENARIO...] | calls TARGET[:PORT] | check"
step=$1
case "$step" in
  prepare | calls | check) shift; default_results=$here/results/latest ;;
  *) step=all; default_results=$here/results/$(date -u +%Y%m%dT%H%M%SZ) ;;
esac
results=${CALLTEST_RESULTS_DIR:-$default_results}
mkdir -p "$results" || die "cannot create $results"
results=$(cd "$results" && pwd)

case "$step" in
  prepare) prepare "$@" ;;
  calls)
    [[ $# -eq 1 ]] || die "usage: run-calltests.sh calls TARGET[:PORT]"
    calls "$1"
    ;;
  check)
    [[ $# -eq 0 ]] || die "usage: run-calltests.sh check"
    check
    ;;
  all)
    target=$1
    shift
    target_of "$target" > /dev/null
    prepare "$@"
    calls "$target"
    check
    ;;
esac
