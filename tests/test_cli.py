"""The `backprop` command as students and instructors use it."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder import cli, exercises, i18n
from autograder.authoring.markers import unmarked
from autograder.cli import main
from autograder.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent
CLASS = ROOT / "samples" / "class"


def text(captured: str) -> str:
    """Terminal output with rich's line wrapping undone."""
    return " ".join(captured.split())


@pytest.fixture
def reference_file(tmp_path):
    path = tmp_path / "losses.py"
    path.write_text(unmarked((ROOT / "solutions" / "losses.py").read_text()))
    return path


def test_check_passes_a_correct_file(reference_file, capsys):
    assert main(["check", str(reference_file)]) == 0
    assert "13 of 13 public checks passed" in text(capsys.readouterr().out)


def test_check_fails_the_stub_and_says_why(capsys):
    assert main(["check", str(ROOT / "exercises" / "losses.py")]) == 1
    out = text(capsys.readouterr().out)
    assert "0 of 13 public checks passed" in out and "not implemented yet" in out


def test_check_json(reference_file, capsys):
    assert main(["check", str(reference_file), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["exercise"] == "losses"
    assert [p["name"] for p in record["parts"]] == [
        "mse_loss", "softmax", "softmax_cross_entropy", "bce_with_logits"]
    assert all(set(p) >= {"name", "score", "max_score", "feedback"} for p in record["parts"])


def test_check_runs_without_the_reference_solutions(reference_file, monkeypatch, capsys):
    monkeypatch.setattr("autograder.grading.reference.CHECKOUT_SOLUTIONS", Path("/nonexistent"))
    assert main(["check", str(reference_file)]) == 0


@pytest.mark.parametrize("args, advice", [
    (["check", "samples/class"], "give one exercise file"),
    (["check", "nowhere/activations.py"], "there is no file"),
    (["grade", "samples/class/ada/activations.py"], "backprop check"),
    (["grade", "samples/class", "--exercise", "activation"], "rename it"),
    (["grade", "samples/class", "--workers", "0"], "--workers 2"),
    (["grade", "samples"], "no submissions found"),
])
def test_wrong_arguments_say_what_to_type(args, advice, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(args) == 2
    assert advice in text(capsys.readouterr().err)


def test_misnamed_file_gets_a_suggestion(tmp_path, reference_file, capsys):
    misnamed = tmp_path / "Losses_final.py"
    shutil.copy(reference_file, misnamed)
    assert main(["check", str(misnamed)]) == 2
    assert "rename it" in text(capsys.readouterr().err)


def test_misspelt_command_gets_a_suggestion(capsys):
    with pytest.raises(SystemExit):
        main(["grad", "samples/class"])
    assert "did you mean: backprop grade" in capsys.readouterr().err


def test_unknown_exercise_is_its_own_error():
    with pytest.raises(exercises.UnknownExercise) as raised:
        exercises.load("nosuch")
    assert not isinstance(raised.value, KeyError)
    assert all(e in str(raised.value) for e in exercises.ids())


@pytest.mark.parametrize("args, says", [
    (["check", "{tmp}/nosuch.py"], "nosuch.py is not named after an exercise"),
    (["grade", "samples/class", "--exercise", "nosuch"], "nosuch.py is not named after an"),
    (["gradescope", "nosuch", "-o", "{tmp}/x.zip"], "there is no exercise 'nosuch'"),
])
def test_unknown_exercise_is_a_usage_error_naming_the_exercises(args, says, tmp_path, capsys,
                                                                monkeypatch):
    monkeypatch.chdir(ROOT)
    (tmp_path / "nosuch.py").write_text("def relu(x):\n    return x\n")
    assert main([a.format(tmp=tmp_path) for a in args]) == 2
    err = text(capsys.readouterr().err)
    assert says in err and all(e in err for e in exercises.ids())


@pytest.mark.parametrize("args", [
    ["check", "{reference}"],
    ["grade", str(CLASS), "--exercise", "losses"],
    ["gradescope", "losses", "-o", "{tmp}/x.zip"],
])
def test_an_internal_key_error_is_not_an_unknown_exercise(args, reference_file, tmp_path,
                                                          monkeypatch, capsys):
    def broken(exercise_id):
        raise KeyError("x")

    monkeypatch.setattr("autograder.grading.keys.load_public_keys", broken)
    with pytest.raises(KeyError, match="x"):
        main([a.format(reference=reference_file, tmp=tmp_path) for a in args])
    err = text(capsys.readouterr().err)
    assert "exercise" not in err and "usage" not in err


def test_grade_writes_every_output(tmp_path, capsys):
    out, records, feedback = tmp_path / "g.csv", tmp_path / "r.jsonl", tmp_path / "fb"
    assert main(["grade", str(CLASS), "--exercise", "losses", "--workers", "2", "--out", str(out),
                 "--json", str(records), "--feedback", str(feedback)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["student", "exercise", "score", "max_score"]
    students = {p.parent.name for p in CLASS.glob("*/losses.*")}
    assert {r["student"] for r in rows} == students
    lines = [json.loads(line) for line in records.read_text().splitlines()]
    assert {(r["student"], r["exercise"]) for r in lines} == {(s, "losses") for s in students}
    assert {f.parent.name for f in feedback.glob("*/losses.md")} == students
    ben = (feedback / "ben" / "losses.md").read_text()
    assert "sign flip" in ben and "Score:" in ben


def test_same_submission_same_score_and_seed_from_config(tmp_path):
    def scores(*extra):
        records = tmp_path / "r.jsonl"
        main(["grade", str(CLASS), "--exercise", "activations", "--json", str(records), *extra])
        return [(r["student"], r["score"]) for r in map(json.loads, records.open())]

    first = scores()
    assert scores() == first
    config = tmp_path / "backprop.toml"
    config.write_text("[grading]\nseed = 7\nworkers = 1\n")
    assert scores("--config", str(config)) == first  # another seed, same verdicts


def test_bad_config_is_reported(tmp_path, capsys):
    config = tmp_path / "backprop.toml"
    config.write_text("[grading]\nseeds = 7\n")
    assert main(["grade", str(CLASS), "--config", str(config)]) == 2
    assert "unknown setting(s) seeds in [grading]" in text(capsys.readouterr().err)


def test_console_script_and_help():
    for command in ([], ["check"], ["grade"], ["build"]):
        done = subprocess.run(["backprop", *command, "--help"], capture_output=True, text=True)
        assert done.returncode == 0 and "usage: backprop" in done.stdout


@pytest.mark.parametrize("missing, bundle", [("autograder.authoring", True), ("nbgrader", False)])
def test_an_instructors_command_in_the_bundle_says_so_but_a_missing_dependency_surfaces(
        monkeypatch, missing, bundle):
    from autograder import cli

    def absent(name):
        raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)

    monkeypatch.setattr(cli.importlib, "import_module", absent)
    if bundle:
        with pytest.raises(cli.UsageError, match="students' bundle"):
            cli.instructors_only("authoring.build")
    else:
        with pytest.raises(ModuleNotFoundError, match="nbgrader"):
            cli.instructors_only("platforms.nbgrader.course")


# --------------------------------------------------------------------------- the language

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def language_restored():
    """Each test leaves the language of the messages as it found it."""
    before = i18n.language()
    yield
    i18n.set_language(before)


@pytest.fixture
def languages_set(monkeypatch):
    """The languages `backprop` sets, in order (the real set_language still runs)."""
    calls = []

    def spy(lang):
        calls.append(lang)
        i18n.set_language(lang)

    monkeypatch.setattr(cli, "set_language", spy)
    return calls


def locale(monkeypatch, value: str | None) -> None:
    """The environment's locale: ``LANG=value`` alone (or no locale variable at all)."""
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    if value:
        monkeypatch.setenv("LANG", value)


def one_student(tmp_path: Path, reference_file: Path) -> Path:
    folder = tmp_path / "class"
    (folder / "ada").mkdir(parents=True)
    shutil.copy(reference_file, folder / "ada" / "losses.py")
    return folder


@pytest.mark.parametrize("command", ["check", "grade"])
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_lang_option_is_taken_and_sets_the_language(command, lang, reference_file, tmp_path,
                                                    monkeypatch, languages_set):
    monkeypatch.chdir(tmp_path)
    target = reference_file if command == "check" else one_student(tmp_path, reference_file)
    assert cli.parser().parse_args([command, str(target), "--lang", lang]).lang == lang
    assert main([command, str(target), "--lang", lang]) == 0
    assert languages_set[-1] == lang


# Every command that takes --lang, with the arguments it needs before it.
WITH_LANG = {"check": ["check", "somewhere"], "grade": ["grade", "somewhere"],
             "release": ["release", "--out", "somewhere"],
             "nbgrader init": ["nbgrader", "init", "somewhere"],
             "gradescope": ["gradescope", "somewhere"]}


@pytest.mark.parametrize("command", WITH_LANG)
@pytest.mark.parametrize("wrong", ["fr", "zh_CN", "EN", ""])
def test_lang_option_refuses_another_language_naming_the_choices(command, wrong, capsys):
    with pytest.raises(SystemExit) as stopped:
        main([*WITH_LANG[command], "--lang", wrong])
    assert stopped.value.code == 2
    err = text(capsys.readouterr().err)
    assert "argument --lang: invalid choice" in err
    assert re.search(r"choose from '?en'?, '?zh'?\)", err), err


@pytest.mark.parametrize("command", WITH_LANG)
def test_every_command_that_writes_or_prints_texts_takes_lang(command, capsys):
    with pytest.raises(SystemExit):
        main([*WITH_LANG[command][:2 if command == "nbgrader init" else 1], "--help"])
    assert "--lang {en,zh}" in text(capsys.readouterr().out)


@pytest.mark.parametrize("option, configured, environment, chosen", [
    (None, None, "C.UTF-8", "en"),
    (None, None, "zh_CN.UTF-8", "zh"),
    ("en", "zh", "zh_CN.UTF-8", "en"),
    (None, "zh", "en_US.UTF-8", "zh"),
])
def test_release_writes_the_bundle_in_the_chosen_language(option, configured, environment,
                                                          chosen, tmp_path, monkeypatch):
    locale(monkeypatch, environment)
    monkeypatch.chdir(tmp_path)
    if configured:
        (tmp_path / "backprop.toml").write_text(f'lang = "{configured}"\n')
    assert main(["release", "--out", "bundle", *(["--lang", option] if option else [])]) == 0
    stub = (tmp_path / "bundle" / "exercises" / "calculus.py").read_text()
    assert ("在此编写你的代码" in stub) == (chosen == "zh")
    assert (tmp_path / "bundle" / "backprop.toml").is_file() == (chosen == "zh")


@pytest.mark.parametrize("settings, written", [
    ("", 'lang = "zh"'),
    ("# the course's settings\n[grading]\nseed = 7\n", 'lang = "zh"'),
    ('lang = "en"  # English\n\n[grading]\nseed = 7\n', 'lang = "zh"\n\n[grading]'),
    ('[grading]\nseed = 7\n[other]\nlang = "en"\n', 'lang = "zh"'),
])
def test_gradescope_writes_the_language_of_the_feedback_into_its_settings(settings, written):
    from autograder.platforms.gradescope.bundle import with_language

    shipped = with_language(settings, "zh")
    assert written in shipped
    assert tomllib.loads(shipped)["lang"] == "zh"
    assert {k: v for k, v in tomllib.loads(shipped).items() if k != "lang"} == {
        k: v for k, v in tomllib.loads(settings).items() if k != "lang"}


def test_gradescope_zip_in_chinese(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["gradescope", "calculus", "-o", "calculus.zip", "--lang", "zh"]) == 0
    with zipfile.ZipFile(tmp_path / "calculus.zip") as archive:
        settings = tomllib.loads(archive.read("backprop.toml").decode())
    assert settings["lang"] == "zh" and settings["grading"]["seed"] == 2026


@pytest.mark.parametrize("option, configured, environment, chosen", [
    (None, None, None, "en"),
    (None, None, "C.UTF-8", "en"),
    (None, None, "zh_CN.UTF-8", "zh"),           # the locale, when nothing else says
    (None, "en", "zh_CN.UTF-8", "en"),           # the configuration beats the locale
    (None, "zh", "en_US.UTF-8", "zh"),
    ("en", "zh", "zh_CN.UTF-8", "en"),           # the option beats the configuration
    ("zh", "en", "en_US.UTF-8", "zh"),
])
def test_option_beats_configuration_beats_locale(option, configured, environment, chosen,
                                                 reference_file, tmp_path, monkeypatch,
                                                 languages_set):
    environ = {"LANG": environment} if environment else {}
    assert i18n.choose(option, configured, environ) == chosen

    locale(monkeypatch, environment)
    monkeypatch.chdir(tmp_path)
    if configured:
        (tmp_path / "backprop.toml").write_text(f'lang = "{configured}"\n')
    assert load_config().lang == configured
    option_args = ["--lang", option] if option else []
    assert main(["check", str(reference_file), *option_args]) == 0
    assert languages_set[-1] == chosen
    config = tmp_path / "settings.toml"  # grade's --config, read the same way
    config.write_text(f'lang = "{configured}"\n' if configured else "")
    assert main(["grade", str(one_student(tmp_path, reference_file)), "--config", str(config),
                 *option_args]) == 0
    assert languages_set[-1] == chosen


def test_check_in_chinese_runs_and_its_json_is_the_same(reference_file, capsys):
    assert main(["check", str(reference_file), "--json"]) == 0
    english = json.loads(capsys.readouterr().out)
    assert main(["check", str(reference_file), "--json", "--lang", "zh"]) == 0
    chinese = json.loads(capsys.readouterr().out)
    for record in (english, chinese):  # the texts are translated, never the fields
        for part in record["parts"]:
            part.pop("feedback")
            for check in part["checks"]:
                check.pop("title")
        record.pop("seconds")
    assert chinese == english


def test_results_graded_in_one_language_are_not_resumed_in_another(reference_file, tmp_path):
    folder, journal = one_student(tmp_path, reference_file), tmp_path / "journal.jsonl"

    def graded(lang: str) -> int:
        assert main(["grade", str(folder), "--journal", str(journal), "--lang", lang]) == 0
        return len(journal.read_text().splitlines())

    assert graded("en") == 1
    assert graded("en") == 1  # resumed
    assert graded("zh") == 2  # graded again, its texts in Chinese
    assert graded("zh") == 2


@pytest.mark.parametrize("toml, lang", [
    ("", None),
    ('lang = "zh"\n', "zh"),
    ('lang = "en"\n[grading]\nseed = 7\n', "en"),
])
def test_lang_is_a_top_level_setting(toml, lang, tmp_path):
    path = tmp_path / "backprop.toml"
    path.write_text(toml)
    config = load_config(path)
    assert config.lang == lang
    assert config.seed == (7 if "seed" in toml else 2026)


@pytest.mark.parametrize("toml, problem", [
    ('lang = "fr"\n', "lang must be one of en, zh, not 'fr'"),
    ("lang = 1\n", "lang must be one of en, zh, not 1"),
    ('[grading]\nlang = "zh"\n', "unknown setting(s) lang in [grading]; the settings are seed, "
                                 "seconds_per_part, memory_mb, workers, sandbox (lang is a "
                                 "top-level key"),
])
def test_a_wrong_lang_setting_says_what_is_allowed(toml, problem, tmp_path, capsys,
                                                   reference_file, monkeypatch):
    path = tmp_path / "backprop.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_config(path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(reference_file)]) == 2
    assert problem in text(capsys.readouterr().err)
