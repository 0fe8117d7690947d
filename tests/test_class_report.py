"""The class report of the sample class: it names the mistakes the sample students are known
to make, with the right counts; it needs nothing from the network; it is small; it renders
in headless Chromium with every chart drawn."""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import pytest
from rich.console import Console

from autograder import exercises, i18n
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import find_submissions
from autograder.output.class_report import describe, render, write_report
from autograder.output.class_results import read_records, summarise
from autograder.output.report import as_json
from autograder.reporting import write_grade_report

pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {p.stem: tomllib.loads(p.read_text())
            for p in sorted((ROOT / "samples" / "expected").glob("*.toml"))}
MAX_BYTES = 400_000  # the sample class's report is about 255 kB, two thirds of it tables

# What each `lost` note of samples/expected/<exercise>.toml means as mistake ids: the
# diagnoses the feedback of that part names (none for a crash, a missing function, a
# summary of which cells are wrong).
KNOWN = {
    "activations": {
        "1 − x²": ("tanh-not-applied",), "overflow": ("numpy-warning",),
        "overflow encountered in exp": ("numpy-warning",), "in place": ("modifies-input",),
        "upstream gradient `dout` was dropped": ("dropped-upstream",),
        "relu(x), the function itself": ("returned-the-function", "constant-factor",
                                         "kink-value"),
        "ignores the `alpha` argument": ("ignored-alpha",),
        "wrong value": ("relu-slope-for-leaky", "kink-value"),
        "applied s(1 − s) to x itself": ("sigmoid-formula-on-x",),
        "for a per-channel alpha (D,): right: `dx`; wrong: `dalpha`": ("lost-axis",),
        "NameError": (), "No function named `tanh_grad`": (), "No function": (),
        "wrong: for the default alpha": ()},
    "backprop": {
        "transposed shape": ("transposed",), "summed away": ("extra-axis",),
        "miss the activation's derivative": ("missing-activation-derivative",),
        "expected ValueError": ("does-not-raise",), "batch size N": ("missing-mean",),
        "at the layer's output": ("derivative-at-output",),
        "sum over the batch": ("mean-bias-gradient", "extra-division"),
        "applied to the last layer": ("activation-on-scores",),
        "scores of a ReLU network": ("ignored-activation",),
        "for activation = 'relu': right: `loss`, `grads`": ("ignored-activation",),
        "exactly the keys": (), "fix `mlp_forward` first": (),
        "wrong: for activation = 'sigmoid', for activation = 'tanh'": ()},
    "calculus": {
        "forward difference": ("forward-difference",),
        "changed its argument `x` in place": ("modifies-input",),
        "equal weights": ("equal-batch-weights",),
        "last point": ("aliased-history", "modifies-input"),
        "evaluated f′ at x": ("outer-derivative-at-x",), "max(|a|, |b|)": ("max-denominator",),
        "inner derivative is missing": ("missing-inner-derivative",), "NaN": ("not-finite",),
        "expected an array of shape (1001,)": ("wrong-shape",),
        "len() of unsized object": (), "No module named 'helpers'": ()},
    "losses": {
        "sign flip": ("sign-flip",), "too large": ("missing-mean",), "wrong axis": ("wrong-axis",),
        "batch size N": ("missing-mean", "numpy-warning"), "warned": ("numpy-warning",),
        "in place": ("modifies-input",),
        "½ convention": ("half-convention", "extra-division", "factor-half"),
        "without the one-hot subtracted": ("missing-onehot",),
        "invalid value encountered": ("numpy-warning",),
        "divide by zero encountered in log": ("numpy-warning",), "SyntaxError": (),
        "right: for a 2-D z; wrong: for a 1-D z, for a 3-D z": ()},
    "optimizers": {
        "no bias correction": ("no-bias-correction",),
        "scaled the gradient by (1 − β)": ("dampened-momentum",),
        "CS231n convention": ("cs231n-momentum",),
        "changed its argument `params` in place": ("modifies-input",),
        "created anew each epoch": ("rng-per-epoch",), "equal weights": ("unweighted-history",),
        "bias correction uses the old step count": ("bias-correction-old-t", "not-finite"),
        "shorter batch was skipped": ("skipped-last-batch",),
        "returned state keeps the old step count": ("stale-step-count",),
        "legacy global generator": ("legacy-global-rng",),
        "is a `return` statement missing?": ()},
    "stability": {
        "its own norm": ("per-array-norm",), "not above max_norm": ("clipped-below-limit",),
        "unbiased variance": ("unbiased-variance",),
        "identity path": ("missing-identity-gradient",),
        "mean and variance as constants": ("constant-batch-statistics",),
        "the generator `rng` you were given": ("not-from-rng",),
        "sqrt(2/fan_out)": ("fan-out-for-he",), "clipped gradients": ("unclipped-gradients",),
        "in place": ("modifies-input",), "only the upper bound": ("upper-bound-only",),
        "expected ValueError": ("does-not-raise",),
        "the gradients exploded": ("training-exploded", "not-finite", "unclipped-gradients"),
        "fix `batchnorm_forward` first": (), "right: `dx`, `dbeta`; wrong: `dgamma`": ()},
}


