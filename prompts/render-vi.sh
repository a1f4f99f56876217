#!/usr/bin/env bash
# Renders every prompt of vi/prompts.properties to vi/audio/<key>.wav with
# espeak-ng (Vietnamese, northern voice) and sox.
#
# Output format: WAV, 8000 Hz, 16-bit signed PCM, mono, peak-normalised to
# -3 dBFS, leading/trailing silence trimmed to about 100 ms (digit clips are
# trimmed tight because the app concatenates them to read out a code or a
# password).
#
# The script is deterministic and idempotent: a file is only rewritten when
# its content changes, and wav files of keys that no longer exist in the
# properties file are removed. It can be run from any directory.
#
# Requirements: espeak-ng, sox.
#
# Usage: render-vi.sh            render all prompts
#        render-vi.sh --check    only verify the existing audio (no rendering)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
props="$here/vi/prompts.properties"
audio="$here/vi/audio"

# Voice and speaking rates (words per minute; espeak-ng's default is 175).
# "vi" (northern) is used rather than vi-vn-x-south / vi-vn-x-central: it
# follows the standard broadcast pronunciation and keeps the digits apart
# (the southern voice says "bống" for bốn and "chứng" for chín).
voice="vi"
rate_prompt=155
rate_digit=130
pitch=50
# espeak-ng amplitude (0-200, default 100). At 100 its loudest peaks already
# hit full scale, so render quieter and normalise afterwards with sox.
amplitude=50

# Silence kept at each end, in seconds.
pad_prompt=0.1
pad_digit_lead=0.02
pad_digit_tail=0.03

# Longest acceptable digit clip, in seconds.
max_digit_seconds=0.8

# Keep sox/espeak-ng output independent of the caller's environment.
unset SOX_OPTS
export LC_ALL=C.UTF-8

die() { echo "render-vi.sh: $*" >&2; exit 1; }

for tool in espeak-ng sox soxi; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
[[ -f "$props" ]] || die "missing $props"

# --- read the properties file --------------------------------------------
# Supported syntax: "key=text" on one line; blank lines and lines starting
# with # or ! are comments. Keys may only contain a-z, 0-9 and '-', because
# they become file names. Line continuations and escapes are not supported.
declare -a keys=()
declare -A text=()
lineno=0
while IFS= read -r line || [[ -n "$line" ]]; do
  lineno=$((lineno + 1))
  line="${line%$'\r'}"
  # strip leading whitespace
  line="${line#"${line%%[![:space:]]*}"}"
  [[ -z "$line" || "$line" == \#* || "$line" == !* ]] && continue
  [[ "$line" == *=* ]] || die "$props:$lineno: expected key=text"
  key="${line%%=*}"
  key="${key%"${key##*[![:space:]]}"}"
  value="${line#*=}"
  value="${value#"${value%%[![:space:]]*}"}"
  [[ "$key" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "$props:$lineno: invalid key '$key'"
  [[ -n "$value" ]] || die "$props:$lineno: empty text for '$key'"
  [[ -z "${text[$key]+x}" ]] || die "$props:$lineno: duplicate key '$key'"
  keys+=("$key")
  text[$key]="$value"
done < "$props"
(( ${#keys[@]} > 0 )) || die "no prompts in $props"

is_digit_key() { [[ "$1" =~ ^digit-[0-9]$ ]]; }

# --- verify ----------------------------------------------------------------
check() {
  local key f rate bits chans dur samples bad=0
  for key in "${keys[@]}"; do
    f="$audio/$key.wav"
    if [[ ! -s "$f" ]]; then echo "MISSING $f" >&2; bad=1; continue; fi
    rate="$(soxi -r "$f")"; bits="$(soxi -b "$f")"; chans="$(soxi -c "$f")"
    samples="$(soxi -s "$f")"; dur="$(soxi -D "$f")"
    if [[ "$rate" != 8000 || "$bits" != 16 || "$chans" != 1 || "$(soxi -t "$f")" != wav ]]; then
      echo "BAD FORMAT $key: ${rate} Hz, ${bits} bit, ${chans} ch" >&2; bad=1
    fi
    if (( samples == 0 )); then echo "EMPTY $key" >&2; bad=1; fi
    if is_digit_key "$key" && awk -v d="$dur" -v m="$max_digit_seconds" 'BEGIN{exit !(d>=m)}'; then
      echo "TOO LONG $key: ${dur} s (digit clips must be under ${max_digit_seconds} s)" >&2; bad=1
    fi
  done
  return "$bad"
}

if [[ "${1:-}" == "--check" ]]; then
  check && echo "render-vi.sh: ${#keys[@]} prompts OK"
  exit
fi
[[ $# -eq 0 ]] || die "usage: render-vi.sh [--check]"

# --- render ----------------------------------------------------------------
mkdir -p "$audio"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

changed=0
for key in "${keys[@]}"; do
  if is_digit_key "$key"; then
    speed=$rate_digit; lead=$pad_digit_lead; tail=$pad_digit_tail
  else
    speed=$rate_prompt; lead=$pad_prompt; tail=$pad_prompt
  fi
  printf '%s\n' "${text[$key]}" > "$work/text.txt"
  espeak-ng -b 1 -v "$voice" -s "$speed" -p "$pitch" -a "$amplitude" \
    -f "$work/text.txt" -w "$work/raw.wav"
  # Normalise to -6 dBFS (headroom for the resampler), trim silence at both
  # ends (anything below -50 dBFS, i.e. 44 dB under the peak), resample to
  # 8 kHz, normalise the peak to -3 dBFS, then add back a short, fixed
  # silence.
  # -D: no dither, so the output is bit-for-bit reproducible.
  sox -D "$work/raw.wav" -r 8000 -b 16 -e signed-integer -c 1 -t wav "$work/out.wav" \
    gain -n -6 silence 1 0.005 -50d reverse silence 1 0.005 -50d reverse \
    rate -v 8000 gain -n -3 pad "$lead" "$tail"
  [[ "$(soxi -s "$work/out.wav")" -gt 0 ]] || die "empty audio for '$key'"
  if ! cmp -s "$work/out.wav" "$audio/$key.wav"; then
    mv -f "$work/out.wav" "$audio/$key.wav"
    echo "rendered $key"
    changed=$((changed + 1))
  fi
done

# Remove audio of keys that are no longer in the properties file.
shopt -s nullglob
for f in "$audio"/*.wav; do
  key="$(basename "$f" .wav)"
  if [[ -z "${text[$key]+x}" ]]; then
    rm -f "$f"
    echo "removed $key"
    changed=$((changed + 1))
  fi
done

check
echo "render-vi.sh: ${#keys[@]} prompts, $changed changed"
