#!/bin/sh
# Writes the host-specific parts of the Asterisk configuration from the
# environment, then starts Asterisk (the command given to the container).
#
#   IVR_AGI_ADDRESSES          the ivr-app instances (FastAGI servers), host:port,
#                              comma or space separated, 1 to 8; the menu tries
#                              them in turn (default IVR_AGI_HOST:IVR_AGI_PORT)
#   IVR_AGI_HOST               with one instance: its host name or IPv4 (default ivr-app)
#   IVR_AGI_PORT               its port (default 4573), as ivr-app's IVR_AGI_PORT
#   IVR_AGI_SRV_DOMAIN         a DNS domain whose SRV records _agi._tcp.DOMAIN list
#                              the instances (hagi://), tried before the addresses;
#                              empty = no SRV lookup
#   CARRIER_SIP_ADDRESSES      carrier trunk: IPv4 addresses or CIDRs, comma or
#                              space separated; empty = no call can come in
#   SIPP_TEST_ADDRESSES        SIPp test endpoint, same format; empty in production
#   ASTERISK_LOCAL_NETS        networks reached without NAT (CIDRs)
#   ASTERISK_EXTERNAL_ADDRESS  address announced to the outside in SIP and SDP
#                              (behind NAT); empty = the container's own address
#   CARRIER_CALLBACK_ADDRESS   where call-backs are sent (the carrier's SIP
#                              address, IPv4 or host name, optional :port);
#                              empty = no call-back can be placed
#   AMI_SECRET                 the AMI secret of ivr-app's user (ivr-app's
#                              IVR_AMI_SECRET); empty = the manager is off
#   AMI_BIND_ADDRESS           address the manager listens on (internal network)
#   AMI_PERMIT                 the address (or network) ivr-app connects from
#
# Every value is checked against a strict pattern before it is written, so
# that no environment value can add configuration of its own.
set -eu

CONF_DIR=${VSSID_CONF_DIR:-/etc/vssid-asterisk}
GEN_DIR="$CONF_DIR/generated"

die() {
  echo "vssid-asterisk: $*" >&2
  exit 64
}

# An IPv4 address with each octet in 0..255, optionally /0../32.
# (POSIX sh has no local variables: the helpers' names start with an underscore.)
is_ipv4_or_cidr() {
  printf '%s' "$1" | grep -Eq '^([0-9]{1,3}\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$' || return 1
  _ip=${1%%/*}
  _old_ifs=$IFS
  IFS=.
  # shellcheck disable=SC2086
  set -- $_ip
  IFS=$_old_ifs
  for _octet in "$@"; do
    [ "$_octet" -le 255 ] || return 1
  done
  return 0
}

is_hostname() {
  printf '%s' "$1" | grep -Eq '^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$'
}

# Prints one "match = ADDR" line per address of a list; fails on a bad one.
match_lines() {
  _name=$1
  _list=$(printf '%s' "$2" | tr ',' ' ')
  for _addr in $_list; do
    is_ipv4_or_cidr "$_addr" || die "$_name: '$_addr' is not an IPv4 address or CIDR"
    printf 'match = %s\n' "$_addr"
  done
}

IVR_AGI_HOST=${IVR_AGI_HOST:-ivr-app}
IVR_AGI_PORT=${IVR_AGI_PORT:-4573}
IVR_AGI_ADDRESSES=${IVR_AGI_ADDRESSES:-}
IVR_AGI_SRV_DOMAIN=${IVR_AGI_SRV_DOMAIN:-}
CARRIER_SIP_ADDRESSES=${CARRIER_SIP_ADDRESSES:-}
SIPP_TEST_ADDRESSES=${SIPP_TEST_ADDRESSES:-}
ASTERISK_LOCAL_NETS=${ASTERISK_LOCAL_NETS:-}
ASTERISK_EXTERNAL_ADDRESS=${ASTERISK_EXTERNAL_ADDRESS:-}
CARRIER_CALLBACK_ADDRESS=${CARRIER_CALLBACK_ADDRESS:-}
AMI_SECRET=${AMI_SECRET:-}
AMI_BIND_ADDRESS=${AMI_BIND_ADDRESS:-127.0.0.1}
AMI_PERMIT=${AMI_PERMIT:-127.0.0.1}

is_ipv4_or_cidr "$IVR_AGI_HOST" || is_hostname "$IVR_AGI_HOST" \
  || die "IVR_AGI_HOST: '$IVR_AGI_HOST' is not a host name or IPv4 address"
case "$IVR_AGI_HOST" in */*) die "IVR_AGI_HOST: '$IVR_AGI_HOST' is a network, not a host" ;; esac
is_port() {
  printf '%s' "$1" | grep -Eq '^[0-9]{1,5}$' && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]
}
is_port "$IVR_AGI_PORT" || die "IVR_AGI_PORT: '$IVR_AGI_PORT' is not a port number (1-65535)"
if [ -z "$(printf '%s' "$IVR_AGI_ADDRESSES" | tr -d ', ')" ]; then
  IVR_AGI_ADDRESSES="$IVR_AGI_HOST:$IVR_AGI_PORT"
