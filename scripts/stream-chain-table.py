#!/usr/bin/env python3
"""Markdown table of a stream-chain run: per stage the steps, wall time, training loss (first step -> mean of the
last 25 steps), and the final validation: student-vs-teacher feature distance, stage loss, STOI / mel distance.

Usage: scripts/stream-chain-table.py RUN_ROOT
"""
import csv
import math
import os
import sys

root = sys.argv[1]
names = ["0-teacher", "1-decoder", "ref-causal", "2-posemb", "3-encoder", "4-quantizer", "5-joint"]
index = {"0-teacher": 0, "1-decoder": 1, "ref-causal": 9, "2-posemb": 2, "3-encoder": 3, "4-quantizer": 4, "5-joint": 5}
what = {"0-teacher": "teacher (codec, full context)", "1-decoder": "1 decoder (causal)", "ref-causal": "(causal student before distillation)", "2-posemb": "2 posemb",
        "3-encoder": "3 encoder", "4-quantizer": "4 quantizer", "5-joint": "5 joint (+refiner)"}
wall = {}
path = os.path.join(root, "wall-seconds.txt")
if os.path.exists(path):
    for line in open(path):
        n, _, s = line.split()
        wall[int(n)] = wall.get(int(n), 0) + int(s)


def rows(p):
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return list(csv.DictReader(f))


def num(r, k):
    try:
        return float(r.get(k) or "nan")
    except ValueError:
        return math.nan


def tok(r):
    d, h = num(r, "distinct_tokens"), num(r, "token_entropy_bits")
    return "–" if math.isnan(d) else f"{int(d)} / {h:.2f} bit"


def fmt(x, p=4):
    return "–" if x is None or math.isnan(x) else f"{x:.{p}g}"


print("| stage | steps | wall | train loss first → end | val stage loss | feat rel-L2 (MSE) | quantised feat rel-L2 | tokens used / entropy | STOI | mel dist. |")
print("|---|---|---|---|---|---|---|---|---|---|")
for n in names:
    i = index[n]
    m = rows(os.path.join(root, n, "metrics.csv"))
    v = rows(os.path.join(root, n, "val.csv"))
    if not m:
        continue
    loss = [num(r, "loss") for r in m]
    end = sum(loss[-25:]) / len(loss[-25:])
    last = v[-1] if v else {}
    w = wall.get(i)
    ws = f"{w // 60} min {w % 60:02d} s" if w is not None else "–"
    print(f"| {what[n]} | {int(num(m[-1], 'step'))} | {ws} | {fmt(loss[0])} → {fmt(end)} | {fmt(num(last, 'val_loss'))} | "
          f"{fmt(num(last, 'feat_rel_l2'), 3)} ({fmt(num(last, 'feat_mse'), 3)}) | {fmt(num(last, 'qfeat_rel_l2'), 3)} | "
          f"{tok(last)} | {fmt(num(last, 'stoi'), 3)} | {fmt(num(last, 'mel_distance'), 3)} |")
total = sum(wall.values())
print(f"\nTotal wall time of the training stages: {total // 60} min {total % 60:02d} s")
