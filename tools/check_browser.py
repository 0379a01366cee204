#!/usr/bin/env python
"""Browser test of the docs site in `docs/`: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Usage: python tools/check_browser.py [--site docs] [--nbs nbs] [--chromium /usr/bin/chromium]

The site is served from its parent folder on 127.0.0.1 (so it sits under a sub-path, /docs/, as on GitHub Pages),
and every request to anything but that server is refused. From the home page it follows each sidebar link and checks
the sidebar order (the notebooks' order), each page's title, that every image loaded, that code is highlighted, that
each exported function and class has its API entry, and that no console errors or failed requests happened; then it
searches for "kaiming" and expects the page of `02_init`; last it opens the home page and a search straight from disk
(file://). Prints one line per check; exits 1 if any failed. Bounded: 20 s per browser step, 240 s in all.
"""
import argparse, functools, http.server, os, signal, sys, threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_docs import nb_order

TIMEOUT_S = 240   # the whole test; each browser step has its own 20 s limit

def expected_pages(nbs):
    "(notebook, page, title, has_images) for each notebook, in site order, as nbdev's frontmatter names them"
    from execnb.nbio import read_nb
    from nbdev.process import NBProcessor
    from nbdev.frontmatter import FrontmatterProc
    res = []
    for p in nb_order(nbs):
        nb = read_nb(p)
        NBProcessor(nb=nb, procs=[FrontmatterProc]).process()
        fm = nb.frontmatter_
        imgs = any(k.startswith('image/') for c in nb.cells for o in c.get('outputs', []) for k in o.get('data', {}))
        res.append((p.stem, Path(fm.get('output-file', p.stem + '.html')).stem, fm.get('title', p.stem), imgs))
    return res

def api_entries():
    "{page: [(name, anchor)]}: the exported functions and classes (each module's `__all__`), where nbdev's index links them"
    import importlib, inspect
    from nbdev.config import get_config
    syms = importlib.import_module(f"{get_config().lib_name}._modidx").d['syms']
    res = {}
    for mod, links in syms.items():
        m = importlib.import_module(mod)
        for name in getattr(m, '__all__', []):
            o, link = getattr(m, name, None), links.get(f"{mod}.{name}", ('',))[0]
            if (inspect.isfunction(o) or inspect.isclass(o)) and o.__module__ == mod and '#' in link:
                page, anchor = link.split('#', 1)
                res.setdefault(page.removesuffix('.html'), []).append((name, anchor))
    return res

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass

