#!/usr/bin/env bash
# Stand-in for the ivr-app jar in selftest.sh (CALLTEST_APP), where no hotline
# records anything: the commands run-calltests.sh uses, answering as the jar
# would for calls that went as expected, or, for the scenarios named in
# STANDIN_WRONG_OUTCOME, for calls the hotline recorded with another outcome,
# and for those named in STANDIN_NOT_RECORDED, for calls it never recorded.
# The real calltest-check is tested against a real database by the Maven
# build (CallTestCheckIT).
#   import-subscribers -                     reads code,phone lines from standard input
#   speak-code --digits D --check --out -    a WAV of tone bursts (not speech) on standard output
#   calltest-check - [--wait N]              one PASS or FAIL line per manifest line
set -uo pipefail

command=${1:-}
shift || true
case "$command" in
  import-subscribers)
    lines=$(grep -c -v -e '^code,phone$' -e '^$')
    echo "-: $lines subscriber(s) imported"
    ;;
  speak-code)
    python3 - <<'PY'
import io, math, struct, sys, wave
rate, samples = 8000, []
for digit in range(10):
    for n in range(rate * 45 // 100):
        samples.append(int(8000 * math.sin(math.pi * n / (rate * 0.45)) * math.sin(2 * math.pi * (300 + 50 * digit) * n / rate)))
    samples.extend([0] * (rate // 4))
out = io.BytesIO()
with wave.open(out, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(struct.pack(f"<{len(samples)}h", *samples))
sys.stdout.buffer.write(out.getvalue())
PY
    ;;
  calltest-check)
    read -r -a wrong <<< "${STANDIN_WRONG_OUTCOME:-}"
    read -r -a missing <<< "${STANDIN_NOT_RECORDED:-}"
    total=0 failed=0
    while IFS=$'\t' read -r scenario call caller code outcome input minutes password; do
      [[ -z "$scenario" || "$scenario" == \#* || "$scenario" == since ]] && continue
      total=$((total + 1))
      if [[ " ${missing[*]} " == *" $scenario "* ]]; then
        echo "FAIL $scenario $call +84********: no call recorded from this number since the run began"
        failed=$((failed + 1))
      elif [[ " ${wrong[*]} " == *" $scenario "* ]]; then
        echo "FAIL $scenario $call +84********: outcome hung_up, expected $outcome (hung_up $input, 1 min, password unchanged, 9.9 s)"
        failed=$((failed + 1))
      else
        echo "PASS $scenario $call +84********: ${outcome%%|*} ${input%%|*}, ${minutes%%-*} min, password $password, 9.9 s"
      fi
    done
    echo "calltest-check: $total call(s), $((total - failed)) passed, $failed failed"
    [[ $failed -eq 0 ]]
    ;;
  *)
    echo "stand-in-app.sh: unknown command '$command'" >&2
    exit 2
    ;;
esac
