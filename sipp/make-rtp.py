#!/usr/bin/env python3
"""Build the RTP captures that the SIPp call tests play to Asterisk.

Spoken code (default): the digits are rendered by espeak-ng (or taken from a
WAV file), resampled to 8 kHz, encoded as G.711 u-law and cut into 20 ms RTP
packets (payload type 0) inside Ethernet/IPv4/UDP frames of a classic pcap
file. SIPp's play_pcap_audio action replays such a file towards the media
address Asterisk announced, rewriting addresses and ports, and keeping the
RTP header and the packet timing of the capture.

DTMF (--dtmf): RFC 4733 telephone-event packets for the given keys, for SIPp
builds without play_dtmf. The payload type must match the SDP of the
scenario (the scenarios announce 96, the number SIPp's play_dtmf uses).

Only the Python standard library is used; espeak-ng is run as a program.
The output is deterministic: the same arguments give the same bytes.
"""

import argparse
import array
import io
import math
import os
import shutil
import struct
import subprocess
import sys
import wave

SAMPLE_RATE = 8000
FRAME_MS = 20
SAMPLES_PER_FRAME = SAMPLE_RATE * FRAME_MS // 1000  # 160 bytes of u-law

DIGIT_WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "vi": ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"],
}

# Addresses of the capture itself: SIPp replaces them, so documentation
# addresses (RFC 5737) are used. Only the destination port matters to SIPp,
# as the base from which it offsets the ports of each packet.
SRC_MAC = bytes.fromhex("020000000001")
DST_MAC = bytes.fromhex("020000000002")
SRC_IP = bytes([192, 0, 2, 10])
DST_IP = bytes([192, 0, 2, 20])
SRC_PORT = 40000
DST_PORT = 6000
PCAP_EPOCH = 1700000000  # fixed capture time keeps the output reproducible


