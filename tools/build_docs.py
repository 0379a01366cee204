#!/usr/bin/env python
"""Build fcnet's docs site into `docs/` and `README.md` from the notebooks, without Quarto.

Usage: python tools/build_docs.py [--nbs nbs] [--out docs] [--readme README.md]

Each notebook in `nbs/` (`index.ipynb` first, then the others in name order) goes through nbdev's own docs
processing (`nbdev.processors.FilterDefaults`, what `nbdev_proc_nbs` runs: frontmatter, a show_doc entry for each
exported symbol, hidden cells removed), then Sphinx with myst-nb renders the processed notebooks, with the
outputs stored in them, into a static site. Pages keep the names nbdev's Quarto site gives them (`00_test.ipynb`
becomes `test.html`), so `nbdev_docs` and this build publish the same addresses. Nothing is executed but what
nbdev's show_doc step needs (imports and exported definitions). `index.ipynb` also becomes `README.md`.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT/'tools'/'docs'
_re_dir = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')
# Quarto cell options nbdev's processing leaves in code cells, as myst-nb cell tags
_tags = {('echo', 'false'): 'remove-input', ('output', 'false'): 'remove-output', ('include', 'false'): 'remove-cell'}

def nb_order(nbs):
    "Notebooks in `nbs`: `index.ipynb` first, then the rest in name order (skipping `_*` and `.*`, as nbdev does)"
    return sorted((p for p in Path(nbs).glob('*.ipynb') if p.name[0] not in '_.'), key=lambda p: (p.stem != 'index', p.name))

_re_showdoc = re.compile(r'^(#\|.*\n)*show_doc\(')
_run_dirs = {'export', 'exports', 'exporti', 'exec_doc'}

def _imports_of(cell):
    "The top-level import statements of a code cell that is neither exported nor a show_doc cell"
    import ast
    if cell.cell_type != 'code' or cell.directives_.keys() & _run_dirs or _re_showdoc.match(cell.source or ''): return None
    if cell.directives_.get('eval:', [''])[0].lower() == 'false': return ''
    return '\n'.join(ast.unparse(t) for t in (cell.parsed_() or []) if isinstance(t, (ast.Import, ast.ImportFrom)))

def _docs_only(exec_show_docs):
    """nbdev's show_doc step, running only what show_doc needs: exported cells, show_doc cells and the imports of the
    other cells (nbdev would run a whole cell that mixes imports with other code). Cells keep their stored outputs,
    except show_doc cells, which get fresh ones"""
    class docs_only(exec_show_docs):
        def __call__(self, cell):
            imps = _imports_of(cell)
            if imps is None:
                outs = cell.get('outputs')
                super().__call__(cell)
                if outs is not None and not _re_showdoc.match(cell.source or ''): cell['outputs'] = outs
            elif imps and getattr(self, 'k', None) is not None and self.nb.has_docs_:
                self.k.run(imps)
                if self.k.exc: raise Exception(f"Error in notebook {self.nb.path_} in the imports of cell {cell.idx_}:\n{imps}") from self.k.exc
    return docs_only

def _split_directives(src):
    "Quarto `#| key: value` lines at the top of `src`, and the code after them"
    lines, dirs = src.splitlines(), {}
    while lines and (m := _re_dir.match(lines[0])): dirs[m[1]] = m[2].strip('\'"').lower(); lines.pop(0)
    return dirs, '\n'.join(lines)

def _page_links(s, site, base=''):
    "Links to pages of the site (nbdev makes them absolute) and to notebooks (`02_init.ipynb`) as `base` + page name"
    if site: s = re.sub(re.escape(site) + r'/?([\w.-]+\.html)', lambda m: base + m[1], s)
    return re.sub(r'\]\((?:\d+_)?([\w.-]+?)\.ipynb(#[^)\s]*)?\)', lambda m: f"]({base}{m[1]}.html{m[2] or ''})", s)

def _map_markdown(nb, f):
    "Apply `f` to the markdown of `nb`: markdown cells and markdown outputs (show_doc's)"
    for c in nb.cells:
        if c.cell_type == 'markdown': c['source'] = f(c.source)
        for o in c.get('outputs', []):
            if o.get('data', {}).get('text/markdown'): o['data']['text/markdown'] = f(''.join(o['data']['text/markdown']))

def process_nb(src, dst, site):
    """Run nbdev's docs processing on notebook `src` and write it as a myst-nb page into folder `dst` (the index also
    into `dst/../readme`, with links to the published site); returns (page, title, summary)"""
    import copy, yaml
    from execnb.nbio import read_nb, write_nb, mk_cell
    from nbdev.processors import FilterDefaults, exec_show_docs
    class Procs(FilterDefaults):
        def base_procs(self): return [_docs_only(p) if p is exec_show_docs else p for p in super().base_procs()]
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
            if c.source.startswith('show_doc('): tags.append('api')   # styled as an API entry (tools/docs/static/fcnet.css)
            if tags: c.metadata['tags'] = sorted(set(c.metadata.get('tags', [])) | set(tags))
            c.pop('has_sd', None); c.metadata.pop('execution', None)
            for o in c.get('outputs', []):
                md = o.get('data', {}).get('text/markdown')
                # show_doc starts each entry with a rule (`---`); on the site the `api` box separates entries
                if md: o['data']['text/markdown'] = re.sub(r'^\s*---\s*\n', '', ''.join(md))
        cells.append(c)
    title = fm.get('title') or src.stem
    head = f"# {title}\n" + (f"\n{{.fcnet-summary}}\n{fm['description']}\n" if fm.get('description') else '')
    nb.cells = [mk_cell(head, 'markdown')] + cells
    nb.metadata.pop('widgets', None)
    # nbdev_clean strips the kernel's language_info; myst-nb needs it to highlight code
    nb.metadata.setdefault('language_info', {}).setdefault('name', 'python')
    nb.metadata.language_info.setdefault('pygments_lexer', 'ipython3')
    page = Path(fm.get('output-file') or src.stem + '.html').stem
    if page == 'index':
        rd = copy.deepcopy(nb)
        _map_markdown(rd, lambda s: _page_links(s, site, site + '/' if site else ''))
        (dst.parent/'readme').mkdir(exist_ok=True)
        write_nb(rd, dst.parent/'readme'/'index.ipynb')
    _map_markdown(nb, lambda s: _page_links(s, site))
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
    if out in (ROOT, *ROOT.parents) or (out/'.git').exists(): sys.exit(f"refusing to replace {out} with the site")
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
        write_readme(tmp/'readme'/'index.ipynb', pages[0][1], pages[0][2], readme_tmp, readme.parent, assets)
        toc = '\n'.join(p for p,*_ in pages[1:])
        import nbformat
        nb = nbformat.read(idx, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell(f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{toc}\n```"))
        nbformat.write(nb, idx)
        html_dir = tmp/'html'
        r = subprocess.run([sys.executable, '-m', 'sphinx', '-b', 'html', '-E', '-a', '-q', '-c', str(CONF),
                            '-d', str(tmp/'doctrees'), str(src), str(html_dir)], cwd=tmp, env={**os.environ, 'PYTHONHASHSEED': '0'})
        if r.returncode: sys.exit(f"sphinx-build failed ({r.returncode})")
        # Sphinx's incremental-build stamp and its empty `_sources/` (html_copy_source is off) are not part of the site
        for f in ['.buildinfo', '.buildinfo.bak']: (html_dir/f).unlink(missing_ok=True)
        if (html_dir/'_sources').is_dir() and not any((html_dir/'_sources').iterdir()): (html_dir/'_sources').rmdir()
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