def known_mistakes() -> dict[tuple[str, str, str], set[str]]:
    """``{(exercise, function, mistake id): students}`` from the sample class's notes."""
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for exercise, students in EXPECTED.items():
        for student, spec in students.items():
            for part, note in spec.get("lost", {}).items():
                for mistake in KNOWN[exercise][note]:
                    found[exercise, part, mistake].add(student)
    return dict(found)


@pytest.fixture(scope="module")
def graded() -> list:
    """The sample class graded once."""
    submissions, _notes = find_submissions(ROOT / "samples" / "class", set(exercises.ids()))
    grader = Grader(Config(workers=2), sorted({s.exercise for s in submissions}), hidden=True)
    return grader.grade_all(submissions)


@pytest.fixture(scope="module")
def records(graded, tmp_path_factory) -> Path:
    """The sample class's records, as ``backprop grade --json`` writes them."""
    path = tmp_path_factory.mktemp("run") / "results.jsonl"
    path.write_text("".join(json.dumps(as_json(r)) + "\n" for r in graded))
    return path


@pytest.fixture(scope="module")
def report(records) -> Path:
    out = records.with_name("report.html")
    write_report(records, out)
    return out


def rows(page: str, *names: str) -> list[dict[str, str]]:
    """The table rows of the page that carry all the data attributes ``names``."""
    found = []
    for row in re.findall(r"<tr( data-[^>]*)>", page):
        attributes = {k: html.unescape(v) for k, v in re.findall(r' data-(\w+)="([^"]*)"', row)}
        if set(names) <= set(attributes):
            found.append(attributes)
    return found


def test_every_note_of_the_sample_class_is_interpreted():
    notes = {(e, note) for e, students in EXPECTED.items() for spec in students.values()
             for note in spec.get("lost", {}).values()}
    assert notes == {(e, note) for e, known in KNOWN.items() for note in known}


def test_the_report_counts_each_known_mistake_per_function(report):
    page = report.read_text()
    shown = {(r["exercise"], r["part"], r["mistake"]): int(r["count"])
             for r in rows(page, "exercise", "part", "mistake", "count")}
    assert shown == {key: len(students) for key, students in known_mistakes().items()}


def test_the_report_ranks_the_mistakes_of_the_whole_class(report):
    by_id: dict[str, set[str]] = defaultdict(set)
    for (_exercise, _part, mistake), students in known_mistakes().items():
        by_id[mistake] |= students
    shown = [(r["mistake"], int(r["count"])) for r in rows(report.read_text(), "mistake",
                                                              "count") if "part" not in r]
    assert dict(shown) == {m: len(s) for m, s in by_id.items()}
    assert [count for _m, count in shown] == sorted((c for _m, c in shown), reverse=True)
    assert shown[:3] == [("modifies-input", 4), ("numpy-warning", 4), ("missing-mean", 3)]


