#!/usr/bin/env python
"""Check that `docs/` and `README.md` are current: rebuild both into a temporary folder and compare byte for byte.

Usage: python tools/check_docs.py
The build is deterministic (no dates, stable file names and order), so every file counts: nothing is excluded.
On a difference it lists the files and exits 1; `make docs` rebuilds them.
"""
import subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def files(d):
    "Relative paths of the files under `d`"
    return {p.relative_to(d).as_posix() for p in d.rglob('*') if p.is_file()} if d.is_dir() else set()

def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        r = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py'), '--out', str(tmp/'docs'),
                            '--readme', str(tmp/'README.md')], cwd=ROOT, capture_output=True, text=True)
        if r.returncode: sys.exit(f"the docs build failed:\n{r.stdout}{r.stderr}")
        new, old = files(tmp/'docs'), files(ROOT/'docs')
        diff = [f"docs/{f} (not in the rebuilt site)" for f in sorted(old - new)]
        diff += [f"docs/{f} (missing)" for f in sorted(new - old)]
        diff += [f"docs/{f} (differs)" for f in sorted(new & old) if (tmp/'docs'/f).read_bytes() != (ROOT/'docs'/f).read_bytes()]
        readme = ROOT/'README.md'
        if not readme.exists() or readme.read_bytes() != (tmp/'README.md').read_bytes(): diff.append('README.md (differs)')
    if diff:
        print(f"{len(diff)} generated file(s) are not current; run `make docs` and commit docs/ and README.md:")
        print('\n'.join('  ' + d for d in diff))
        sys.exit(1)
    print(f"docs/ ({len(new)} files) and README.md match a fresh build")

if __name__ == '__main__': main()
