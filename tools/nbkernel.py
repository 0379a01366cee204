#!/usr/bin/env python
"""Run notebooks top to bottom in a real Jupyter kernel (nbclient + ipykernel), as a user's Jupyter does.

Usage: python tools/nbkernel.py [--flags slow] [--inplace] [--timeout S] nbs/10_train.ipynb ...

Cells are skipped exactly where `nbdev_test` skips them: cells flagged with a test flag from `settings.ini`
(`tst_flags`) that is not asked for with `--flags`, cells with `#| eval: false`, and the `nbdev_export()` cell.
A skipped cell keeps its stored outputs. The kernel starts in the notebook's folder, as Jupyter starts it.
`--inplace` writes the fresh outputs back into the notebook (then run `nbdev_clean`). On a failure it prints the
notebook, the cell's number and first line, and the error, and exits 1.
"""
import argparse, configparser, re, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_re_dir = re.compile(r'^\s*#\|\s*([\w-]+:?)\s*(.*?)\s*$')

def test_flags()->set:
    "The flags `settings.ini` declares in `tst_flags` (cells carrying one are skipped unless it is asked for)"
    cfg = configparser.ConfigParser(delimiters=['='])
    cfg.read(ROOT/'settings.ini')
    return set(cfg['DEFAULT'].get('tst_flags', '').split())

def directives(src:str)->dict:
    "The `#| name value` lines at the top of a cell, as nbdev reads them"
    res = {}
    for line in src.splitlines():
        if not line.strip(): continue
        m = _re_dir.match(line)
        if not m: break
        res[m[1]] = m[2]
    return res

def skipped(cell, flags:set)->bool:
    "Does `nbdev_test` skip `cell` when `flags` are asked for?"
    if cell.cell_type != 'code': return True
    if 'nbdev_export' + '(' in cell.source: return True
    d = directives(cell.source)
    if d.get('eval:', '').lower() == 'false': return True
    return bool((test_flags() - flags) & d.keys())

class KernelError(Exception):
    "A cell raised: the notebook, the cell and the error, in one message"

def run_notebook(fn, # the notebook to run
                 flags=(), # test flags to run, e.g. ('slow',)
                 inplace:bool=False, # write the fresh outputs back into `fn`
                 timeout:int=1800, # seconds one cell may take
                )->float: # seconds it took
    "Run `fn` top to bottom in a new ipykernel; raise `KernelError` naming the cell that failed"
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
    fn,flags = Path(fn).resolve(),set(flags)
    nb = nbformat.read(fn, as_version=4)

    class Client(NotebookClient):
        async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
            if skipped(cell, flags): return cell   # as nbdev_test: not run, its stored outputs kept
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    client = Client(nb, timeout=timeout, kernel_name='python3', allow_errors=False,
                    resources={'metadata': {'path': str(fn.parent)}})
    t = time.time()
    try: client.execute()
    except (CellExecutionError, CellTimeoutError) as e:
        i = next((k for k,c in enumerate(nb.cells) if c.cell_type == 'code' and any(o.get('output_type') == 'error'
                  for o in c.get('outputs', []))), None)
        where = 'a cell' if i is None else f"cell {i} ({nb.cells[i].source.splitlines()[0][:80] if nb.cells[i].source else ''!r})"
        err = re.sub(r'\x1b\[[0-9;]*m', '', str(e))   # the traceback's colours
        raise KernelError(f"{fn.relative_to(ROOT) if fn.is_relative_to(ROOT) else fn}: {where} failed in a Jupyter kernel:\n"
                          f"{err[-4000:]}") from None
    if inplace: nbformat.write(nb, fn)
    return time.time() - t

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='+')
    p.add_argument('--flags', default='', help="test flags to run, e.g. 'slow'")
    p.add_argument('--inplace', action='store_true', help='write the outputs back into the notebook')
    p.add_argument('--timeout', type=int, default=1800, help='seconds one cell may take')
    a = p.parse_args()
    bad = 0
    for nb in a.notebooks:
        try: print(f"ok   {nb} ({run_notebook(nb, a.flags.split(), a.inplace, a.timeout):.0f}s)", flush=True)
        except KernelError as e: print(f"FAIL {e}", flush=True); bad += 1
    sys.exit(1 if bad else 0)

if __name__ == '__main__': main()
