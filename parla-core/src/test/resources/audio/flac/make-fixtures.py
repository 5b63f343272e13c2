#!/usr/bin/env python3
"""Regenerates the FLAC test fixtures in this folder (needs numpy and the reference `flac` 1.4+ encoder).

Each NAME.flac is encoded from a synthetic signal built to exercise one decoder path; NAME.wav is the reference
decoder's output (`flac -d`), which our decoder must match bit for bit. Signals are deterministic (fixed seed),
so reruns give the same fixtures.
"""
import os, struct, subprocess
import numpy as np

rng = np.random.default_rng(1234)


def signal(n, rate, bits, channels):
    """Speech-ish test signal: a chirp, a silent stretch (CONSTANT), full-scale noise (VERBATIM), a decay."""
    t = np.arange(n) / rate
    full = 2 ** (bits - 1) - 1
    chirp = 0.5 * np.sin(2 * np.pi * (200 + 3000 * t) * t)
    x = np.empty((n, channels))
    for c in range(channels):
        y = chirp * (0.9 ** c) + 0.02 * rng.standard_normal(n)
        y[n // 4: n // 4 + n // 8] = 0.0
        y[n // 2: n // 2 + n // 16] = rng.uniform(-1, 1, n // 16)
        y[3 * n // 4:] *= np.exp(-np.arange(n - 3 * n // 4) / (0.05 * rate))
        x[:, c] = y
    return np.clip(np.round(x * full), -full - 1, full).astype(np.int64)


def stereo_modes(n, rate):
    """Quarters that favour left/side, right/side, mid/side and independent coding, in that order."""
    base = signal(n, rate, 16, 1)[:, 0] // 2
    noise = np.round(30 * rng.standard_normal(n)).astype(np.int64)
    q = n // 4
    left, right = base.copy(), base.copy()
    right[:q] += noise[:q]
    left[q:2 * q] += noise[q:2 * q]
    left[2 * q:3 * q] += noise[2 * q:3 * q]
    right[2 * q:3 * q] -= noise[2 * q:3 * q]
    right[3 * q:] = rng.integers(-8000, 8000, n - 3 * q)
    return np.stack([left, right], axis=1)


def write_wav(path, x, rate, bits):
    """Plain PCM for 8/16 bits, WAVE_FORMAT_EXTENSIBLE (left-justified valid bits) for everything else."""
    width = (bits + 7) // 8
    channels = x.shape[1]
    if bits == 8:
        data = (x + 128).astype(np.uint8).tobytes()
    else:
        b = (x << (8 * width - bits)).astype("<i4").tobytes()
        data = b"".join(b[i:i + width] for i in range(0, len(b), 4))
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * width, channels * width, 8 * width)
    if bits not in (8, 16):
        guid_pcm = bytes.fromhex("0100000000001000800000aa00389b71")
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * channels * width, channels * width,
                          8 * width, 22, bits, 0) + guid_pcm
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(body)) + body)


def encode(name, x, rate, bits, *options):
    src = name + ".src.wav"
    write_wav(src, x, rate, bits)
    subprocess.run(["flac", "-s", "-f", "--no-padding", "--no-seektable", *options, "-o", name + ".flac", src],
                   check=True)
    subprocess.run(["flac", "-s", "-f", "-d", "-o", name + ".wav", name + ".flac"], check=True)
    os.remove(src)


os.chdir(os.path.dirname(os.path.abspath(__file__)))
encode("mono16", signal(5000, 16000, 16, 1), 16000, 16, "-8")
encode("stereo16-modes", stereo_modes(4096, 44100), 44100, 16, "-8", "-m", "-b", "1024")
encode("stereo24", signal(2048, 48000, 24, 2), 48000, 24, "-5")
encode("stereo8", signal(2000, 8000, 8, 2), 8000, 8, "-5")
encode("stereo32", signal(1500, 48000, 32, 2), 48000, 32, "-5")
encode("wasted16", signal(3000, 16000, 12, 1) * 16, 16000, 16, "-5")
encode("fixed16", signal(3000, 16000, 16, 1), 16000, 16, "-l", "0", "-b", "1000")
encode("lpc32-lax", signal(4096, 48000, 16, 1), 48000, 16, "--lax", "-l", "32", "-q", "15", "-b", "4096", "-r", "8")
encode("blocksize192", signal(1000, 16000, 16, 1), 16000, 16, "-b", "192")
encode("six-channels", signal(600, 16000, 16, 6), 16000, 16, "-5", "--channel-map=none")
encode("mono12", signal(2000, 8000, 12, 1), 8000, 12, "-5")
encode("three-channels20", signal(1500, 22050, 20, 3), 22050, 20, "-5", "--channel-map=none")
noise_then_dc = np.concatenate([rng.integers(-32768, 32768, (300, 1)), np.full((300, 1), -1234)])
encode("verbatim-constant16", noise_then_dc, 16000, 16, "-5", "-b", "300")
encode("stereo32-side", (stereo_modes(2048, 48000) << 16) + rng.integers(-1000, 1000, (2048, 2)), 48000, 32,
       "-8", "-m", "-b", "256")
