#!/usr/bin/env python
"""Build fcnet's docs site into `docs/` and `README.md` from the notebooks, without Quarto.

Usage: python tools/build_docs.py [--nbs nbs] [--out docs] [--readme README.md]

Each notebook in `nbs/` (`index.ipynb` first, then the others in name order) goes through nbdev's own docs
processing (`nbdev.processors.FilterDefaults`, what `nbdev_proc_nbs` runs: frontmatter, show_doc tables for
exported symbols, hidden cells removed), then Sphinx with myst-nb renders the processed notebooks, with the
outputs stored in them, into a static site. Pages keep the names nbdev's Quarto site gives them (`00_test.ipynb`
becomes `test.html`), so `nbdev_docs` and this build publish the same addresses. Nothing is executed but what
nbdev's show_doc step needs (imports and exported definitions). `index.ipynb` also becomes `README.md`.
"""
import argparse, html, os, re, shutil, subprocess, sys, tempfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT/'tools'/'docs'
_re_dir = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')
# Quarto cell options nbdev's processing leaves in code cells, as myst-nb cell tags
_tags = {('echo', 'false'): 'remove-input', ('output', 'false'): 'remove-output', ('include', 'false'): 'remove-cell'}

def nb_order(nbs):
    "Notebooks in `nbs`: `index.ipynb` first, then the rest in name order"
    return sorted(nbs.glob('*.ipynb'), key=lambda p: (p.stem != 'index', p.name))

def _keep_outputs(exec_show_docs):
    "nbdev's show_doc executor, except that only show_doc cells get new outputs: the others keep the stored ones"
    class keep_outputs(exec_show_docs):
        def __call__(self, cell):
            outs = cell.get('outputs')
            super().__call__(cell)
            if outs is not None and not getattr(cell, 'has_sd', False) and not re.match(r'^(#\|.*\n)*show_doc', cell.source or ''):
                cell['outputs'] = outs
    return keep_outputs

def _split_directives(src):
    "Quarto `#| key: value` lines at the top of `src`, and the code after them"
    lines, dirs = src.splitlines(), {}
    while lines and (m := _re_dir.match(lines[0])): dirs[m[1]] = m[2].strip('\'"').lower(); lines.pop(0)
    return dirs, '\n'.join(lines)

def _relative_links(s, site):
    "Links nbdev made absolute (the published site) point to the page itself, so the site works from any folder"
    return re.sub(re.escape(site) + r'/?([\w.-]+\.html)', r'\1', s) if site else s

def process_nb(src, dst, site):
    "Run nbdev's docs processing on notebook `src` and write it as a myst-nb page to `dst`; returns (page, title, summary)"
    import yaml
    from execnb.nbio import read_nb, write_nb, mk_cell
    from nbdev.processors import FilterDefaults, exec_show_docs
    class Procs(FilterDefaults):
        def base_procs(self): return [_keep_outputs(p) if p is exec_show_docs else p for p in super().base_procs()]
    os.chdir(src.parent)   # the notebooks' relative paths are relative to their folder, as under nbdev_test
    nb = read_nb(src)
    Procs()(nb)
    cells, fm = [], {}
    for c in nb.cells:
        s = c.get('source') or ''
        if c.cell_type == 'raw' and s.startswith('---'): fm = yaml.safe_load(s.strip().strip('-')) or {}; continue
        if c.cell_type == 'markdown' and s.strip().startswith('<!-- WARNING'): continue
        if c.cell_type == 'code':
            dirs, c['source'] = _split_directives(s)
            tags = [t for k,t in _tags.items() if dirs.get(k[0]) == k[1]]
            if tags: c.metadata['tags'] = sorted(set(c.metadata.get('tags', [])) | set(tags))
            for o in c.get('outputs', []):
                md = o.get('data', {}).get('text/markdown')
                if md: o['data']['text/markdown'] = _relative_links(''.join(md), site)
        else: c['source'] = _relative_links(s, site)
        cells.append(c)
    title = fm.get('title') or src.stem
    head = f"# {title}\n" + (f"\n{{.fcnet-summary}}\n{fm['description']}\n" if fm.get('description') else '')
    nb.cells = [mk_cell(head, 'markdown')] + cells
    page = Path(fm.get('output-file') or src.stem + '.html').stem
    nb.metadata.pop('widgets', None)
    write_nb(nb, dst/f'{page}.ipynb')
    return page, title, fm.get('description', '')

