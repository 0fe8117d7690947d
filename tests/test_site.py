"""The course website: it builds strictly, leaks no solution, and works with no internet.

The site is built once for the whole module (``mkdocs build --strict`` into a temporary
folder) and, for the browser test, served on 127.0.0.1 to one headless Chromium that may
reach nothing else.

Needs the ``site`` extra (``pip install -e ".[site]"``), ``npm ci`` for MathJax and the
Debian package ``chromium``. Outside CI a missing piece skips these tests with the command
that installs it; with ``CI=true`` it fails them.
"""

from __future__ import annotations

import functools
import html
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

import pytest

from autograder.authoring.markers import telltale_lines

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
EXERCISE_IDS = ("calculus", "activations", "losses", "backprop", "optimizers", "stability")
SOLUTIONS = sorted(p for p in (ROOT / "solutions").glob("*.py") if not p.name.startswith("_"))
FIGURES = ("activations.png", "vanishing.png", "clipping.png", "gradcheck.png")
# the computational graphs of course/code/graphs.py (Graphviz), served next to the figures
GRAPHS = ("neuron.svg", "fanout.svg", "dense.svg", "batchnorm.svg", "residual.svg")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def missing(reason: str, fix: str):
    """Skip on a developer's machine, fail in CI: CI must install everything."""
    message = f"{reason} — {fix}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


# --------------------------------------------------------------------------------------
# The build, once per module.
# --------------------------------------------------------------------------------------


def _font_names() -> set[str]:
    """The file names of the fonts installed on the system (matplotlib scans the folders)."""
    from matplotlib import font_manager
    return {Path(path).name for path in font_manager.findSystemFonts()}


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    for module in ("mkdocs", "material", "pymdownx", "matplotlib", "graphviz"):
        if importlib.util.find_spec(module) is None:
            missing(f"{module} is not installed", 'pip install -e ".[site]"')
    if shutil.which("dot") is None:
        missing("Graphviz's dot is not installed", "apt-get install -y graphviz")
    if importlib.util.find_spec("mkdocs_static_i18n") is None:
        missing("mkdocs-static-i18n is not installed", 'pip install -e ".[site]"')
    if not any("CJK" in name for name in _font_names()):
        missing("no CJK font is installed for the Chinese edition",
                "apt-get install -y fonts-noto-cjk")
    if not (ROOT / "node_modules" / "mathjax" / "package.json").is_file():
        missing("MathJax is not installed", "run `npm ci` at the repository root")
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    return done, out


@pytest.fixture(scope="module")
def site(build) -> Path:
    done, out = build
    if done.returncode != 0:
        pytest.fail("the site does not build; see test_site_builds_strictly")
    return out


def test_site_builds_strictly(build):
    done, out = build
    log = done.stdout + done.stderr
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{log[-6000:]}"
    assert (out / "index.html").is_file()
    for figure in FIGURES:
        assert (out / "figures" / figure).read_bytes().startswith(b"\x89PNG"), figure
    for graph in GRAPHS:
        served = (out / "figures" / graph).read_bytes()
        assert served.startswith((b"<?xml", b"<svg")), graph
        root = ElementTree.fromstring(served)          # well-formed
        assert root.tag == "{http://www.w3.org/2000/svg}svg", graph
    for exercise in EXERCISE_IDS:
        served = out / "downloads" / f"{exercise}.py"
        assert served.read_bytes() == (ROOT / "exercises" / f"{exercise}.py").read_bytes()
    assert (out / "assets" / "vendor" / "mathjax" / "tex-mml-chtml.js").is_file()
    assert not (out / "code").exists(), "course/code is included through snippets, not served"


def test_site_needs_no_cdn(site):
    """No page names a resource outside the site (fonts, scripts, styles, images)."""
    remote = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=["']"""
                        r"""(?:https?:)?//""", re.I)
    offenders = {str(p.relative_to(site)): m.group(0)
                 for p in site.rglob("*.html") for m in [remote.search(p.read_text())] if m}
    assert not offenders, offenders