def serve(folder):
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--site', default=ROOT/'docs', type=Path)
    p.add_argument('--nbs', default=ROOT/'nbs', type=Path)
    p.add_argument('--chromium', default=os.environ.get('CHROMIUM', '/usr/bin/chromium'))
    a = p.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(f"FAIL: browser test still running after {TIMEOUT_S}s"))
    signal.alarm(TIMEOUT_S)
    if not Path(a.chromium).exists(): sys.exit(f"FAIL: no Chromium at {a.chromium} (apt-get install chromium)")
    site = a.site.resolve()
    pages, api = expected_pages(a.nbs), api_entries()
    srv = serve(site.parent)
    base = f"http://127.0.0.1:{srv.server_port}/{site.name}/"
    fails = []
    def check(ok, what):
        print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if not ok: fails.append(what)

    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=a.chromium, args=['--no-sandbox'])
        page = browser.new_page(viewport={'width': 1280, 'height': 900})
        page.set_default_timeout(20_000)
        errors = []
        def only_local(route):
            u = urlparse(route.request.url)
            if u.scheme == 'file' or u.hostname == '127.0.0.1': return route.continue_()
            errors.append(f"request outside 127.0.0.1 refused: {route.request.url}")
            route.abort()
        page.route('**/*', only_local)
        page.on('console', lambda m: m.type == 'error' and errors.append(f"console error: {m.text}"))
        page.on('pageerror', lambda e: errors.append(f"page error: {e}"))
        page.on('requestfailed', lambda r: errors.append(f"request failed: {r.url} ({r.failure})"))
        page.on('response', lambda r: r.status >= 400 and errors.append(f"HTTP {r.status}: {r.url}"))

        def check_page(nb, name, title, imgs):
            h1 = page.locator('article h1').first.inner_text().strip().rstrip('#¶').strip()
            check(h1 == title and page.title().startswith(title),
                  f"{nb}: page {name}.html has title {title!r} (h1 {h1!r}, <title> {page.title()!r})")
            page.wait_for_load_state('load')
            bad = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
            n = page.evaluate("document.images.length")
            check(not bad and (n > 0 or not imgs), f"{nb}: all {n} images loaded" + (f"; broken: {bad}" if bad else '')
                  + ('' if n or not imgs else '; the notebook has image outputs but the page shows none'))
            code = page.evaluate("document.querySelectorAll('.cell_input').length")
            lit = page.evaluate("document.querySelectorAll('.cell_input .highlight span.k, .cell_input .highlight span.kn').length")
            check(lit > 0 or not code, f"{nb}: code highlighted ({code} code cells, {lit} highlighted keywords)")
            want = api.get(name, [])
            shown = page.eval_on_selector_all('.tag_api p.rubric', "els => els.map(e => e.innerText.trim())")
            miss = [n for n,_ in want if n not in shown]
            nolink = page.evaluate("as => as.filter(a => !document.getElementById(a))", [a for _,a in want])
            check(not miss and not nolink, f"{nb}: an API entry for each of its {len(want)} exported functions and classes"
                  + (f"; missing: {miss}" if miss else '') + (f"; no anchor for nbdev's links: {nolink}" if nolink else ''))
            check(not errors, f"{nb}: no console errors or failed requests" + (': ' + '; '.join(errors) if errors else ''))
            errors.clear()

        home = pages[0]
        page.goto(base)
        check_page(*home)
        links = page.eval_on_selector_all('.sidebar-tree a.reference',
                                          "els => els.map(e => e.getAttribute('href').split('#')[0].replace(/\\.html$/, ''))")
        want = [name for _,name,*_ in pages[1:]]
        check(links == want, f"sidebar lists the notebooks in order: {links}" + ('' if links == want else f", expected {want}"))
        for nb, name, title, imgs in pages[1:]:
            page.goto(base)
            errors.clear()
            link = page.locator(f'.sidebar-tree a.reference[href="{name}.html"]')
            if link.count() != 1: check(False, f"{nb}: one sidebar link to {name}.html (found {link.count()})"); continue
            try:
                link.click()
                page.wait_for_url(f"**/{site.name}/{name}.html*")
                check_page(nb, name, title, imgs)
            except Exception as e: check(False, f"{nb}: following the sidebar link to {name}.html: {e}")

        init = next((pg for pg in pages if pg[0] == '02_init'), None)
        if init is None: print("SKIP search for 'kaiming' finds the page of 02_init: nbs/02_init.ipynb does not exist yet")
        else:
            page.goto(base)
            page.fill('input.sidebar-search', 'kaiming')
            page.press('input.sidebar-search', 'Enter')
            page.wait_for_url('**/search.html?q=kaiming*')
            page.wait_for_function("(document.querySelector('#search-results .search-summary')||{}).innerText")
            hits = page.eval_on_selector_all('#search-results ul.search li a', "els => els.map(e => e.getAttribute('href'))")
            check(any(h.split('?')[0].split('#')[0] == f"{init[1]}.html" for h in hits),
                  f"search for 'kaiming' finds {init[1]}.html (02_init): results {hits}")
            check(not errors, "search: no console errors or failed requests" + (': ' + '; '.join(errors) if errors else ''))
            errors.clear()

        # opened from disk: the home page renders and search still works (result summaries need a server, so
        # the browser's refusals of those fetches are expected here and not counted)
        page.goto((site/'index.html').as_uri())
        bad = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length")
        css = page.evaluate("getComputedStyle(document.querySelector('.sidebar-drawer')).display")
        check(not bad and css != 'inline', f"from disk: home page styled (sidebar display {css!r}) and its images load")
        page.goto((site/'search.html').as_uri() + '?q=' + ('kaiming' if init else home[2]))
        page.wait_for_function("(document.querySelector('#search-results .search-summary')||{}).innerText")
        n = page.eval_on_selector_all('#search-results ul.search li a', "els => els.length")
        check(n > 0, f"from disk: search finds {n} page(s)")
        browser.close()
    srv.shutdown()
    print(f"browser: {len(fails)} check(s) failed" if fails else "browser: all checks passed")
    sys.exit(1 if fails else 0)

if __name__ == '__main__': main()
