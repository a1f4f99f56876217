#!/usr/bin/env bash
# Checks, without placing a call, that
#   - every SIPp scenario of this folder (and of selftest/) is well-formed XML
#     and is loaded by the installed sipp: sipp parses the scenario, its
#     actions, labels, variables and the pcap files it plays, then stops
#     before the first call (-m 0);
#   - play_dtmf only sends keys a phone has;
#   - docker-compose accepts ../docker-compose.yml (docker-compose config -q).
# It first makes sure it can fail: a scenario that is not well-formed XML and
# one that sipp rejects must both be reported as broken.
#
# Usage: check-scenarios.sh [--no-compose]
# Needs: sipp (Debian package sip-tester), python3, docker-compose (Debian
# package docker-compose) unless --no-compose; espeak-ng if present (the
# spoken-code capture is otherwise made of tones, which is enough to load it).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
check_compose=yes
[[ "${1:-}" == "--no-compose" ]] && check_compose=no

die() {
  echo "check-scenarios.sh: $*" >&2
  exit 2
}
command -v sipp >/dev/null 2>&1 || die "sipp not found: install the Debian package sip-tester (apt-get install sip-tester)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
if [[ $check_compose == yes ]]; then
  command -v docker-compose >/dev/null 2>&1 \
    || die "docker-compose not found: install the Debian package docker-compose (apt-get install docker-compose)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The scenarios are checked in a copy, next to a freshly made capture of the
# spoken code, so that nothing in this folder is touched.
mkdir -p "$work/scenarios/media" "$work/scenarios/selftest" "$work/broken"
cp "$here"/*.xml "$work/scenarios/"
cp "$here"/selftest/*.xml "$work/scenarios/selftest/" 2>/dev/null
synth=()
command -v espeak-ng >/dev/null 2>&1 || synth=(--synthetic)
python3 "$here/make-rtp.py" "${synth[@]}" --digits 0123456789 --out "$work/scenarios/media/spoken-code.pcap" \
  > "$work/make-rtp.out" 2>&1 || { cat "$work/make-rtp.out" >&2; die "make-rtp.py failed"; }
python3 "$here/make-rtp.py" --dtmf --digits 1 --payload-type 101 --out "$work/scenarios/media/callback-key-1.pcap" \
  > "$work/make-rtp.out" 2>&1 || { cat "$work/make-rtp.out" >&2; die "make-rtp.py --dtmf failed"; }
printf 'SEQUENTIAL\n0912345678;0123456789;\n' > "$work/check.csv"

# Prints nothing and returns 0 when FILE is fine; prints the reasons otherwise.
check_file() {
  local file=$1 port rc unexpected
  python3 - "$file" <<'PY' || return 1
import re, sys, xml.etree.ElementTree as ET
path = sys.argv[1]
try:
    root = ET.parse(path).getroot()
except ET.ParseError as error:
    print(f"not well-formed XML: {error}")
    sys.exit(1)
if root.tag != "scenario":
    print(f"root element is <{root.tag}>, not <scenario>")
    sys.exit(1)
keys = re.compile(r"^(\[field[0-9]+\]|\[\$[A-Za-z0-9_]+\])?[0-9*#A-D]*(,[0-9]+)?$")
for element in root.iter("exec"):
    value = element.get("play_dtmf")
    if value is not None and (not value or not keys.match(value) or value.startswith(",")):
        print(f"play_dtmf=\"{value}\": only keys 0-9 * # A-D, a [field] or [$variable], and ,length")
        sys.exit(1)
PY
  # -m 0: load the scenario and stop before the first call. The media port
  # must be free; another one is tried if it is taken.
  for _ in 1 2 3 4 5; do
    port=$(( (RANDOM % 2000) * 2 + 40000 ))
    (cd "$work" && sipp -sf "$file" 127.0.0.1:9 -i 127.0.0.1 -mp "$port" -m 0 -nostdin \
        -inf "$work/check.csv" > "$work/sipp.out" 2> "$work/sipp.err")
    rc=$?
    if grep -q "Unable to bind" "$work/sipp.out" "$work/sipp.err" 2>/dev/null; then
      continue
    fi
    # Anything on standard error but the progress lines of a good load is a problem.
    unexpected=$(grep -v -E '^(Resolving remote host .*Done\.|In pcap .*, npkts [0-9]+|max pkt length [0-9]+|base port [0-9]+)$' \
                 "$work/sipp.err" | sort -u | head -n 5)
    if [[ $rc -ne 0 || -n "$unexpected" ]]; then
      [[ -n "$unexpected" ]] && printf '%s\n' "$unexpected"
      [[ $rc -ne 0 ]] && echo "sipp exit code $rc"
      return 1
    fi
    return 0
  done
  echo "no free media port found"
  return 1
}

# --- the checker must be able to fail ------------------------------------------
cat > "$work/broken/not-xml.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="broken">
  <send><![CDATA[
INVITE sip:19009068@[remote_ip]:[remote_port] SIP/2.0
Content-Length: 0
  ]]></send>
  <recv response="200"
</scenario>
EOF
cat > "$work/broken/unknown-element.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="broken">
  <send><![CDATA[
INVITE sip:19009068@[remote_ip]:[remote_port] SIP/2.0
Content-Length: 0
  ]]></send>
  <receive response="200" />
</scenario>
EOF
for broken in "$work"/broken/*.xml; do
  if check_file "$broken" > /dev/null; then
    die "the check accepted a broken scenario ($(basename "$broken")): it cannot be trusted"
  fi
done

# --- the scenarios ---------------------------------------------------------------
passed=0
failed=0
for file in "$work"/scenarios/*.xml "$work"/scenarios/selftest/*.xml; do
  [[ -e "$file" ]] || continue
  name=${file#"$work/scenarios/"}
  if reasons=$(check_file "$file"); then
    echo "ok   sipp/$name"
    passed=$((passed + 1))
  else
    echo "FAIL sipp/$name"
    sed -e 's/^/     /' <<< "$reasons"
    failed=$((failed + 1))
  fi
done
[[ $passed -gt 0 ]] || die "no scenario found in $here"

# --- the compose file ---------------------------------------------------------------
if [[ $check_compose == yes ]]; then
  # The stack requires its secrets; stand-ins check the file without the real ones.
  if (cd "$root" && IVR_DB_PASSWORD="${IVR_DB_PASSWORD:-stand-in}" GRAFANA_ADMIN_PASSWORD="${GRAFANA_ADMIN_PASSWORD:-stand-in}" \
        docker-compose -f docker-compose.yml config -q) > "$work/compose.err" 2>&1; then
    echo "ok   docker-compose.yml (docker-compose config -q)"
    passed=$((passed + 1))
  else
    echo "FAIL docker-compose.yml (docker-compose config -q)"
    sed -e 's/^/     /' "$work/compose.err"
    failed=$((failed + 1))
  fi
fi

echo "check-scenarios: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
