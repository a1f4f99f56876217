#!/bin/sh
# Container health: Asterisk answers on its control socket, the UDP transport
# is up and the modules that carry a call are running.
set -eu
ast() {
  timeout 8 /usr/sbin/asterisk -C /etc/vssid-asterisk/asterisk.conf -rx "$1" 2>&1
}
ast 'core show uptime seconds' | grep -q 'System uptime' || exit 1
ast 'pjsip show transport transport-udp' | grep -q 'transport-udp' || exit 1
for module in chan_pjsip res_agi res_rtp_asterisk pbx_config; do
  ast "module show like $module" | grep -q '1 modules loaded' || exit 1
done
exit 0
