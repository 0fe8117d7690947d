"""The course's prose inside code in Chinese, from one source: the catalogue of the domain
``course`` translates every docstring and comment students and readers see, and
translating a file changes nothing but its docstrings and comments."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import io
import re
import tokenize
import tomllib
import types
from pathlib import Path

import nbformat
import pytest

from autograder import i18n
from autograder.authoring import course_text
from autograder.authoring.build import student_files
from autograder.authoring.catalogue import po_path, read, untranslated
from autograder.authoring.course_text import texts, translate_source, translations
from autograder.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [path for path, _which in course_text.sources(ROOT)]
CATALOGUE = {m.id: m.string for m in read(po_path("zh", domain="course"), "zh") if m.id}
CJK = re.compile(r"[\u4e00-\u9fff]")
# What stays English in a Chinese docstring: code, references, the Google-style headings
# and the names of the parameters they list.
NOT_PROSE = re.compile(r"``[^`]*``|:func:`[^`]*`|^\s*(Args|Returns|Raises):$|^\s+[\w, ]+:(?= )",
                       re.M)


@pytest.fixture(autouse=True)
def language_restored():
    """Each test leaves the language of the messages as it found it (the commands set it)."""
    before = i18n.language()
    yield
    i18n.set_language(before)


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def chinese_share(text: str) -> float:
    """Chinese characters among the letters of ``text``'s prose (code spans left out)."""
    prose = NOT_PROSE.sub("", text)
    chinese, latin = len(CJK.findall(prose)), len(re.findall(r"[A-Za-z]", prose))
    return chinese / max(1, chinese + latin)


# --------------------------------------------------------------------------- the catalogue

def test_every_course_message_has_a_chinese_translation():
    assert CATALOGUE and not untranslated("zh", domain="course")


@pytest.mark.parametrize("message", sorted(CATALOGUE), ids=lambda m: m.split("\n")[0][:50])
def test_a_translation_keeps_the_code_of_its_message(message):
    translation = CATALOGUE[message]
    spans = re.compile(r"``[^`]*``|:func:`[^`]*`")
    assert sorted(spans.findall(translation)) == sorted(spans.findall(message))
    heads = re.compile(r"^\s*(?:Args|Returns|Raises):$|^ {4}\*?\w+(?:, \w+)*:(?= )", re.M)
    assert heads.findall(translation) == heads.findall(message)
    assert "\n" not in translation or "\n" in message  # a one-line text stays on one line
    if CJK.search(translation):
        # Chinese prose: full-width punctuation, a space between Chinese and Latin or digits
        assert not re.search(r"[\u4e00-\u9fff][,;:?!]|[\u4e00-\u9fff][A-Za-z0-9`]"
                             r"|[A-Za-z0-9`][\u4e00-\u9fff]", translation), translation


# --------------------------------------------------------------------------- translate_source

def code_tokens(source: str) -> list[tuple[int, str]]:
    """The code of a source as tokens: without comments, docstrings and line breaks (and
    without the hints of the stubs' ``raise NotImplementedError("…")``)."""
    source = re.sub(r'NotImplementedError\("[^"\n]*"\)', "NotImplementedError()", source)
    docstrings = course_text._docstring_starts(source)
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
               tokenize.DEDENT}
    return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type not in skipped and not (t.type == tokenize.STRING
                                              and t.start in docstrings)]


