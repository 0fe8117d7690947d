"""The translation catalogues (gettext, managed with Babel), one per domain.

Two domains (:data:`DOMAINS`), each with the same three files:

* ``backprop`` — every message the package prints, marked in the code with ``_()``,
  ``N_()`` or ``ngettext()`` (:mod:`autograder.i18n`), extracted by Babel;
* ``course`` — the course's prose inside code: the docstrings and comments that students
  see in their files and notebooks and readers in the site's code blocks
  (:mod:`autograder.authoring.course_text`).

For a domain ``d``:

* ``autograder/locale/d.pot`` — the template, every message of the domain;
* ``autograder/locale/<lang>/LC_MESSAGES/d.po`` — its translations: the template
  merged into the existing catalogue, so that a new message appears untranslated and a
  message that is gone is dropped (Babel's ``update``);
* ``autograder/locale/<lang>/LC_MESSAGES/d.mo`` — the compiled catalogue, which the
  standard library's :mod:`gettext` reads.

``backprop build`` writes them all (:func:`catalogues`); a translator edits only the
``.po`` files, then runs ``backprop build`` again. Locations are left out of the catalogues
so that moving code does not change them; the message itself is the key.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from autograder.authoring import course_text
from autograder.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# Fixed headers (a fixed date, no translator): `backprop build --check` compares the files
# byte for byte. Babel writes its version into them too, so the test extra pins it.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
HEADERS = {"project": "backprop-course", "version": "", "copyright_holder": "the authors of "
           "backprop-course", "msgid_bugs_address": "", "last_translator": "",
           "language_team": "", "creation_date": EPOCH, "revision_date": EPOCH, "fuzzy": False}
WRITTEN = "# Written by `backprop build`; translators edit only the msgstr lines."


def _package_messages(catalog, checkout: Path) -> None:
    """Add every message marked in the package's code to ``catalog`` (Babel's extraction)."""
    from babel.messages.extract import extract_from_dir

    for _file, _line, message, comments, context in extract_from_dir(
            checkout / "autograder", method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("Translators:",), strip_comment_tags=True):
        catalog.add(message, auto_comments=comments, context=context)


def _course_messages(catalog, checkout: Path) -> None:
    """Add every docstring and comment of the course's code to ``catalog``, with the files
    it is in as comments for the translator."""
    for message, files in course_text.extract(checkout).items():
        catalog.add(message, auto_comments=files)


#: The flags Babel gives a message that looks like a format string.
FORMAT_FLAGS = ("python-format", "python-brace-format")


@dataclass(frozen=True)
class Domain:
    """A catalogue: its name, what its header says, how its messages are found and whether
    they are format strings (or plain text, whose braces mean nothing)."""

    name: str
    about: str
    fill: Callable[[object, Path], None]  # (Babel catalogue, checkout): adds the messages
    formats: bool = True

    def plain(self, catalog):
        """``catalog``, without format flags if the domain's messages are no formats."""
        for message in [] if self.formats else catalog:
            message.flags.difference_update(FORMAT_FLAGS)
        return catalog

    @property
    def header_comment(self) -> str:
        return f"# {self.about}\n{WRITTEN}"


DOMAINS = {d.name: d for d in (
    Domain(DOMAIN, "The messages of backprop-course (autograder/i18n.py).", _package_messages),
    Domain(course_text.DOMAIN, "The docstrings and comments of backprop-course's code "
           "(autograder/authoring/course_text.py).", _course_messages, formats=False),
)}


def _catalog(domain: Domain, lang: str | None = None):
    from babel.messages.catalog import Catalog
    return Catalog(locale=lang, header_comment=domain.header_comment, **HEADERS)


def template(domain: str = DOMAIN, checkout: Path = LOCALE_DIR.parents[1]):
    """The catalogue of every message of ``domain`` in ``checkout``, as a Babel ``Catalog``."""
    catalog = _catalog(DOMAINS[domain])
    DOMAINS[domain].fill(catalog, checkout)
    return DOMAINS[domain].plain(catalog)


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
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po
    if not path.is_file():
        return Catalog(locale=lang)
    with path.open("rb") as stream:
        return read_po(stream, locale=lang)


def po_path(lang: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{domain}.po"


def catalogues(locale_dir: Path = LOCALE_DIR) -> dict[Path, str | bytes]:
    """For every domain, the template, and for each language but English its ``.po``
    (brought up to date with the template) and its ``.mo``, by path."""
    files: dict[Path, str | bytes] = {}
    for domain in DOMAINS.values():
        pot = template(domain.name, locale_dir.parents[1])
        files[locale_dir / f"{domain.name}.pot"] = _po(pot)
        for lang in LANGUAGES[1:]:
            path = po_path(lang, locale_dir, domain.name)
            catalog = read(path, lang)
            catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
            catalog.obsolete.clear()
            for name, value in HEADERS.items():
                setattr(catalog, name, value)
            catalog.header_comment = domain.header_comment
            po = files[path] = _po(domain.plain(catalog))
            files[path.with_suffix(".mo")] = _mo(po, lang)
    return files


def untranslated(lang: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN) -> list[str]:
    """The messages of the template of ``domain`` that the catalogue of ``lang`` does not
    translate (no translation, or one still marked fuzzy)."""
    catalog = read(po_path(lang, locale_dir, domain), lang)
    done = {m.id for m in catalog if m.id and m.string and not m.fuzzy
            and (not isinstance(m.string, tuple) or all(m.string))}
    return sorted(str(m.id) for m in template(domain, locale_dir.parents[1])
                  if m.id and m.id not in done)
