"""The translation catalogues of the messages the package prints (gettext, managed with Babel).

* ``autograder/locale/backprop.pot`` — every message marked in the code with ``_()``,
  ``N_()`` or ``ngettext()`` (:mod:`autograder.i18n`), extracted by Babel;
* ``autograder/locale/<lang>/LC_MESSAGES/backprop.po`` — its translations: the template
  merged into the existing catalogue, so that a new message appears untranslated and a
  message that is gone is dropped (Babel's ``update``);
* ``autograder/locale/<lang>/LC_MESSAGES/backprop.mo`` — the compiled catalogue that
  :func:`autograder.i18n.set_language` reads with the standard library.

``backprop build`` writes all three (:func:`catalogues`); a translator edits only the
``.po`` file, then runs ``backprop build`` again. Locations are left out of the catalogues
so that moving code does not change them; the message itself is the key.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from autograder.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# Fixed headers (a fixed date, no translator): `backprop build --check` compares the files
# byte for byte. Babel writes its version into them too, so the test extra pins it.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
HEADERS = {"project": "backprop-course", "version": "", "copyright_holder": "the authors of "
           "backprop-course", "msgid_bugs_address": "", "last_translator": "",
           "language_team": "", "creation_date": EPOCH, "revision_date": EPOCH, "fuzzy": False}
HEADER_COMMENT = ("# The messages of backprop-course (autograder/i18n.py).\n"
                  "# Written by `backprop build`; translators edit only the msgstr lines.")


def _catalog(lang: str | None = None):
    from babel.messages.catalog import Catalog
    return Catalog(locale=lang, header_comment=HEADER_COMMENT, **HEADERS)


def template(package: Path = LOCALE_DIR.parent):
    """The catalogue of every marked message in ``package``, as a Babel ``Catalog``."""
    from babel.messages.extract import extract_from_dir

    catalog = _catalog()
    for _file, _line, message, comments, context in extract_from_dir(
            package, method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("Translators:",), strip_comment_tags=True):
        catalog.add(message, auto_comments=comments, context=context)
    return catalog


def _po(catalog) -> str:
    from babel.messages.pofile import write_po
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, no_location=True, sort_output=True,
             include_previous=False)
    return buffer.getvalue().decode("utf-8")


def _mo(po: str, lang: str) -> bytes:
    """The compiled catalogue of the ``.po`` text ``po`` (compiled from the text, as a
    translator's edit would be, so that building twice gives the same bytes)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    buffer = io.BytesIO()
    write_mo(buffer, read_po(io.BytesIO(po.encode("utf-8")), locale=lang))
    return buffer.getvalue()


def read(path: Path, lang: str):
    """The catalogue of ``lang`` at ``path`` (an empty one when the file does not exist)."""
    from babel.messages.pofile import read_po
    if not path.is_file():
        return _catalog(lang)
    with path.open("rb") as stream:
        return read_po(stream, locale=lang)


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogues(locale_dir: Path = LOCALE_DIR) -> dict[Path, str | bytes]:
    """The template, and for each language but English its ``.po`` (brought up to date with
    the template) and its ``.mo``, by path."""
    pot = template(locale_dir.parent)
    files: dict[Path, str | bytes] = {locale_dir / f"{DOMAIN}.pot": _po(pot)}
    for lang in LANGUAGES[1:]:
        catalog = read(po_path(lang, locale_dir), lang)
        catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        for name, value in HEADERS.items():
            setattr(catalog, name, value)
        catalog.header_comment = HEADER_COMMENT
        po = files[po_path(lang, locale_dir)] = _po(catalog)
        files[po_path(lang, locale_dir).with_suffix(".mo")] = _mo(po, lang)
    return files


def untranslated(lang: str, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The messages of the template that the catalogue of ``lang`` does not translate
    (no translation, or one still marked fuzzy)."""
    catalog = read(po_path(lang, locale_dir), lang)
    done = {m.id for m in catalog if m.id and m.string and not m.fuzzy
            and (not isinstance(m.string, tuple) or all(m.string))}
    return sorted(str(m.id) for m in template(locale_dir.parent) if m.id and m.id not in done)
