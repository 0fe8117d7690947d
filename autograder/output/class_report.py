"""The class report: one self-contained HTML page about a grading run, for the instructor.

``backprop report results.jsonl -o report.html`` (or ``backprop grade … --report
report.html``) writes it from the JSON Lines records.  It shows the class at a glance
(scores per exercise, who submitted what), the class's mistakes ranked (counted by their
ids, with the diagnosis and an example of the feedback), each function's marks and the
pass rate of each of its checks, and the submissions to look at (time-outs, crashes,
limits, files that could not be read or loaded).

The page needs nothing but itself: styles inline, charts inline SVG
(:mod:`autograder.output.charts`), no font, script or image from anywhere, so that it can
be mailed or put on a course server as it is.  It reads in light and dark mode and prints.
Its words are in the language chosen (:mod:`autograder.i18n`); the examples of feedback are
in the language of the grading run.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from autograder import exercises
from autograder.i18n import _, language
from autograder.numerics.diagnose import GENERIC
from autograder.output import charts
from autograder.output.class_results import (
    ClassResults,
    ExerciseStats,
    MistakeStats,
    PartStats,
    read_records,
    summarise,
)
from autograder.output.feedback import points
from autograder.output.files import atomic_write
from autograder.output.outliers import LABELS
from autograder.spec import declared_mistakes, shown

COMMON = 12  # mistakes in the class-wide ranking

CSS = """
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #ffffff; --muted: #5c5c5c;
  --line: #d4d4d4; --card: #f3f4f6; --accent: #0072B2; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #15171a;
  --muted: #a9adb3; --line: #3a3d42; --card: #22252a; --accent: #56B4E9; } }
@media print { :root { --fg: #000; --bg: #fff; --muted: #333; --line: #999; --card: #f3f3f3; }
  section { break-inside: avoid-page; } h2 { break-before: page; } a { color: inherit; } }
body { margin: 0 auto; max-width: 62rem; padding: 1rem 1.5rem 3rem; color: var(--fg);
  background: var(--bg); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto,
  "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid var(--line); }
h3 { margin-top: 1.8rem; } .muted, figcaption { color: var(--muted); }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono",
  monospace; font-size: .88em; }
pre { background: var(--card); padding: .6rem .8rem; white-space: pre-wrap;
  overflow-wrap: anywhere; border-radius: 4px; }
table { border-collapse: collapse; margin: .6rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .65rem; text-align: left;
  vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } svg.chart { width: 100%; height: auto; color: var(--fg); }
svg.chart * { stroke-linejoin: round; stroke-linecap: butt; }
svg.chart text { fill: currentColor; font-family: inherit; }
.kpi { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.kpi div { background: var(--card); border-radius: 6px; padding: .5rem 1rem; }
.kpi b { display: block; font-size: 1.7rem; }
details summary { cursor: pointer; color: var(--accent); }
code.id { white-space: nowrap; } td.n { white-space: nowrap; }
"""
# Printing opens every example of feedback; the page works without it.
SCRIPT = ("window.addEventListener('beforeprint', () => "
          "document.querySelectorAll('details').forEach(d => d.open = true));")


def write_report(results_path: Path, out: Path) -> ClassResults:
    """Read a run's records and write the class report to ``out``; returns what it shows."""
    results = summarise(read_records(results_path), exercises.ids())
    atomic_write(out, render(results, source=results_path.name))
    return results


def render(results: ClassResults, *, source: str) -> str:
    """The report's HTML."""
    for exercise in results.exercises:  # their declarations name their mistakes
        if exercise.id in exercises.ids():
            exercises.load(exercise.id)
    lang = "zh-Hans" if language() == "zh" else "en"
    title = _("Class report")
    body = [_h(1, title),
            _p(_("From {file}: {students} students, {submissions} submissions of {count} "
                 "exercises.").format(file=source, students=len(results.students),
                                      submissions=results.submissions,
                                      count=len(results.exercises)), "muted"),
            glance(results), class_mistakes(results),
            *(exercise_section(e, n) for n, e in enumerate(results.exercises)),
            outlier_section(results)]
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} — {escape(source)}</title>\n"
            f"<style>{CSS}</style>\n<script>{SCRIPT}</script>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


# ------------------------------------------------------------------ pieces of HTML

def _h(level: int, text: str) -> str:
    return f"<h{level}>{escape(text)}</h{level}>"


def _p(text: str, css: str = "") -> str:
    return f'<p class="{css}">{escape(text)}</p>' if css else f"<p>{escape(text)}</p>"


def _table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
           row_attributes: list[str] | None = None) -> str:
    """A table; cells are HTML already, columns in ``numeric`` right-aligned."""
    def cells(row: list[str], tag: str) -> str:
        return "".join(f'<{tag} class="n">{c}</{tag}>' if i in numeric and tag == "td"
                       else f"<{tag}>{c}</{tag}>" for i, c in enumerate(row))

    attributes = row_attributes or [""] * len(rows)
    lines = [f"<tr>{cells([escape(h) for h in head], 'th')}</tr>"]
    lines += [f"<tr{a}>{cells(row, 'td')}</tr>" for row, a in zip(rows, attributes)]
    return "<table>\n" + "\n".join(lines) + "\n</table>"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>\n{svg}\n<figcaption>{escape(caption)}</figcaption>\n</figure>"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({round(100 * part / whole) if whole else 0}%)"


