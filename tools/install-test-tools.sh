#!/usr/bin/env bash
# Makes sure the programs that some tests drive for real are installed, so that the README's test
# command (./mvnw -B -ntp verify) passes on a fresh Debian machine with no step before it. The Maven
# build runs this script first (ivr-app/pom.xml, phase initialize); it is skipped with -DskipTests
# or -Dmaven.test.skip.
#
#   program          Debian package   used by
#   docker-compose   docker-compose   StackFilesTest, sipp/check-scenarios.sh (docker-compose config)
#   sipp             sip-tester       StackFilesTest (every SIPp scenario loads in the installed sipp)
#   python3          python3          sipp/check-scenarios.sh, sipp/make-rtp.py
#   promtool         prometheus       MonitoringFilesTest (alert rules)
#   chromium         chromium         SupervisionIT (the supervisor page in a headless browser)
#
# When some are missing: as root on a machine with apt-get, it installs their packages
# (apt-get update, then apt-get install -y --no-install-recommends); otherwise it stops the build
# with one line naming the packages to install.
#
# Usage: install-test-tools.sh [--dry-run]
#   --dry-run   say what is missing and what would be run, change nothing, exit 0
# Environment: SKIP_TESTS / MAVEN_TEST_SKIP = true (set by the build from -DskipTests and
# -Dmaven.test.skip) make it do nothing.
set -euo pipefail

dry_run=no
case "${1:-}" in
  --dry-run) dry_run=yes ;;
  "") ;;
  *) echo "install-test-tools.sh: unknown argument '$1' (usage: install-test-tools.sh [--dry-run])" >&2; exit 2 ;;
esac

if [[ "${SKIP_TESTS:-}" == true || "${MAVEN_TEST_SKIP:-}" == true ]]; then
  exit 0
fi

# program:package, in the order they are reported.
TOOLS=(docker-compose:docker-compose sipp:sip-tester python3:python3 promtool:prometheus chromium:chromium)

missing_packages() {
  local entry
  for entry in "${TOOLS[@]}"; do
    command -v "${entry%%:*}" >/dev/null 2>&1 || printf '%s\n' "${entry#*:}"
  done
}

mapfile -t missing < <(missing_packages)
[[ ${#missing[@]} -eq 0 ]] && exit 0

install_line="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  if [[ $dry_run == yes ]]; then
    echo "install-test-tools.sh: would stop the build: missing Debian packages ${missing[*]} (not root, or no apt-get)"
    exit 0
  fi
  echo "The tests need programs that are not installed: install the Debian packages ${missing[*]} (as root: $install_line), then run the build again." >&2
  exit 1
fi

if [[ $dry_run == yes ]]; then
  echo "install-test-tools.sh: missing Debian packages ${missing[*]}; would run: apt-get update; $install_line"
  exit 0
fi
echo "install-test-tools.sh: installing the Debian packages the tests drive: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Waits for another apt or dpkg run to finish instead of failing at once on its lock.
apt_options=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
# A failed update still leaves the lists apt already has; the install says whether they suffice.
apt-get "${apt_options[@]}" update -qq || echo "install-test-tools.sh: apt-get update failed; trying with the package lists at hand" >&2
apt-get "${apt_options[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

mapfile -t still_missing < <(missing_packages)
if [[ ${#still_missing[@]} -gt 0 ]]; then
  echo "install-test-tools.sh: after apt-get install, still missing the programs of the Debian packages ${still_missing[*]}" >&2
  exit 1
fi
echo "install-test-tools.sh: installed ${missing[*]}"