def write_readme(page_nb, title, summary, readme, readme_dir, assets):
    "GitHub-flavoured markdown from the processed index notebook: `# title`, `> summary`, cells and their outputs"
    from nbconvert import MarkdownExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    import nbformat
    nb = nbformat.read(page_nb, as_version=4)
    nb.cells = nb.cells[1:]    # the page heading; the README gets its own
    ex = MarkdownExporter()
    ex.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={'remove-cell'}, remove_input_tags={'remove-input'},
                                                   remove_all_outputs_tags={'remove-output'}), enabled=True)
    body, res = ex.from_notebook_node(nb, resources={'output_files_dir': os.path.relpath(assets, readme_dir)})
    for name, data in sorted(res.get('outputs', {}).items()):
        (readme.parent/name).parent.mkdir(parents=True, exist_ok=True)
        (readme.parent/name).write_bytes(data)   # under `assets`, once the site is in place
    body = re.sub(r'\n{3,}', '\n\n', body).strip()
    readme.write_text(f"# {title}\n\n" + (f"> {summary}\n\n" if summary else '') + body + '\n', encoding='utf-8')

def build(nbs, out, readme):
    "Build the site from notebooks `nbs` into `out` and the README into `readme`"
    from nbdev.config import get_config
    cfg = get_config()
    site = f"{cfg.doc_host}{cfg.doc_baseurl}".rstrip('/')
    nbs, out, readme = Path(nbs).resolve(), Path(out).resolve(), Path(readme).resolve()
    srcs = nb_order(nbs)
    if not srcs or srcs[0].stem != 'index': sys.exit(f"no index.ipynb in {nbs}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp); src = tmp/'src'; src.mkdir()
        # one fresh process per notebook, like nbdev_proc_nbs: no state leaks from one notebook into the next
        with ProcessPoolExecutor(2, mp_context=get_context('spawn'), max_tasks_per_child=1) as ex:
            pages = list(ex.map(process_nb, srcs, [src]*len(srcs), [site]*len(srcs)))
        idx = src/'index.ipynb'
        assets = out/'readme_files'
        readme_tmp = tmp/'readme'/readme.name
        readme_tmp.parent.mkdir()
        write_readme(idx, pages[0][1], pages[0][2], readme_tmp, readme.parent, assets)
        toc = '\n'.join(p for p,*_ in pages[1:])
        import nbformat
        nb = nbformat.read(idx, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell(f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{toc}\n```"))
        nbformat.write(nb, idx)
        html_dir = tmp/'html'
        r = subprocess.run([sys.executable, '-m', 'sphinx', '-b', 'html', '-E', '-a', '-q', '-c', str(CONF),
                            '-d', str(tmp/'doctrees'), str(src), str(html_dir)], cwd=tmp, env={**os.environ, 'PYTHONHASHSEED': '0'})
        if r.returncode: sys.exit(f"sphinx-build failed ({r.returncode})")
        for f in ['.buildinfo', '.buildinfo.bak']: (html_dir/f).unlink(missing_ok=True)
        (html_dir/'.nojekyll').touch()   # GitHub Pages serves `_static/` and `_images/` only without Jekyll
        made = readme_tmp.parent/os.path.relpath(assets, readme.parent)
        if made.exists(): shutil.copytree(made, html_dir/assets.relative_to(out))
        if out.exists(): shutil.rmtree(out)
        shutil.copytree(html_dir, out)
        shutil.copyfile(readme_tmp, readme)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--nbs', default=ROOT/'nbs', help='folder of notebooks')
    p.add_argument('--out', default=ROOT/'docs', help='where the site goes (replaced whole)')
    p.add_argument('--readme', default=ROOT/'README.md', help='where the README goes')
    a = p.parse_args()
    build(a.nbs, a.out, a.readme)
    print(f"built {Path(a.out).resolve().relative_to(ROOT) if Path(a.out).resolve().is_relative_to(ROOT) else a.out} and {Path(a.readme).name}")

if __name__ == '__main__': main()
