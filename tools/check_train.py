#!/usr/bin/env python
"""CI's short run of the main job: `fcnet_train --epochs 1` as a user runs it, then its outputs checked.

Usage: python tools/check_train.py   (needs the MNIST file: set FCNET_DATA, as `make test` and `.ci/run` do)
Checks: exit status 0, last line `valid_acc: 0.9xxx` with accuracy > 0.9, the PNG written, the weights file
written and loaded back by `fcnet.cli.load_model` into a model whose predictions on raw pixels reproduce that
accuracy and equal those of a second load. Prints one line per check; exits non-zero on the first failure.
"""
import re, subprocess, sys, tempfile, time
from pathlib import Path

BIN = Path(sys.executable).parent

def fail(msg):
    print(f"FAIL {msg}", flush=True); sys.exit(1)

def ok(msg): print(f"ok   {msg}", flush=True)

def main():
    exe = BIN/'fcnet_train'
    if not exe.is_file(): fail(f"{exe} not found: install fcnet into this environment (pip install -e .)")
    with tempfile.TemporaryDirectory() as d:
        wfn,pfn = Path(d)/'weights.pt',Path(d)/'loss.png'
        cmd = [str(exe), '--epochs', '1', '--device', 'cpu', '--save', str(wfn), '--plot', str(pfn)]
        t0 = time.time()
        r = subprocess.run(cmd, capture_output=True, text=True)
        secs = time.time() - t0
        if r.returncode != 0: fail(f"`{' '.join(cmd)}` exited with {r.returncode}:\n{r.stdout}{r.stderr}")
        ok(f"`fcnet_train --epochs 1 --device cpu --save ... --plot ...` exited 0 ({secs:.0f}s)")
        lines = r.stdout.strip().splitlines()
        last = lines[-1] if lines else ''
        m = re.fullmatch(r'valid_acc: (0\.\d{4})', last)
        if not m: fail(f"last line of output is {last!r}, expected `valid_acc: 0.xxxx`:\n{r.stdout}")
        acc = float(m.group(1))
        if acc <= 0.9: fail(f"valid accuracy after one epoch is {acc:.4f}, expected > 0.9")
        ok(f"last line {last!r}, accuracy > 0.9")
        if not any(l.startswith('epoch 1/1  train_loss') for l in lines): fail(f"no per-epoch line in the output:\n{r.stdout}")
        ok("per-epoch line printed")
        if not (pfn.is_file() and pfn.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'): fail(f"{pfn} is missing or not a PNG")
        ok(f"loss plot written ({pfn.stat().st_size} bytes of PNG)")
        if not wfn.is_file(): fail(f"{wfn} was not written")

        import torch
        from fcnet.data import get_data
        from fcnet.cli import load_model
        from fcnet.losses import accuracy
        _,_,x_valid,y_valid = get_data()
        model = load_model(wfn)
        pred = model.predict(x_valid)
        acc2 = accuracy(pred, y_valid).item()
        if f"{acc2:.4f}" != m.group(1): fail(f"the loaded model's valid accuracy is {acc2:.4f}, the run printed {m.group(1)}")
        if not torch.equal(load_model(wfn).predict(x_valid), pred): fail("two loads of the weights give different predictions")
        ok(f"weights load back with load_model; predictions from raw pixels give valid_acc {acc2:.4f}, as printed")
    print("check_train: all checks passed")

if __name__ == '__main__': main()
