"""Feedback in English and in Chinese: every message has a translation, the same submission
gets the same scores in both languages, and no English sentence is left in the Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder import exercises, i18n
from autograder.authoring.catalogue import untranslated
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import find_submissions
from autograder.output.report import as_json

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff]")
# What may stay Latin in a Chinese line: code in backticks, values and arrays, and names.
_CODE = re.compile(r"`[^`]*`|\[[^\]]*\]|\([^()]*\)|\b\w+\s*=\s*\S+")
_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
NAMES = {"NaN", "nan", "inf", "NumPy", "numpy", "dtype", "float", "float64", "ReLU", "PReLU",
         "Leaky", "Softmax", "Sigmoid", "Adam", "SGD", "MSE", "Python", "None", "True",
         "False", "tanh", "sigmoid", "relu", "exp", "log", "sum", "max", "mean", "eps",
         "alpha", "beta", "gamma", "max_norm", "import", "return", "Xavier", "He"}


@pytest.fixture
def language():
    """Set the language for a test, and put English back afterwards."""
    yield i18n.set_language
    i18n.set_language("en")


def english_left(line: str) -> list[str]:
    """The English words of a line of Chinese feedback outside code, values and names."""
    if CJK.search(line):
        return []
    return [w for w in _WORD.findall(_CODE.sub(" ", line)) if w not in NAMES]


def test_every_message_has_a_chinese_translation():
    missing = untranslated("zh")
    assert not missing, f"{len(missing)} messages without a Chinese translation in " \
                        f"autograder/locale/zh/LC_MESSAGES/backprop.po: {missing[:5]}"


def test_english_words_are_found_and_code_is_not():
    assert english_left("    Your result is all zeros.") == ["Your", "result", "all", "zeros"]
    assert english_left("    `dW`：期望得到形状为 (3, 2) 的数组") == []
    assert english_left("    x = [[0.75, -0.99]], W = [[1.0]]") == []


@pytest.fixture(scope="module")
def sample_class():
    submissions, _problems = find_submissions(ROOT / "samples" / "class", set(exercises.ids()))
    return submissions


def grade(submissions, lang: str) -> dict:
    i18n.set_language(lang)
    grader = Grader(Config(workers=2), sorted({s.exercise for s in submissions}), hidden=True)
    return {(r.student, r.exercise): as_json(r) for r in grader.grade_all(submissions)}


def test_the_same_class_gets_the_same_scores_and_chinese_feedback(sample_class, language):
    english, chinese = grade(sample_class, "en"), grade(sample_class, "zh")
    assert english.keys() == chinese.keys()
    untranslated_lines = []
    for key, en in english.items():
        zh = chinese[key]
        assert zh["score"] == en["score"] and zh["max_score"] == en["max_score"], key
        for en_part, zh_part in zip(en["parts"], zh["parts"], strict=True):
            assert (zh_part["name"], zh_part["score"]) == (en_part["name"], en_part["score"])
            if en_part["feedback"] != "All checks passed.":
                assert zh_part["feedback"] != en_part["feedback"], (key, en_part["name"])
            untranslated_lines += [(key, line) for line in zh_part["feedback"].splitlines()
                                   if english_left(line)]
    assert not untranslated_lines, untranslated_lines[:10]


@pytest.mark.parametrize(("pieces", "tidied"), [
    ("与 均方误差损失 的中心差分", "与均方误差损失的中心差分"),
    ("对于维数为2的pred，正确", "对于维数为 2 的 pred，正确"),
    ("期望 -0.17，实际为 0.17（相对误差 1）", "期望 -0.17，实际为 0.17（相对误差 1）"),
    ("`dW`：期望得到形状为 (3, 2) 的数组", "`dW`：期望得到形状为 (3, 2) 的数组"),
])
def test_chinese_spacing_is_tidied(pieces, tidied, language):
    language("zh")
    assert i18n.tidy(pieces) == tidied
    language("en")
    assert i18n.tidy(pieces) == pieces