def test_each_mistake_is_shown_with_its_diagnosis_and_an_anonymous_example(report, records):
    page = html.unescape(report.read_text())
    view = summarise(read_records(records), exercises.ids())
    students = set(view.students)
    for exercise in view.exercises:
        for part in exercise.parts.values():
            for mistake in part.mistakes.values():
                assert describe(mistake.id, mistake.example) in page, (part.name, mistake.id)
                assert mistake.example and mistake.example in page, (part.name, mistake.id)
                named = set(re.findall(r"\w+", mistake.example)) & students
                assert not named, (part.name, mistake.id, named)


def test_the_submissions_to_look_at_are_listed(report):
    shown = {(r["student"], r["exercise"], r["kind"]) for r in rows(report.read_text(), "kind")}
    assert shown == {("kim", "calculus", "did-not-load"), ("leo", "activations", "did-not-load"),
                     ("leo", "losses", "unreadable")}


def test_the_report_needs_nothing_from_outside_and_stays_small(report):
    page = report.read_text()
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", page)
    assert all(not re.match(r"(https?:)?//", link) for link in links), links
    assert "@import" not in page and "url(http" not in page and "<link" not in page
    assert "<img" not in page  # charts are inline SVG
    assert report.stat().st_size < MAX_BYTES, report.stat().st_size


def test_grade_writes_the_same_report_with_report(graded, report, tmp_path, capsys):
    out = tmp_path / "class.html"
    write_grade_report(graded, out, "samples/class", Console())
    mistakes = rows(report.read_text(), "mistake", "count")
    assert rows(out.read_text(), "mistake", "count") == mistakes and mistakes
    assert "From samples/class: 19 students" in out.read_text()
    write_grade_report(graded, tmp_path / "class.pdf", "samples/class", Console())
    assert not (tmp_path / "class.pdf").exists()
    assert "give --report" in capsys.readouterr().err


def test_the_report_speaks_the_chosen_language(records):
    view = summarise(read_records(records), exercises.ids())
    try:
        i18n.set_language("zh")
        chinese = render(view, source="results.jsonl")
    finally:
        i18n.set_language("en")
    assert '<html lang="zh-Hans">' in chinese
    assert '<html lang="en">' in render(view, source="results.jsonl")


# ---------------------------------------------------------------------------- in a browser

PAGE_STATE = """() => {
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
    const box = svg.getBoundingClientRect();
    const text = svg.querySelector('text');
    return {width: box.width, height: box.height, marks: svg.querySelectorAll('path').length,
            ink: text ? getComputedStyle(text).fill : null};
  });
  return {charts, images: [...document.images].filter(i => !i.complete || !i.naturalWidth)
                                                 .map(i => i.src),
          background: getComputedStyle(document.body).backgroundColor};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_report_renders_offline_in_chromium(report, records, scheme):
    from test_site import CHROMIUM, CHROMIUM_ARGS, missing

    if not CHROMIUM.is_file():
        missing("Chromium is not installed", "apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed", 'pip install -e ".[site]"')
    requests, errors = [], []

    def route(request_route):
        requests.append(request_route.request.url)
        if urlparse(request_route.request.url).scheme == "file":
            request_route.continue_()
        else:
            request_route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(color_scheme=scheme)
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(report.as_uri(), wait_until="load")
            state = page.evaluate(PAGE_STATE)
        finally:
            browser.close()
    charts = 2 + len(summarise(read_records(records), exercises.ids()).exercises)
    assert requests == [report.as_uri()], "the page asked for something besides itself"
    assert not errors and not state["images"]
    assert len(state["charts"]) == charts
    assert all(c["width"] > 300 and c["height"] > 80 and c["marks"] > 10
               for c in state["charts"]), state["charts"]
    contrast = {abs(brightness(c["ink"]) - brightness(state["background"]))
                for c in state["charts"]}
    assert min(contrast) > 150, (scheme, state["background"], contrast)


def brightness(color: str) -> float:
    """The mean of the red, green and blue of a CSS ``rgb(…)`` colour, 0 to 255."""
    red, green, blue = (float(v) for v in re.findall(r"[\d.]+", color)[:3])
    return (red + green + blue) / 3