def _id(mistake: str) -> str:
    return f'<code class="id">{escape(mistake)}</code>'


def _data(**values: object) -> str:
    """HTML data attributes (what the tests and scripts read)."""
    return "".join(f' data-{k}="{escape(str(v))}"' for k, v in values.items())


# ------------------------------------------------------------------ sections

def glance(results: ClassResults) -> str:
    """The class at a glance: counts, the scores per exercise, who submitted what."""
    kpis = [(len(results.students), _("students")), (results.submissions, _("submissions")),
            (len(results.exercises), _("exercises"))]
    rows = [[f"<code>{escape(e.id)}</code>", str(len(e.scores)),
             f"{points(e.median)} / {points(e.max_score)}"] for e in results.exercises]
    percents = [(e.id, [100 * s / e.max_score if e.max_score else 0 for s in e.scores.values()])
                for e in results.exercises]
    chart = charts.scores(percents, name="scores", label=_("Scores per exercise"),
                          axis=_("score (% of the maximum)"))
    return "\n".join([
        "<section>", _h(2, _("The class at a glance")),
        '<div class="kpi">' + "".join(f"<div><b>{n}</b>{escape(t)}</div>" for n, t in kpis)
        + "</div>",
        _table([_("exercise"), _("submissions"), _("median score")], rows, {1, 2}),
        _figure(chart, _("Scores per exercise, in percent of the maximum: each dot is a "
                         "submission, the box holds the middle half, the bar is the median.")),
        _h(3, _("Who submitted what")), submitted(results), "</section>"])


def submitted(results: ClassResults) -> str:
    """A row per student: the score of each exercise submitted ("—" for none) and the total."""
    rows = []
    for student in results.students:
        row, total, most = [escape(student)], 0.0, 0.0
        for e in results.exercises:
            if student in e.scores:
                row.append(f"{points(e.scores[student])}/{points(e.max_score)}")
                total, most = total + e.scores[student], most + e.max_score
            else:
                row.append("—")
        rows.append([*row, f"{points(total)}/{points(most)}"])
    head = [_("student"), *(e.id for e in results.exercises), _("total")]
    return _table(head, rows, set(range(1, len(head))))


def describe(mistake: str, example: str = "") -> str:
    """What a mistake is, in the report's language: a generic one's description, or the
    diagnosis declared for it (the one in ``example`` if it has several)."""
    if mistake in GENERIC:
        return _(GENERIC[mistake])
    texts = [shown(text) for text, i in declared_mistakes().items() if i == mistake]
    return next((t for t in texts if t in example), texts[0] if texts else mistake)


