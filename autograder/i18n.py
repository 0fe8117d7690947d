"""The language of every message the package prints: English or Simplified Chinese.

Messages are written in English in the code and marked for translation:

* ``_("text")`` translates when the text is made, in the current language;
* ``N_("text")`` only marks a text declared at import time (a check's description, a
  mistake's diagnosis); the code that shows it translates it then, with ``_(text)``.

Values go in with ``str.format`` after translation, ``_("{n} points").format(n=3)``, so that a
translation may put them where its grammar wants them.

The translations are gettext catalogues, ``autograder/locale/<lang>/LC_MESSAGES/backprop.po``
for these messages and ``course.po`` for the docstrings and comments of the exercise files and
of the course's code (:mod:`autograder.authoring.course_text`). ``backprop build`` extracts,
merges and compiles them with Babel (see the authors' page); reading the compiled ``.mo``
files needs only the standard library.

The language is chosen, first to last: ``--lang`` on the command line, ``lang = "zh"`` in
``backprop.toml``, then the locale of the environment (``LC_ALL``, ``LC_MESSAGES``, ``LANG``:
a ``zh_*`` locale selects Chinese); English otherwise.
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Mapping
from pathlib import Path

LANGUAGES = ("en", "zh")
DEFAULT = "en"
DOMAIN = "backprop"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT


def N_(message: str) -> str:  # noqa: N802 - the conventional name of gettext's no-op marker
    """Mark ``message`` for translation without translating it (it is translated where shown)."""
    return message


def _(message: str) -> str:
    """``message`` in the current language (itself when it has no translation)."""
    return _translation.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for the count ``n``, in the current language."""
    return _translation.ngettext(singular, plural, n)


def language() -> str:
    """The current language: ``"en"`` or ``"zh"``."""
    return _language


def set_language(lang: str) -> None:
    """Print every message from now on in ``lang`` (one of :data:`LANGUAGES`)."""
    global _translation, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    if lang == DEFAULT:
        _translation = gettext.NullTranslations()
    else:
        try:
            _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
        except FileNotFoundError:
            raise RuntimeError(
                f"the {lang} catalogue {LOCALE_DIR}/{lang}/LC_MESSAGES/{DOMAIN}.mo is missing: "
                "run `backprop build` in the checkout to compile it") from None
    _language = lang


def from_environment(environ: Mapping[str, str] = os.environ) -> str | None:
    """The language the locale of the environment asks for, or ``None`` when it names
    neither (POSIX order: the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            code = value.split(".")[0].split("@")[0].lower()
            return "zh" if code.startswith("zh") else ("en" if code.startswith("en") else None)
    return None


def choose(option: str | None, configured: str | None,
           environ: Mapping[str, str] = os.environ) -> str:
    """The language to use: the command line's, else the configuration's, else the
    environment's, else English."""
    return option or configured or from_environment(environ) or DEFAULT


# Chinese typography for a text put together from translated pieces and values: no space
# between two Chinese characters (or a character and full-width punctuation), one
# half-width space between a Chinese character and a Latin letter or digit.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_WIDE = _HAN + "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20"   # + full-width punctuation
_NO_SPACE = re.compile(rf"(?<=[{_WIDE}])[ \t]+(?=[{_WIDE}])")
_HAN_LATIN = re.compile(rf"(?<=[{_HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{_HAN}])")


def tidy(text: str) -> str:
    """``text`` with the spacing rules of Chinese typography when the language is Chinese
    (values inserted into a message may bring spaces meant for English); unchanged in
    English."""
    if _language != "zh" or not text:
        return text
    return _HAN_LATIN.sub(" ", _NO_SPACE.sub("", text))