def test_every_page_links_its_download_and_figures_are_shown(site):
    pages = {p: p.read_text() for p in site.rglob("*.html")}
    for exercise in EXERCISE_IDS:
        page = (site / "exercises" / exercise / "index.html").read_text()
        assert f'href="../../downloads/{exercise}.py"' in page, \
            f"exercises/{exercise}.md has no link ../downloads/{exercise}.py"
    for figure in FIGURES + GRAPHS:
        assert any(f"figures/{figure}" in text for text in pages.values()), \
            f"no page shows figures/{figure}"


def test_every_page_has_a_chinese_edition_with_a_language_switch(site):
    english = sorted(p.relative_to(site) for p in site.rglob("index.html")
                     if p.relative_to(site).parts[0] not in ("zh", "search", "assets"))
    assert len(english) > 20
    for page in english:
        chinese = site / "zh" / page
        assert chinese.is_file(), f"no Chinese edition of {page}"
        text = chinese.read_text()
        assert '<html lang="zh"' in text, f"zh/{page} is not marked as Chinese"
        assert 'hreflang="en"' in text and 'hreflang="zh"' in text, \
            f"zh/{page} has no language switch"


# --------------------------------------------------------------------------------------
# No solution leaks.
# --------------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_CODE_EDGE = re.compile(r"</?code\b[^>]*>", re.I)


def _normal(line: str) -> str:
    return " ".join(line.split())


