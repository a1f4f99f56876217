#!/usr/bin/env python3
"""RTP receiver for selftest.sh: stands in for Asterisk's media side on loopback.

Listens on 127.0.0.1:PORT for the given number of seconds, then prints one JSON
line: packets per payload type, the RFC 4733 keys received (one per event,
in order) and the number of G.711 u-law packets. With --wav-out, the u-law
audio received is decoded into an 8 kHz WAV file.
"""

import argparse
import json
import socket
import struct
import time
import wave

KEYS = "0123456789*#ABCD"


def ulaw_to_linear(byte):
    byte = ~byte & 0xFF
    t = ((byte & 0x0F) << 3) + 0x84
    t <<= (byte & 0x70) >> 4
    return (0x84 - t) if (byte & 0x80) else (t - 0x84)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--event-pt", type=int, default=96)
    parser.add_argument("--wav-out")
    parser.add_argument("--json-out", required=True)
    args = parser.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", args.port))
    sock.settimeout(0.2)
    deadline = time.monotonic() + args.seconds
    per_pt, keys, seen_events, audio = {}, [], set(), bytearray()
    sources = set()
    while time.monotonic() < deadline:
        try:
            data, peer = sock.recvfrom(4096)
        except socket.timeout:
            continue
        if len(data) < 12 or data[0] >> 6 != 2:
            continue
        sources.add(f"{peer[0]}:{peer[1]}")
        pt = data[1] & 0x7F
        per_pt[pt] = per_pt.get(pt, 0) + 1
        timestamp, ssrc = struct.unpack("!II", data[4:12])
        payload = data[12:]
        if pt == args.event_pt and len(payload) >= 4:
            event = (ssrc, timestamp)
            if event not in seen_events and payload[0] < len(KEYS):
                seen_events.add(event)
                keys.append(KEYS[payload[0]])
        elif pt == 0:
            audio.extend(payload)
    summary = {"packets_per_payload_type": {str(k): v for k, v in sorted(per_pt.items())},
               "keys": "".join(keys), "ulaw_packets": per_pt.get(0, 0),
               "ulaw_seconds": round(len(audio) / 8000, 2), "sources": sorted(sources)}
    with open(args.json_out, "w", encoding="utf-8") as out:
        json.dump(summary, out)
        out.write("\n")
    if args.wav_out:
        with wave.open(args.wav_out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes(b"".join(struct.pack("<h", ulaw_to_linear(b)) for b in audio))


if __name__ == "__main__":
    main()
