#!/usr/bin/env python
"""fcnet's test command: the exported package and the notebooks must be in sync and clean, and every notebook must run, under nbdev_test and in a real Jupyter kernel.

Usage: python tools/test.py [--flags slow] [--skip kernel,docs,browser]
Prints one line per check and ends with `tests: N passed, M failed`; exits non-zero if anything failed or nothing ran.
"""
import argparse, filecmp, os, shutil, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

NB_ENV = {}   # added to the notebook runs' environment: `main` divides the cores between the notebooks run at once

def sh(*args, env=None):
    "Run a command from the project root, capturing its output; `env` is added to this process's environment"
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})

def _tree_diff(a, b):
    "Files that differ, or exist on one side only, between folders `a` and `b`"
    d = filecmp.dircmp(a, b, ignore=['__pycache__', '.ipynb_checkpoints'])
    out = [str(Path(a, f).relative_to(a)) for f in d.left_only + d.right_only + d.diff_files]
    for sub,sd in d.subdirs.items(): out += [f"{sub}/{f}" for f in _tree_diff(Path(a)/sub, Path(b)/sub)]
    return out

def unchanged_by(cmd, folder):
    "Run `cmd` and report the files of `folder` it changed (it should change none); the folder is put back as it was"
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp)/'snap'
        shutil.copytree(ROOT/folder, snap, ignore=shutil.ignore_patterns('__pycache__', '.ipynb_checkpoints'))
        r = sh(*cmd)
        changed = _tree_diff(snap, ROOT/folder)
        if changed:   # undo the command's edits: a failing check must fail again until someone fixes the source
            shutil.copytree(snap, ROOT/folder, dirs_exist_ok=True)
            for f in changed:
                if not (snap/f).exists(): Path(ROOT/folder/f).unlink(missing_ok=True)
        if r.returncode: return f"`{' '.join(map(str, cmd))}` failed:\n{r.stdout}{r.stderr}"
    return f"`{Path(cmd[0]).name}` changed {folder}/: {', '.join(changed)}" if changed else None

def check_export(): return unchanged_by([BIN/'nbdev_export'], 'fcnet')
def check_clean():  return unchanged_by([BIN/'nbdev_clean'], 'nbs')

def run_nb(nb, flags):
    "`nbdev_test` on notebook `nb`: nbdev's own shell, in this process's environment"
    t = time.time()
    r = sh(BIN/'nbdev_test', '--path', nb, *(['--flags', flags] if flags else []), env=NB_ENV)
    return r.returncode == 0 and 'Success' in r.stdout, time.time() - t, r.stdout + r.stderr

def run_kernel(nb, flags):
    "Notebook `nb` top to bottom in a real Jupyter kernel (`tools/nbkernel.py`), skipping the cells nbdev_test skips"
    t = time.time()
    r = sh(sys.executable, ROOT/'tools'/'nbkernel.py', nb, *(['--flags', flags] if flags else []), env={**NB_ENV, 'IN_TEST': '1'})
    out = '\n'.join(l for l in (r.stdout + r.stderr).splitlines() if 'running over TCP without encryption' not in l)
    return r.returncode == 0, time.time() - t, out

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--flags', default='', help="test flags to run, e.g. 'slow'")
    p.add_argument('--skip', default='', help='comma-separated checks to skip: export,clean,notebooks,kernel,docs,browser,train')
    p.add_argument('--workers', type=int, default=2)
    a = p.parse_args()
    skip = set(filter(None, a.skip.split(',')))
    # notebooks run `--workers` at a time; each with as many OpenMP threads as there are cores would oversubscribe
    # them (on 2 cores, a pair of notebooks took 115-182 s, and 46 s with one thread each, 45 s one after the other)
    if 'OMP_NUM_THREADS' not in os.environ: NB_ENV['OMP_NUM_THREADS'] = str(max(1, (os.cpu_count() or 1)//max(1, a.workers)))
    results = []
    def report(name, err, secs=None):
        results.append(err is None)
        t = f" ({secs:.0f}s)" if secs is not None else ''
        print(f"{'PASS' if err is None else 'FAIL'} {name}{t}" + ('' if err is None else f"\n{err}"), flush=True)

    if 'export' not in skip: report('nbdev_export leaves fcnet/ unchanged', check_export())
    if 'clean' not in skip: report('notebooks are nbdev_clean', check_clean())
    if 'notebooks' not in skip:
        nbs = sorted(str(p.relative_to(ROOT)) for p in (ROOT/'nbs').glob('*.ipynb'))
        if not nbs: report('notebooks found in nbs/', 'no notebooks found')
        runs = [(f"nbdev_test {nb}", run_nb, nb) for nb in nbs]
        if 'kernel' not in skip: runs += [(f"Jupyter kernel {nb}", run_kernel, nb) for nb in nbs]
        with ThreadPoolExecutor(a.workers) as ex:
            for name,(ok,secs,out) in zip([n for n,_,_ in runs], ex.map(lambda r: r[1](r[2], a.flags), runs)):
                report(name + (f" --flags {a.flags}" if a.flags else ''), None if ok else out[-6000:], secs)
    for extra in sorted((ROOT/'tools').glob('check_*.py')):
        name = extra.stem[len('check_'):]
        if name in skip: continue
        t = time.time()
        r = sh(sys.executable, extra)
        report(f"{extra.name}", None if r.returncode == 0 else (r.stdout + r.stderr)[-6000:], time.time() - t)

    npass, nfail = sum(results), len(results) - sum(results)
    print(f"tests: {npass} passed, {nfail} failed")
    sys.exit(1 if nfail or not results else 0)

if __name__ == '__main__': main()