def _markup_lines(markup: str) -> list[str]:
    """Text lines of HTML, each inline ``<code>`` on a line of its own."""
    return html.unescape(_TAG.sub("", _CODE_EDGE.sub("\n", markup))).splitlines()


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def site_lines(path: Path) -> set[str]:
    """The normalised text lines a reader can see in one built file (none if binary)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return set()  # PNG, fonts, the gzipped sitemap
    lines = text.splitlines()
    if path.suffix in (".html", ".htm", ".xml"):
        lines = _markup_lines(text)
    elif path.suffix == ".json":
        lines = [line for s in _json_strings(json.loads(text)) for line in _markup_lines(s)]
    return {_normal(line) for line in lines}


@functools.cache
def public_lines() -> frozenset[str]:
    """Lines every student has anyway: the installed autograder package and the stubs."""
    sources = [*(ROOT / "autograder").rglob("*.py"), *(ROOT / "exercises").glob("*.py")]
    return frozenset(_normal(line) for path in sources for line in path.read_text().splitlines())


def secrets(solution: Path) -> set[str]:
    """The solution lines of ``solution`` that would give an answer away.

    ``telltale_lines`` (the lines of ``### BEGIN SOLUTION`` regions found nowhere else in the
    file, less short ones and those of the engine) less every line students have anyway
    (see :func:`public_lines`), whitespace normalised.
    """
    return {_normal(line) for line in telltale_lines(solution.read_text())} - public_lines()


def test_leak_check_finds_inline_and_block_code(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<p>Use <code>std = np.sqrt(2.0 / fan_in)</code>.</p>\n'
                    '<pre><code><span class="n">dx</span> <span class="o">=</span> '
                    '<span class="n">dout</span> &amp; 1\n</code></pre>')
    assert {"std = np.sqrt(2.0 / fan_in)", "dx = dout & 1"} <= site_lines(page)
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"docs": [{"text": "<p>so <code>a  =  b @ c</code></p>"}]}))
    assert "a = b @ c" in site_lines(index)
    he = next(p for p in SOLUTIONS if p.stem == "stability")
    assert "std = np.sqrt(2.0 / fan_in)" in secrets(he)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_no_solution_code_in_the_built_site(site, solution):
    hidden = secrets(solution)
    assert hidden, f"{solution.name} has no solution region"
    leaks = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        found = hidden & site_lines(path)
        if found:
            leaks[str(path.relative_to(site))] = sorted(found)
    assert not leaks, (f"code from the solution regions of solutions/{solution.name} is on the "
                       f"site: {leaks}")


# --------------------------------------------------------------------------------------
# The site in a browser, offline.
# --------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\[A-Za-z]{2,}|\$[^$\s][^$]*\$")

PAGE_STATE = """async () => {
  await window.MathJax.startup.promise;
  await Promise.all([...document.images].map(img => img.complete ? null :
    new Promise(done => { img.onload = done; img.onerror = done; })));
  const content = document.querySelector("article") || document.body;
  const prose = content.cloneNode(true);
  prose.querySelectorAll("pre, code, mjx-container, script, style, .arithmatex mjx-assistive-mml")
    .forEach(node => node.remove());
  return {
    math: document.querySelectorAll(".arithmatex").length,
    unrendered: [...document.querySelectorAll(".arithmatex")]
      .filter(node => !node.querySelector("mjx-container"))
      .map(node => node.textContent.trim().slice(0, 120)),
    errors: [...document.querySelectorAll("mjx-merror")]
      .map(node => node.getAttribute("data-mjx-error") || node.textContent.slice(0, 120)),
    prose: prose.textContent,
    title: (content.querySelector("h1") || {textContent: ""}).textContent,
    images: [...document.images].map(img => ({src: img.currentSrc || img.src,
                                              width: img.naturalWidth})),
    downloads: [...document.querySelectorAll("a[href]")].map(a => a.href)
      .filter(href => /\\/downloads\\/[^/]+\\.py$/.test(href)),
  };
}"""


def page_trouble(state: dict) -> list[str]:
    """What is wrong with a page, from what :data:`PAGE_STATE` found in it."""
    trouble = []
    if state["unrendered"]:
        trouble.append(f"formulas not rendered: {state['unrendered'][:5]}")
    if state["errors"]:
        trouble.append(f"MathJax errors: {state['errors'][:5]}")
    raw = sorted({m.group(0) for m in RAW_TEX.finditer(state["prose"])})
    if raw:
        trouble.append(f"raw TeX left in the text: {raw[:10]}")
    broken = [img["src"] for img in state["images"] if img["width"] <= 0]
    if broken:
        trouble.append(f"images that did not load: {broken}")
    return trouble


CJK = re.compile(r"[\u3400-\u9fff]")


def chinese_trouble(path: str, state: dict, fonts: list[dict]) -> list[str]:
    """What is wrong with a page of the Chinese edition: its figures must be the Chinese
    ones (``x.zh.png``), and its title must be drawn with a CJK typeface, not with boxes or
    a fallback the machine happens to have (``fonts``: Chromium's platform fonts of the
    title, ``{familyName, glyphCount}``)."""
    trouble = []
    english = [img["src"] for img in state["images"]
               if "/figures/" in img["src"] and ".zh." not in img["src"]]
    if english:
        trouble.append(f"English figures on a Chinese page: {english}")
    cjk_glyphs = sum(f["glyphCount"] for f in fonts if "CJK" in f["familyName"])
    if cjk_glyphs < len(CJK.findall(state["title"])):
        trouble.append(f"the title of {path} is not drawn in a CJK font: {fonts}")
    return trouble


def title_fonts(cdp) -> list[dict]:
    """The platform fonts Chromium used for the text of the page's first heading."""
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    heading = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "article h1"})
    if not heading.get("nodeId"):
        return []
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": heading["nodeId"]})["fonts"]


def download_trouble(context, url: str) -> str | None:
    """What is wrong with a download link of the site, if anything: it must serve the
    exercise file of the same name, byte for byte, or for ``<id>.zh.py`` the student file
    in Chinese (``backprop release --lang zh``)."""
    from autograder.authoring.build import student_files

    reply = context.request.get(url)
    name = urlparse(url).path.rsplit("/", 1)[-1]
    if reply.status != 200:
        return f"{reply.status} {url}"
    stem, *lang = name.removesuffix(".py").split(".")
    want = (student_files(ROOT, lang[0])[f"{stem}.py"].encode() if lang
            else (ROOT / "exercises" / name).read_bytes())
    if reply.body() != want:
        return f"{url} is not the student file {name}"
    return None


