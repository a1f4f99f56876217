#!/bin/sh
# Downloads the Vietnamese Vosk model vosk-model-small-vn-0.4, checks the
# archive against its SHA-256 and unpacks it into
# <this folder>/vosk-model-small-vn-0.4/ (or $VOSK_MODELS_DIR/...).
#
# The archive is installed only if its SHA-256 equals the expected value:
# the one below, or VOSK_VI_MODEL_SHA256 when that is set (for example to
# install another build of the model). An empty or malformed expected value
# stops the script: the check is never skipped.
#
#   VOSK_VI_MODEL_URL     where to download from (default: alphacephei.com)
#   VOSK_VI_MODEL_SHA256  expected SHA-256 of the zip (64 hex digits)
#   VOSK_MODELS_DIR       where to install (default: the folder of this script)
#
# Usage: fetch-vi-model.sh [--force]     --force replaces an installed model
# Needs: curl or wget; sha256sum, shasum or python3; unzip or python3.
set -eu

MODEL=vosk-model-small-vn-0.4
# SHA-256 of vosk-model-small-vn-0.4.zip, 33,656,337 bytes.
PINNED_SHA256=efe5c8494212110471a79befc48c79da679e5b1fc52a4ffb500222ff86d622e5

URL=${VOSK_VI_MODEL_URL:-https://alphacephei.com/vosk/models/$MODEL.zip}
EXPECTED=${VOSK_VI_MODEL_SHA256-$PINNED_SHA256}
DEST=${VOSK_MODELS_DIR:-$(cd "$(dirname "$0")" && pwd)}
FORCE=no
[ "${1:-}" = "--force" ] && FORCE=yes

die() {
  echo "fetch-vi-model.sh: $*" >&2
  exit 1
}

EXPECTED=$(printf '%s' "$EXPECTED" | tr 'A-F' 'a-f')
printf '%s' "$EXPECTED" | grep -Eq '^[0-9a-f]{64}$' \
  || die "no valid expected SHA-256 (VOSK_VI_MODEL_SHA256='$EXPECTED'): refusing to install an unverified model"

if [ -f "$DEST/$MODEL/am/final.mdl" ] && [ "$FORCE" = no ]; then
  echo "fetch-vi-model.sh: $DEST/$MODEL is already installed (--force to replace it)"
  exit 0
fi

mkdir -p "$DEST"
work=$(mktemp -d "$DEST/.fetch-vi-model.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

echo "fetch-vi-model.sh: downloading $URL"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --retry 3 --connect-timeout 20 -o "$work/$MODEL.zip" "$URL" || die "download failed: $URL"
elif command -v wget >/dev/null 2>&1; then
  wget -q -O "$work/$MODEL.zip" "$URL" || die "download failed: $URL"
else
  die "needs curl or wget"
fi

if command -v sha256sum >/dev/null 2>&1; then
  actual=$(sha256sum "$work/$MODEL.zip" | cut -d' ' -f1)
elif command -v shasum >/dev/null 2>&1; then
  actual=$(shasum -a 256 "$work/$MODEL.zip" | cut -d' ' -f1)
elif command -v python3 >/dev/null 2>&1; then
  actual=$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$work/$MODEL.zip")
else
  die "needs sha256sum, shasum or python3 to check the download"
fi
[ "$actual" = "$EXPECTED" ] \
  || die "SHA-256 mismatch for $URL: expected $EXPECTED, got $actual; nothing installed"
echo "fetch-vi-model.sh: SHA-256 verified ($actual)"

# Every entry must sit under $MODEL/, with no absolute path and no "..".
if command -v unzip >/dev/null 2>&1; then
  unzip -Z1 "$work/$MODEL.zip" > "$work/entries" || die "not a zip archive"
elif command -v python3 >/dev/null 2>&1; then
  python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' \
    "$work/$MODEL.zip" > "$work/entries" || die "not a zip archive"
else
  die "needs unzip or python3 to unpack the model"
fi
[ -s "$work/entries" ] || die "the archive is empty"
if grep -Ev "^$MODEL/" "$work/entries" | grep -q . || grep -Eq '(^|/)\.\.(/|$)' "$work/entries"; then
  die "unexpected paths in the archive; nothing installed"
fi

mkdir "$work/unpacked"
if command -v unzip >/dev/null 2>&1; then
  unzip -q "$work/$MODEL.zip" -d "$work/unpacked"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$work/$MODEL.zip" "$work/unpacked"
fi
[ -f "$work/unpacked/$MODEL/am/final.mdl" ] || die "the archive holds no $MODEL/am/final.mdl"

rm -rf "${DEST:?}/${MODEL:?}"
mv "$work/unpacked/$MODEL" "$DEST/$MODEL"
echo "fetch-vi-model.sh: installed $DEST/$MODEL"