def fail(message):
    print(f"make-rtp: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- audio in

def read_wav(data):
    """Return (samples as list of ints, sample rate) from WAV bytes, as mono 16-bit."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        fail(f"not a PCM WAV file: {exc}")
    if width == 2:
        pcm = array.array("h")
        pcm.frombytes(frames)
        if sys.byteorder == "big":
            pcm.byteswap()
        values = list(pcm)
    elif width == 1:
        values = [(b - 128) << 8 for b in frames]
    else:
        fail(f"unsupported WAV sample width {width * 8} bits (use 8 or 16)")
    if channels > 1:
        values = [sum(values[i:i + channels]) // channels for i in range(0, len(values), channels)]
    return values, rate


def render_speech(text, voice, speed):
    """Render text with espeak-ng and return its WAV bytes."""
    exe = shutil.which("espeak-ng")
    if not exe:
        fail("espeak-ng is not installed (Debian: apt-get install espeak-ng), or pass --wav FILE")
    try:
        result = subprocess.run([exe, "-v", voice, "-s", str(speed), "--stdout", text],
                                check=True, capture_output=True, timeout=60)
    except subprocess.CalledProcessError as exc:
        fail(f"espeak-ng failed: {exc.stderr.decode(errors='replace').strip()}")
    except subprocess.TimeoutExpired:
        fail("espeak-ng did not finish within 60 s")
    if not result.stdout:
        fail("espeak-ng produced no audio")
    return result.stdout


def resample(samples, rate_in, rate_out, half_taps=16):
    """Windowed-sinc resampler; low-pass at 90 % of the lower Nyquist frequency."""
    if rate_in == rate_out:
        return list(samples)
    ratio = rate_out / rate_in
    cutoff = 0.9 * min(1.0, ratio)  # relative to the input Nyquist frequency
    n_out = int(len(samples) * ratio)
    out = []
    n_in = len(samples)
    for n in range(n_out):
        t = n / ratio
        centre = int(math.floor(t))
        acc = 0.0
        norm = 0.0
        for k in range(centre - half_taps + 1, centre + half_taps + 1):
            x = t - k
            if x == 0.0:
                sinc = cutoff
            else:
                sinc = math.sin(math.pi * cutoff * x) / (math.pi * x)
            window = 0.5 + 0.5 * math.cos(math.pi * x / half_taps) if abs(x) < half_taps else 0.0
            weight = sinc * window
            norm += weight
            if 0 <= k < n_in:
                acc += samples[k] * weight
        out.append(acc / norm if norm else 0.0)
    return out


def normalise(samples, peak_dbfs):
    """Scale to the given peak level: synthetic voices clip, and G.711 has no headroom."""
    peak = max((abs(s) for s in samples), default=0)
    if peak == 0:
        fail("the rendered audio is silent")
    gain = (32767 * 10 ** (peak_dbfs / 20.0)) / peak
    return [int(round(s * gain)) for s in samples]


# ---------------------------------------------------------------- G.711

_SEG_END = (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)


def linear_to_ulaw(sample):
    """One 16-bit linear sample to one G.711 u-law byte (ITU-T G.711, as in Sun's g711.c)."""
    value = max(-32768, min(32767, int(sample))) >> 2
    if value < 0:
        value = -value
        mask = 0x7F
    else:
        mask = 0xFF
    value = min(value, 8159) + 33
    for segment, end in enumerate(_SEG_END):
        if value <= end:
            return ((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask
    return 0x7F ^ mask


def ulaw_to_linear(byte):
    """Inverse of linear_to_ulaw, used by --self-test."""
    byte = ~byte & 0xFF
    t = ((byte & 0x0F) << 3) + 0x84
    t <<= (byte & 0x70) >> 4
    return (0x84 - t) if (byte & 0x80) else (t - 0x84)


# ---------------------------------------------------------------- packets

def ip_checksum(header):
    total = sum(struct.unpack(f"!{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def frame(rtp_packet, ip_id):
    udp_len = 8 + len(rtp_packet)
    udp = struct.pack("!HHHH", SRC_PORT, DST_PORT, udp_len, 0) + rtp_packet
    ip_header = struct.pack("!BBHHHBBH4s4s", 0x45, 0xB8, 20 + udp_len, ip_id, 0x4000, 64, 17, 0,
                            SRC_IP, DST_IP)
    ip_header = ip_header[:10] + struct.pack("!H", ip_checksum(ip_header)) + ip_header[12:]
    return DST_MAC + SRC_MAC + b"\x08\x00" + ip_header + udp


def rtp(payload_type, marker, seq, timestamp, ssrc, payload):
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | payload_type,
                       seq & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc) + payload


def write_pcap(path, packets):
    """packets: list of (time offset in microseconds, RTP bytes)."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))  # LINKTYPE_ETHERNET
        for ip_id, (offset_us, packet) in enumerate(packets, start=1):
            data = frame(packet, ip_id & 0xFFFF)
            sec, usec = divmod(offset_us, 1_000_000)
            out.write(struct.pack("<IIII", PCAP_EPOCH + sec, usec, len(data), len(data)))
            out.write(data)
    os.replace(tmp, path)


def audio_packets(ulaw, payload_type, ssrc):
    packets = []
    seq0, ts0 = 1000, 16000
    for index in range(0, len(ulaw) // SAMPLES_PER_FRAME):
        chunk = ulaw[index * SAMPLES_PER_FRAME:(index + 1) * SAMPLES_PER_FRAME]
        packets.append((index * FRAME_MS * 1000,
                        rtp(payload_type, index == 0, seq0 + index, ts0 + index * SAMPLES_PER_FRAME,
                            ssrc, chunk)))
    return packets


DTMF_EVENTS = {str(d): d for d in range(10)}
DTMF_EVENTS.update({"*": 10, "#": 11, "A": 12, "B": 13, "C": 14, "D": 15})


def dtmf_packets(keys, payload_type, ssrc, tone_ms, gap_ms, volume=10):
    """RFC 4733 events: a packet every 20 ms while a key is down, the end packet sent three times."""
    packets = []
    seq, now_ms, timestamp = 2000, 0, 32000
    for key in keys:
        event = DTMF_EVENTS[key]
        steps = max(1, tone_ms // FRAME_MS)
        for step in range(1, steps + 1):
            duration = step * SAMPLES_PER_FRAME
            end = step == steps
            payload = struct.pack("!BBH", event, (0x80 if end else 0) | volume, duration)
            copies = 3 if end else 1
            for _ in range(copies):
                packets.append((now_ms * 1000, rtp(payload_type, step == 1, seq, timestamp, ssrc, payload)))
                seq += 1
            now_ms += FRAME_MS
        now_ms += gap_ms
        timestamp += (tone_ms + gap_ms) * SAMPLE_RATE // 1000
    return packets


# ---------------------------------------------------------------- main

def synthetic_speech(digits):
    """Tone bursts shaped like spoken digits, for checks where espeak-ng is missing.

    Not speech: a recogniser hears nothing in it. It only gives a capture with
    the length and the framing of a spoken code.
    """
    samples = []
    for index, digit in enumerate(digits):
        low, high = 300 + 40 * int(digit), 900 + 70 * int(digit)
        length = SAMPLE_RATE * 45 // 100
        for n in range(length):
            envelope = math.sin(math.pi * n / length)
            samples.append(int(9000 * envelope * (math.sin(2 * math.pi * low * n / SAMPLE_RATE)
                                                  + 0.5 * math.sin(2 * math.pi * high * n / SAMPLE_RATE))))
        samples.extend([0] * (SAMPLE_RATE * 25 // 100))
    return samples


def build_audio(args):
    if args.synthetic:
        samples = normalise(synthetic_speech(args.digits), args.peak_dbfs)
        source = "synthetic tone bursts (not speech)"
    elif args.wav:
        with open(args.wav, "rb") as handle:
            wav_bytes = handle.read()
        source = args.wav
        samples, rate = read_wav(wav_bytes)
        samples = normalise(resample(samples, rate, SAMPLE_RATE), args.peak_dbfs)
    else:
        words = DIGIT_WORDS[args.voice.split("-")[0]] if args.voice.split("-")[0] in DIGIT_WORDS else None
        if args.text:
            text = args.text
        elif words:
            text = ", ".join(words[int(d)] for d in args.digits)
        else:
            text = ", ".join(args.digits)
        wav_bytes = render_speech(text, args.voice, args.speed)
        source = f"espeak-ng -v {args.voice}: {text}"
        samples, rate = read_wav(wav_bytes)
        samples = normalise(resample(samples, rate, SAMPLE_RATE), args.peak_dbfs)
    lead = [0] * (SAMPLE_RATE * args.lead_silence_ms // 1000)
    tail = [0] * (SAMPLE_RATE * args.tail_silence_ms // 1000)
    samples = lead + samples + tail
    samples += [0] * (-len(samples) % SAMPLES_PER_FRAME)
    return samples, source


def write_wav(path, samples):
    pcm = array.array("h", (max(-32768, min(32767, s)) for s in samples))
    if sys.byteorder == "big":
        pcm.byteswap()
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())


def self_test():
    """Checks of the encoder against G.711 reference points and of the pcap layout."""
    assert linear_to_ulaw(0) == 0xFF
    assert linear_to_ulaw(-1) == 0x7E
    assert linear_to_ulaw(32767) == 0x80
    assert linear_to_ulaw(-32768) == 0x00
    for value in range(-32768, 32768, 97):
        decoded = ulaw_to_linear(linear_to_ulaw(value))
        # u-law keeps 4 bits of mantissa: the error stays within one step of the segment
        assert abs(decoded - value) <= max(16, abs(value) // 16), (value, decoded)
    packet = frame(rtp(0, True, 1, 160, 7, bytes(160)), 1)
    assert len(packet) == 14 + 20 + 8 + 12 + 160
    assert ip_checksum(packet[14:34]) == 0
    print("make-rtp: self-test passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--digits", default="0123456789",
                        help="digits to speak (or to key with --dtmf); default %(default)s")
    parser.add_argument("--voice", default="en", help="espeak-ng voice, e.g. en or vi; default %(default)s")
    parser.add_argument("--speed", type=int, default=130, help="espeak-ng words per minute; default %(default)s")
    parser.add_argument("--text", help="speak this text instead of the digit words")
    parser.add_argument("--wav", help="use this PCM WAV file (any rate) instead of espeak-ng")
    parser.add_argument("--synthetic", action="store_true",
                        help="tone bursts instead of speech, for loading checks without espeak-ng")
    parser.add_argument("--lead-silence-ms", type=int, default=400)
    parser.add_argument("--tail-silence-ms", type=int, default=3000,
                        help="silence after the speech, so that Asterisk's silence detection can end "
                             "RECORD FILE: it only counts silence it receives; default %(default)s")
    parser.add_argument("--peak-dbfs", type=float, default=-6.0)
    parser.add_argument("--payload-type", type=int, default=None,
                        help="RTP payload type: default 0 (PCMU) for speech, 96 for --dtmf")
    parser.add_argument("--ssrc", type=lambda v: int(v, 0), default=0x56535301)
    parser.add_argument("--dtmf", action="store_true",
                        help="write RFC 4733 DTMF events for --digits (0-9 * # A-D) instead of speech")
    parser.add_argument("--tone-ms", type=int, default=160)
    parser.add_argument("--gap-ms", type=int, default=160)
    parser.add_argument("--wav-out", help="also write the 8 kHz audio as WAV, to listen to it")
    parser.add_argument("--out", help="pcap file to write")
    parser.add_argument("--print-duration-ms", action="store_true",
                        help="print only the length of the capture in milliseconds on standard output "
                             "(the summary goes to standard error)")
    parser.add_argument("--self-test", action="store_true", help="check the encoder and exit")
    args = parser.parse_args()

    if args.self_test:
        self_test()
        return
    if not args.out:
        parser.error("--out is required")
    allowed = set(DTMF_EVENTS) if args.dtmf else set("0123456789")
    if not args.digits or len(args.digits) > 32 or not set(args.digits) <= allowed:
        parser.error("--digits: 1 to 32 of " + "".join(sorted(allowed)))
    if not 0 <= (args.payload_type if args.payload_type is not None else 0) <= 127:
        parser.error("--payload-type must be 0..127")
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)

    if args.dtmf:
        payload_type = 96 if args.payload_type is None else args.payload_type
        packets = dtmf_packets(args.digits, payload_type, args.ssrc, args.tone_ms, args.gap_ms)
        write_pcap(args.out, packets)
        print(f"make-rtp: {args.out}: {len(packets)} RFC 4733 packets, payload type {payload_type}, "
              f"keys {args.digits}")
        return

    samples, source = build_audio(args)
    ulaw = bytes(linear_to_ulaw(s) for s in samples)
    payload_type = 0 if args.payload_type is None else args.payload_type
    packets = audio_packets(ulaw, payload_type, args.ssrc)
    write_pcap(args.out, packets)
    if args.wav_out:
        write_wav(args.wav_out, samples)
    duration_ms = len(packets) * FRAME_MS
    print(f"make-rtp: {args.out}: {len(packets)} RTP packets ({duration_ms / 1000:.2f} s, G.711 u-law, "
          f"payload type {payload_type}) from {source}",
          file=sys.stderr if args.print_duration_ms else sys.stdout)
    if args.print_duration_ms:
        print(duration_ms)


if __name__ == "__main__":
    main()