def test_every_page_renders_offline_in_chromium(site, server):
    if not CHROMIUM.is_file():
        missing("Chromium is not installed", "apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed", 'pip install -e ".[site]"')

    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.name != "404.html")
    blocked, served, failed, crashes, problems = [], [], [], [], {}
    downloads: set[str] = set()

    def route(request_route):
        host = urlparse(request_route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            served.append(request_route.request.url)
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    def response(reply):
        if reply.status >= 400 and not urlparse(reply.url).path.endswith("sitemap.xml"):
            failed.append(f"{reply.status} {reply.url}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route("**/*", route)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            page.on("response", response)
            page.on("pageerror", lambda error: crashes.append(f"{page.url}: {error}"))
            for path in pages:
                page.goto(urljoin(server, path), wait_until="load")
                page.wait_for_function("() => window.MathJax && MathJax.startup "
                                       "&& MathJax.startup.promise", timeout=15_000)
                state = page.evaluate(PAGE_STATE)
                trouble = page_trouble(state)
                if path.startswith("zh/"):
                    trouble += chinese_trouble(path, state, title_fonts(cdp))
                if trouble:
                    problems[path] = trouble
                downloads.update(state["downloads"])
            failed += [why for url in sorted(downloads)
                       if (why := download_trouble(context, url))]
        finally:
            browser.close()

    assert len(served) > len(pages), "the request filter saw nothing: the check proves nothing"
    assert not blocked, f"the site asked for resources outside it: {sorted(set(blocked))}"
    assert not problems, problems
    assert not crashes, crashes
    assert not failed, failed
    assert {urlparse(u).path.rsplit("/", 1)[-1] for u in downloads} \
        >= {f"{e}.py" for e in EXERCISE_IDS} | {f"{e}.zh.py" for e in EXERCISE_IDS}


def test_chinese_search_finds_chinese_words(site, server):
    """mkdocs-material segments Chinese with jieba: a Chinese query finds the zh pages."""
    index = json.loads((site / "search" / "search_index.json").read_text())
    chinese = [d for d in index["docs"] if d["location"].startswith("zh/")]
    assert chinese and "\\u200b" in index["config"]["separator"]
    assert any("\u200b梯度\u200b" in d["text"] for d in chinese), "Chinese text is not segmented"
    if not CHROMIUM.is_file():
        missing("Chromium is not installed", "apt-get install -y chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(urljoin(server, "zh/"), wait_until="load")
            page.fill("input.md-search__input", "梯度消失")
            page.wait_for_selector(".md-search-result__item", timeout=15_000)
            found = page.eval_on_selector_all(".md-search-result__item a",
                                              "links => links.map(a => a.href)")
        finally:
            browser.close()
    assert found and all("/zh/" in href for href in found[:5]), found[:5]


_COMMENT = re.compile(r'<span class="(?:c1|c|sd)">(.*?)</span>', re.S)
_PROSE_WORDS = re.compile(r"\b[A-Za-z]{3,}\s+[A-Za-z]{3,}\s+[A-Za-z]{3,}\b")


def test_code_on_the_chinese_pages_is_commented_in_chinese(site):
    """The code blocks of the zh chapters and exercises are the same tested code, with the
    comments and docstrings of the "course" catalogue: none is left with an English
    sentence. (The instructors' pages quote configuration files and commands as they are.)"""
    english = {}
    pages = sorted((site / "zh" / "chapters").rglob("index.html")) + sorted(
        (site / "zh" / "exercises").rglob("index.html"))
    for page in pages:
        for comment in _COMMENT.findall(page.read_text()):
            text = html.unescape(comment)
            if _PROSE_WORDS.search(re.sub(r"`[^`]*`", " ", text)) and not CJK.search(text):
                english.setdefault(str(page.relative_to(site)), []).append(text.strip()[:60])
    assert not english, english
    assert any(CJK.search(html.unescape(c)) for c in _COMMENT.findall(
        (site / "zh" / "chapters" / "3-backprop" / "index.html").read_text()))
