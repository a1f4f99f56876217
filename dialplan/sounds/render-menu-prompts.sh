#!/usr/bin/env bash
# Renders the menu prompts of menu-prompts.tsv into OUTDIR/<key>.wav:
# the Vietnamese text (espeak-ng voice "vi"), a short pause, then the English
# text (voice "en"); WAV, 8000 Hz, 16-bit signed PCM, mono, peak-normalised to
# -3 dBFS (espeak-ng's own peaks clip), as Asterisk's format_wav plays it.
#
# The image build (dialplan/Dockerfile) runs it; it can be run by hand to
# listen to the prompts. Requirements: espeak-ng, sox.
#
# Usage: render-menu-prompts.sh OUTDIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
table="$here/menu-prompts.tsv"
out="${1:?usage: render-menu-prompts.sh OUTDIR}"

die() { echo "render-menu-prompts.sh: $*" >&2; exit 1; }
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (Debian: apt-get install espeak-ng sox)"
done
[[ -f "$table" ]] || die "missing $table"

unset SOX_OPTS
export LC_ALL=C.UTF-8
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

count=0
while IFS=$'\t' read -r key vi en rest; do
  [[ -z "$key" || "$key" == \#* ]] && continue
  [[ "$key" =~ ^[a-z0-9-]+$ ]] || die "bad key '$key' (a-z, 0-9 and - only: it is a file name)"
  [[ -n "$vi" && -n "$en" && -z "${rest:-}" ]] || die "line '$key' needs exactly: key, Vietnamese text, English text"
  # Rendered quieter than espeak-ng's default (amplitude 100 clips), then normalised.
  espeak-ng -v vi -s 155 -a 50 -w "$work/vi.wav" "$vi"
  espeak-ng -v en -s 150 -a 50 -w "$work/en.wav" "$en"
  sox -n -r "$(soxi -r "$work/vi.wav")" -c 1 -b 16 "$work/gap.wav" trim 0 0.5
  sox "$work/vi.wav" "$work/gap.wav" "$work/en.wav" \
      -r 8000 -c 1 -b 16 -e signed-integer "$work/$key.wav" \
      silence 1 0.02 0.1% reverse silence 1 0.02 0.1% reverse pad 0.2 0.3 gain -n -3
  mv "$work/$key.wav" "$out/$key.wav"
  count=$((count + 1))
done < "$table"

[[ $count -gt 0 ]] || die "no prompts in $table"
echo "render-menu-prompts.sh: $count prompts written to $out"