fi
if [ -n "$IVR_AGI_SRV_DOMAIN" ]; then
  is_hostname "$IVR_AGI_SRV_DOMAIN" && ! is_ipv4_or_cidr "$IVR_AGI_SRV_DOMAIN" \
    || die "IVR_AGI_SRV_DOMAIN: '$IVR_AGI_SRV_DOMAIN' is not a DNS domain"
fi

# Prints "IVR_AGI_COUNT = N" and one "IVR_AGI_<i> = host:port" line per
# instance of IVR_AGI_ADDRESSES; fails on a bad one.
agi_address_lines() {
  _count=0
  _lines=
  for _addr in $(printf '%s' "$1" | tr ',' ' '); do
    _host=${_addr%:*}
    _port=${_addr##*:}
    [ "$_host" != "$_addr" ] || die "IVR_AGI_ADDRESSES: '$_addr' has no port (host:port)"
    { is_ipv4_or_cidr "$_host" || is_hostname "$_host"; } \
      || die "IVR_AGI_ADDRESSES: '$_host' (in '$_addr') is not a host name or IPv4 address"
    case "$_host" in */*) die "IVR_AGI_ADDRESSES: '$_addr' is a network, not a host" ;; esac
    is_port "$_port" || die "IVR_AGI_ADDRESSES: '$_port' (in '$_addr') is not a port number (1-65535)"
    _count=$((_count + 1))
    [ "$_count" -le 8 ] || die "IVR_AGI_ADDRESSES: more than 8 instances"
    _lines="$_lines$(printf 'IVR_AGI_%s = %s' "$_count" "$_addr")
"
  done
  printf 'IVR_AGI_COUNT = %s\n%s' "$_count" "$_lines"
}
if [ -n "$ASTERISK_EXTERNAL_ADDRESS" ]; then
  is_ipv4_or_cidr "$ASTERISK_EXTERNAL_ADDRESS" || is_hostname "$ASTERISK_EXTERNAL_ADDRESS" \
    || die "ASTERISK_EXTERNAL_ADDRESS: '$ASTERISK_EXTERNAL_ADDRESS' is not a host name or IPv4 address"
  case "$ASTERISK_EXTERNAL_ADDRESS" in */*) die "ASTERISK_EXTERNAL_ADDRESS must be an address, not a network" ;; esac
fi

if [ -n "$CARRIER_CALLBACK_ADDRESS" ]; then
  _cb_host=${CARRIER_CALLBACK_ADDRESS%:*}
  _cb_port=${CARRIER_CALLBACK_ADDRESS##*:}
  [ "$_cb_host" = "$CARRIER_CALLBACK_ADDRESS" ] && _cb_port=5060
  { is_ipv4_or_cidr "$_cb_host" || is_hostname "$_cb_host"; } && ! printf '%s' "$_cb_host" | grep -q / \
    && printf '%s' "$_cb_port" | grep -Eq '^[0-9]{1,5}$' && [ "$_cb_port" -ge 1 ] && [ "$_cb_port" -le 65535 ] \
    || die "CARRIER_CALLBACK_ADDRESS: '$CARRIER_CALLBACK_ADDRESS' is not host[:port]"
fi
# The AMI secret goes into a configuration line: letters, digits and a few
# marks only, at least 16 characters.
if [ -n "$AMI_SECRET" ]; then
  printf '%s' "$AMI_SECRET" | grep -Eq '^[A-Za-z0-9._~-]{16,128}$' \
    || die "AMI_SECRET: must be 16 to 128 letters, digits or . _ ~ - (the value is not shown)"
  is_ipv4_or_cidr "$AMI_BIND_ADDRESS" && ! printf '%s' "$AMI_BIND_ADDRESS" | grep -q / \
    || die "AMI_BIND_ADDRESS: '$AMI_BIND_ADDRESS' is not an IPv4 address"
  [ "$AMI_BIND_ADDRESS" != "0.0.0.0" ] || die "AMI_BIND_ADDRESS: the manager listens on the internal network only, not 0.0.0.0"
fi

mkdir -p "$GEN_DIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- extensions.conf: [globals] -------------------------------------------
{
  echo "; Written by entrypoint.sh at start-up: do not edit."
  printf 'IVR_AGI_SRV_DOMAIN = %s\n' "$IVR_AGI_SRV_DOMAIN"
  agi_address_lines "$IVR_AGI_ADDRESSES"
} > "$tmp/extensions-globals.conf"

# --- pjsip.conf: NAT settings and identify objects --------------------------
{
  echo "; Written by entrypoint.sh at start-up: do not edit."
  echo
  echo "[transport-udp](+)"
  for net in $(printf '%s' "$ASTERISK_LOCAL_NETS" | tr ',' ' '); do
    is_ipv4_or_cidr "$net" || die "ASTERISK_LOCAL_NETS: '$net' is not an IPv4 network"
    printf 'local_net = %s\n' "$net"
  done
  if [ -n "$ASTERISK_EXTERNAL_ADDRESS" ]; then
    printf 'external_signaling_address = %s\n' "$ASTERISK_EXTERNAL_ADDRESS"
    printf 'external_media_address = %s\n' "$ASTERISK_EXTERNAL_ADDRESS"
  fi
  echo
  if [ -n "$(printf '%s' "$CARRIER_SIP_ADDRESSES" | tr -d ', ')" ]; then
    echo "[carrier-identify]"
    echo "type = identify"
    echo "endpoint = carrier"
    match_lines CARRIER_SIP_ADDRESSES "$CARRIER_SIP_ADDRESSES"
    echo
  else
    echo "; CARRIER_SIP_ADDRESSES is empty: no carrier can reach the hotline."
  fi
  if [ -n "$(printf '%s' "$SIPP_TEST_ADDRESSES" | tr -d ', ')" ]; then
    echo "[sipp-test-identify]"
    echo "type = identify"
    echo "endpoint = sipp-test"
    match_lines SIPP_TEST_ADDRESSES "$SIPP_TEST_ADDRESSES"
  else
    echo "; SIPP_TEST_ADDRESSES is empty: the SIPp test endpoint cannot be reached."
  fi
} > "$tmp/pjsip-network.conf"

# --- pjsip.conf: where call-backs go ---------------------------------------
{
  echo
  echo "[carrier-out]"
  echo "type = aor"
  if [ -n "$CARRIER_CALLBACK_ADDRESS" ]; then
    printf 'contact = sip:%s:%s\n' "$_cb_host" "$_cb_port"
  else
    echo "; CARRIER_CALLBACK_ADDRESS is empty: no call-back can be placed."
  fi
} >> "$tmp/pjsip-network.conf"

# --- manager.conf: on only with a secret ------------------------------------
{
  echo "; Written by entrypoint.sh at start-up: do not edit."
  if [ -n "$AMI_SECRET" ]; then
    echo "enabled = yes"
    printf 'bindaddr = %s\n' "$AMI_BIND_ADDRESS"
  else
    echo "enabled = no"
  fi
} > "$tmp/manager-general.conf"
{
  echo "; Written by entrypoint.sh at start-up: do not edit."
  if [ -n "$AMI_SECRET" ]; then
    printf 'secret = %s\n' "$AMI_SECRET"
    for net in $(printf '%s' "$AMI_PERMIT" | tr ',' ' '); do
      is_ipv4_or_cidr "$net" || die "AMI_PERMIT: '$net' is not an IPv4 address or network"
      printf 'permit = %s\n' "$net"
    done
  fi
} > "$tmp/manager-user.conf"

for file in extensions-globals.conf pjsip-network.conf manager-general.conf; do
  chmod 0644 "$tmp/$file"
  mv "$tmp/$file" "$GEN_DIR/$file"
done
# The secret is readable by Asterisk's user only (Asterisk reads its configuration after it has
# dropped to runuser, so the file belongs to that user when it exists).
chmod 0600 "$tmp/manager-user.conf"
if id asterisk >/dev/null 2>&1; then
  chown asterisk "$tmp/manager-user.conf"
fi
mv "$tmp/manager-user.conf" "$GEN_DIR/manager-user.conf"

if [ -z "$(printf '%s' "$CARRIER_SIP_ADDRESSES" | tr -d ', ')" ]; then
  echo "vssid-asterisk: CARRIER_SIP_ADDRESSES is empty: calls from the carrier will be refused" >&2
fi
if [ -n "$(printf '%s' "$SIPP_TEST_ADDRESSES" | tr -d ', ')" ]; then
  echo "vssid-asterisk: SIPp test endpoint enabled for $SIPP_TEST_ADDRESSES (leave SIPP_TEST_ADDRESSES empty in production)" >&2
fi

exec "$@"