def class_mistakes(results: ClassResults) -> str:
    """The mistakes of the whole class, ranked by the number of students who made them."""
    common = results.common_mistakes()
    if not common:
        return "\n".join(["<section>", _h(2, _("The mistakes of the class")),
                          _p(_("No mistake was diagnosed.")), "</section>"])
    rows = [[_id(i), escape(describe(i, parts[0].mistakes[i].example)),
             str(len(students)), ", ".join(f"<code>{escape(p.name)}</code>" for p in parts)]
            for i, students, parts in common]
    attributes = [_data(mistake=i, count=len(s)) for i, s, _p in common]
    chart = charts.counts([(i, len(s)) for i, s, _p in common[:COMMON]], name="common",
                          label=_("The most common mistakes"), axis=_("students"))
    return "\n".join([
        "<section>", _h(2, _("The mistakes of the class")),
        _p(_("Each mistake the grader diagnosed, counted once per student: the functions "
             "where it was made are listed, and each exercise below ranks its own.")),
        _figure(chart, _("The most common mistakes: how many students made each, in any "
                         "function.")),
        _table([_("mistake"), _("what it is"), _("students"), _("functions")], rows, {2},
               attributes),
        "</section>"])


def exercise_section(exercise: ExerciseStats, number: int) -> str:
    """One exercise: its functions' marks, then each function's checks and mistakes."""
    title = exercise.id
    if exercise.id in exercises.ids():
        title = f"{exercise.id} — {exercises.load(exercise.id).shown_title}"
    parts = list(exercise.parts.values())
    chart = charts.marks([(p.name, p.full, p.partial, p.zero) for p in parts],
                         name=f"marks{number}", label=_("Marks per function"),
                         legend=(_("full marks"), _("partial marks"), _("no marks")),
                         axis=_("% of students"))
    return "\n".join([
        f'<section id="{escape(exercise.id)}">\n<h2>{escape(title)}</h2>',
        _p(_("{count} submissions, median {median} of {max_score} points.").format(
            count=len(exercise.scores), median=points(exercise.median),
            max_score=points(exercise.max_score))),
        _figure(chart, _("Marks per function: the share of students with full, partial and no "
                         "marks (the numbers are students).")),
        *(part_section(p) for p in parts), "</section>"])


def part_section(part: PartStats) -> str:
    """One function: the pass rate of each check, and its mistakes ranked."""
    kinds = {True: _("public"), False: _("hidden")}
    checks = [[escape(c.title), escape(kinds[c.public]), _share(c.passed, c.total)]
              for c in part.checks]
    out = [f"<h3><code>{escape(part.name)}</code></h3>",
           _p(_("Full marks: {full}; partial: {partial}; none: {zero}.").format(
               full=part.full, partial=part.partial, zero=part.zero)),
           _table([_("check"), _("inputs"), _("passed")], checks, {2})]
    ranked = part.ranked()
    if not ranked:
        return "\n".join([*out, _p(_("No mistake was diagnosed in this function."), "muted")])
    rows = [[str(m.count), _id(m.id), _mistake_cell(m)] for m in ranked]
    attributes = [_data(exercise=part.exercise, part=part.name, mistake=m.id, count=m.count)
                  for m in ranked]
    return "\n".join([*out, _table([_("students"), _("mistake"), _("diagnosis")], rows, {0},
                                   attributes)])


def _mistake_cell(mistake: MistakeStats) -> str:
    text = escape(describe(mistake.id, mistake.example))
    if not mistake.example:
        return text
    summary = escape(_("an example of the feedback"))
    return (f"{text}<details><summary>{summary}</summary>"
            f"<pre>{escape(mistake.example)}</pre></details>")


def outlier_section(results: ClassResults) -> str:
    """The submissions to look at, each with the grader's words about it."""
    head = "\n".join(["<section>", _h(2, _("Submissions to look at")),
                      _p(_("Submissions that timed out, crashed, were killed for a limit, or "
                           "could not be read or loaded."))])
    if not results.outliers:
        return head + "\n" + _p(_("None: every submission loaded and ran within its "
                                  "limits."), "muted") + "\n</section>"
    rows = [[escape(o.student), f"<code>{escape(o.exercise)}</code>", escape(_(LABELS[o.kind])),
             escape(o.line)] for o in results.outliers]
    attributes = [_data(student=o.student, exercise=o.exercise, kind=o.kind)
                  for o in results.outliers]
    return "\n".join([head, _table([_("student"), _("exercise"), _("what happened"),
                                    _("the grader's words")], rows, set(), attributes),
                      "</section>"])
