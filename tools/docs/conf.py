"Sphinx configuration for fcnet's Quarto-free docs build (`make docs`, see tools/build_docs.py)."
import html
from configparser import ConfigParser
from pathlib import Path

_ini = ConfigParser(delimiters=['='])
_ini.read(Path(__file__).resolve().parents[2]/'settings.ini', encoding='utf-8')
_cfg = _ini['DEFAULT']

project = html_title = _cfg['title']
author = _cfg['author']
copyright = _cfg['copyright']
root_doc = 'index'

extensions = ['myst_nb']
# the notebooks are rendered with the outputs stored in them: nothing is executed here
nb_execution_mode = 'off'
nb_render_markdown_format = 'myst'   # show_doc's markdown (signature, parameter tables) needs tables and attributes
nb_ipywidgets_js = {}                # no scripts from a CDN: the site works offline
nb_merge_streams = True
myst_enable_extensions = ['dollarmath', 'amsmath', 'attrs_inline', 'attrs_block', 'colon_fence']
myst_dmath_double_inline = True  # `$$...$$` inside a paragraph is display math, as in Quarto
myst_heading_anchors = 4      # `#test_near` anchors, as nbdev's links and Quarto's pages use
myst_all_links_external = True  # links stay as written (tools/build_docs.py makes them relative page links)
suppress_warnings = ['myst.header', 'mystnb.unknown_mime_type']

# math becomes MathML at build time: no MathJax download, renders offline in every current browser
html_math_renderer = 'mathml'

html_theme = 'furo'
html_static_path = ['static']
html_css_files = ['fcnet.css']
html_copy_source = False      # no `_sources/` copies of the notebooks
html_show_sourcelink = False
html_show_sphinx = False
html_last_updated_fmt = None  # no build dates in pages: the committed site must rebuild byte for byte
# (no furo `source_repository`: pages are named after nbdev's output files, not the notebooks, so its links would break)

def _mathml(tex, display):
    from latex2mathml.converter import convert
    try: return convert(tex, display='block' if display else 'inline')
    except Exception: return f'<code class="math-fallback">{html.escape(tex)}</code>'

def _visit_math(self, node):
    self.body.append(_mathml(node.astext(), False))
    from docutils.nodes import SkipNode
    raise SkipNode

def _visit_math_block(self, node):
    self.body.append(_mathml(node.astext(), True) + '\n')   # a <math display="block">: valid inside a paragraph too
    from docutils.nodes import SkipNode
    raise SkipNode

def setup(app):
    app.add_html_math_renderer('mathml', (_visit_math, None), (_visit_math_block, None))