def without_docstrings(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            body[0].value.value = ""
    return ast.dump(tree)


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_translating_a_file_changes_only_its_docstrings_and_comments(path):
    english = path.read_text()
    chinese = translate_source(english, "zh")
    assert code_tokens(chinese) == code_tokens(english)
    assert without_docstrings(chinese) == without_docstrings(english)
    assert translate_source(english, "en") == english


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_every_text_of_the_catalogue_is_translated_in_its_file(path):
    which = dict(course_text.sources(ROOT))[path]
    english = path.read_text()
    found = {t.message for t in texts(translate_source(english, "zh"))}
    for message in course_text.messages(english, which):
        if CATALOGUE[message] != message:
            assert message not in found
            assert " ".join(CATALOGUE[message].split("\n")) in found or \
                CATALOGUE[message] in found, message


SAMPLE = '''"""Module text."""


def f(x):  # trailing text
    """First line.

    Args:
        x: the input.
    """
    # a block of
    # two lines
    ### BEGIN SOLUTION
    y = x + 1   # aligned text
    ### END SOLUTION
    # --8<-- [start:part]
    return y  # (100,)
    # --8<-- [end:part]
'''
FAKE = {"Module text.": "模块。", "trailing text": "行尾注释", "aligned text": "对齐的注释",
        "First line.\n\nArgs:\n    x: the input.":
            '第一行，带 "引号" 和 \\ 。\n\nArgs:\n    x: 输入。',
        "a block of\ntwo lines": "一段注释\n换成了\n三行"}


def test_translate_source_keeps_the_layout_of_what_it_translates():
    out = translate_source(SAMPLE, "zh", catalogue=FAKE)
    lines = out.splitlines()
    assert lines[0] == '"""模块。"""'
    assert lines[3] == "def f(x):  # 行尾注释"
    assert lines[4:9] == ['    """第一行，带 "引号" 和 \\\\ 。', "", "    Args:",
                          "        x: 输入。", '    """']
    assert lines[9:12] == ["    # 一段注释", "    # 换成了", "    # 三行"]
    assert "    y = x + 1   # 对齐的注释" in lines  # the # where it was
    assert "    return y  # (100,)" in lines and "    ### BEGIN SOLUTION" in lines
    assert "    # --8<-- [start:part]" in lines
    assert {t.message for t in texts(out)} == {*FAKE.values(), "(100,)"} - {"(100,)"}
    assert code_tokens(out) == code_tokens(SAMPLE)


def test_a_text_without_translation_stays_english():
    out = translate_source(SAMPLE, "zh", catalogue={"trailing text": "行尾注释"})
    assert out == SAMPLE.replace("# trailing text", "# 行尾注释")
    assert translate_source(SAMPLE, "zh", catalogue={}) == SAMPLE


def test_which_comments_are_texts():
    found = {t.message: t.kind for t in texts(SAMPLE)}
    assert found == {"Module text.": "docstring", "trailing text": "comment",
                     "First line.\n\nArgs:\n    x: the input.": "docstring",
                     "a block of\ntwo lines": "block", "aligned text": "comment"}
    assert course_text.messages(SAMPLE, "student") == [
        "Module text.", "trailing text", "First line.\n\nArgs:\n    x: the input.",
        "a block of\ntwo lines"]
    assert course_text.messages(SAMPLE, "sections") == []


def test_the_compiled_catalogue_is_the_po_file():
    lookup = translations("zh")
    assert all(lookup(m) == (t if t != m else None) for m, t in CATALOGUE.items())
    assert translations("en")("Module text.") is None


# --------------------------------------------------------------------------- what students get

def cells(notebook: str) -> list:
    return nbformat.reads(notebook, as_version=4).cells


def load(text: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(text, name, "exec"), module.__dict__)
    return module


PY = sorted(p.name for p in (ROOT / "solutions").glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def made():
    """The students' files in English and in Chinese, by language and name."""
    return {lang: student_files(ROOT, lang) for lang in ("en", "zh")}


def test_the_english_student_files_are_those_of_the_checkout(made):
    for name, text in made["en"].items():
        assert (ROOT / "exercises" / name).read_text() == text


@pytest.mark.parametrize("name", PY)
def test_chinese_student_file_has_the_same_functions_in_chinese(made, name):
    english = load(made["en"][name], name)
    chinese_text = made["zh"][name]
    chinese = load(chinese_text, name)
    functions = {n: f for n, f in vars(english).items() if inspect.isfunction(f)}
    assert functions and functions.keys() == {n for n, f in vars(chinese).items()
                                              if inspect.isfunction(f)}
    for fname, function in functions.items():
        assert inspect.signature(getattr(chinese, fname)) == inspect.signature(function)
        assert chinese_share(getattr(chinese, fname).__doc__) >= 0.5, fname
    assert chinese_share(chinese.__doc__) >= 0.5
    assert code_tokens(chinese_text) == code_tokens(made["en"][name])
    hints = re.findall(r'raise NotImplementedError\("(.*)"\)', chinese_text)
    assert hints and all(h.endswith("：在此编写你的代码") for h in hints)


@pytest.mark.parametrize("exercise", [n.removesuffix(".py") for n in PY])
def test_chinese_student_notebook_is_the_english_one_in_chinese(made, exercise):
    english, chinese = (cells(made[lang][f"{exercise}.ipynb"]) for lang in ("en", "zh"))
    assert [c["id"] for c in english] == [c["id"] for c in chinese]
    for en, zh in zip(english, chinese):
        assert en["metadata"] == zh["metadata"]
        if zh["cell_type"] == "markdown":
            assert CJK.search(zh["source"]), zh["source"]
        else:
            assert code_tokens(zh["source"]) == code_tokens(en["source"])
    assert "](../course/exercises/" + exercise + ".zh.md)" in chinese[0]["source"]


# --------------------------------------------------------------------------- the commands

def test_nbgrader_init_in_chinese(tmp_path):
    assert main(["nbgrader", "init", str(tmp_path / "en")]) == 0
    assert main(["nbgrader", "init", str(tmp_path / "zh"), "--lang", "zh"]) == 0
    settings = tomllib.loads((tmp_path / "zh" / "backprop.toml").read_text())
    english = tomllib.loads((tmp_path / "en" / "backprop.toml").read_text())
    assert settings == {**english, "lang": "zh"}
    assert "在此编写你的代码" in (tmp_path / "zh" / "nbgrader_config.py").read_text()
    notebooks = sorted((tmp_path / "zh" / "source").glob("*/*.ipynb"))
    assert len(notebooks) == 6
    for path in notebooks:
        chinese = cells(path.read_text())
        english = cells((tmp_path / "en" / path.relative_to(tmp_path / "zh")).read_text())
        assert [c["cell_type"] for c in chinese] == [c["cell_type"] for c in english]
        for en, zh in zip(english, chinese):
            if zh["cell_type"] == "markdown":
                assert CJK.search(zh["source"])
            else:
                assert code_tokens(zh["source"]) == code_tokens(en["source"])


def test_release_in_chinese_says_it_and_asks_for_chinese_feedback(made, tmp_path, capsys):
    out = tmp_path / "bundle"
    assert main(["release", "--out", str(out), "--lang", "zh"]) == 0
    assert "wrote" not in capsys.readouterr().out  # the messages are Chinese too
    assert tomllib.loads((out / "backprop.toml").read_text()) == {"lang": "zh"}
    assert CJK.search((out / "README.md").read_text())
    for name, text in made["zh"].items():
        assert (out / "exercises" / name).read_text() == text


# --------------------------------------------------------------------------- the site

@pytest.fixture(scope="module")
def hooks():
    pytest.importorskip("mkdocs")
    spec = importlib.util.spec_from_file_location("course_hooks", ROOT / "course_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PAGES = sorted((ROOT / "course").rglob("*.md"))
SNIPPETS = sorted({(page.name.endswith(".zh.md"), found.group(1))
                   for page in PAGES
                   for found in re.finditer(r'^\s*-+8<-+\s+"([^"]+\.py(?::[\w-]+)?)"\s*$',
                                            page.read_text(), re.M)})


def test_the_pages_include_python_code_in_both_languages():
    assert {ref for zh, ref in SNIPPETS if zh} == {ref for zh, ref in SNIPPETS if not zh}
    assert len(SNIPPETS) > 50


@pytest.mark.parametrize("ref", sorted({ref for _zh, ref in SNIPPETS}))
def test_a_snippet_is_read_as_pymdownx_reads_it_and_translated(hooks, ref):
    markdown = pytest.importorskip("markdown")
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={
        "pymdownx.snippets": {"base_path": [str(ROOT)], "check_paths": True}})
    path, _, section = ref.partition(":")
    english = hooks.snippet_lines(path, section or None, "en")
    assert english == md.preprocessors["snippet"].run([f'--8<-- "{ref}"'])
    chinese = "\n".join(hooks.snippet_lines(path, section or None, "zh"))
    translated = [m for m, t in CATALOGUE.items() if t != m and m.split("\n")[0] in
                  "\n".join(english)]
    assert bool(CJK.search(chinese)) == bool(translated), chinese


def test_a_chinese_page_shows_its_code_translated(hooks):
    page = ('Text --8<-- "course/code/ch3_graph.py:graph" stays.\n\n'
            '- a list item:\n\n    ```python\n    --8<-- "course/code/ch3_graph.py:graph"\n'
            '    ```\n\n~~~~text\n--8<-- "autograder/exercises/public/calculus.md"\n~~~~\n')
    out = hooks.translated_snippets(page, "zh").split("\n")
    code = hooks.snippet_lines("course/code/ch3_graph.py", "graph", "zh")
    assert out[:5] == page.split("\n")[:5]
    assert out[5:5 + len(code)] == ["    " + line if line else "" for line in code]
    assert "    # 前向：计算并保留每个中间值" in out
    assert out[5 + len(code):] == page.split("\n")[6:]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_chinese_download_is_saved_under_the_english_name(hooks, lang):
    page = types.SimpleNamespace(file=types.SimpleNamespace(locale=lang))
    html = ('<a href="../../downloads/losses.zh.py">下载</a> '
            '<a href="../downloads/backprop-course-student.zh.zip">zip</a> '
            '<a href="../downloads/losses.py">losses.py</a>')
    out = hooks.on_page_content(html, page, None, None)
    if lang == "en":
        assert out == html
    else:
        assert out == ('<a download="losses.py" href="../../downloads/losses.zh.py">下载</a> '
                       '<a download="backprop-course-student.zip" '
                       'href="../downloads/backprop-course-student.zh.zip">zip</a> '
                       '<a href="../downloads/losses.py">losses.py</a>')
