"""Finding the student's file in Gradescope's submission folder, leniently.

:func:`find_submission` takes the exact name, another case, the name with a
suffix or prefix (when only one file fits), a notebook, and a zip holding any
of these; each name is ranked by :func:`tier`.  Symbolic links, hidden files,
paths leading out of a zip and oversized files are never taken.  When no file
can be graded, :class:`SubmissionProblem` says what was expected, what was
found and the likeliest fix.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.i18n import _

SUFFIXES = (".py", ".ipynb")

# What a submission may hold before we stop looking.
MAX_FILE_BYTES = 20 * 2**20   # one exercise file (a notebook with figures fits)
MAX_ZIP_BYTES = 100 * 2**20   # an archive we open
MAX_ZIP_MEMBERS = 10_000
MAX_FILES = 10_000            # files looked at in the submission folder
MAX_DEPTH = 8                 # folders deep
IGNORED = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", "node_modules", "venv", ".venv"}


class SubmissionProblem(Exception):
    """No file of the submission can be graded; the message tells the student why."""


@dataclass
class Candidate:
    """A file that may be the student's exercise file."""

    shown: str            # as the student knows it: "Activations (1).py", "hw.zip: src/x.py"
    tier: int             # 0 exact name, 1 other case, 2 name with a suffix, 3 name inside
    in_zip: bool
    depth: int
    suffix: str
    folder: str           # where it is (to tell a .py from its own .ipynb twin)
    stem: str
    path: Path | None = None
    archive: Path | None = None
    member: zipfile.ZipInfo | None = None

    def key(self) -> tuple:
        """The sort key: best name, then outside a zip, shallowest, .py before .ipynb."""
        return (self.tier, self.in_zip, self.depth, self.suffix != ".py", self.shown)


@dataclass
class Found:
    """The file to grade: a path on disk (extracted from an archive if need be)."""

    path: Path
    shown: str
    notes: list[str] = field(default_factory=list)
    scratch: Path | None = None  # a folder to remove afterwards

    def cleanup(self) -> None:
        """Remove the copy extracted from a zip, if any."""
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def split_name(name: str) -> tuple[str, str]:
    """``("Activations (1)", ".py")`` for ``"Activations (1).PY"`` (the suffix in lower case)."""
    stem, dot, suffix = name.rpartition(".")
    return (stem, "." + suffix.lower()) if dot and stem else (name, "")


def tier(name: str, exercise: str) -> int | None:
    """How well a file name matches ``exercise`` (0 best), or None if it does not.

    ``activations.py`` 0; ``Activations.py`` 1; ``activations (1).py``,
    ``activations_final.py``, ``activations-v2.ipynb`` 2; ``hw2_activations.py`` 3.
    """
    stem, suffix = split_name(name)
    if suffix not in SUFFIXES:
        return None
    if name == exercise + suffix:
        return 0
    low = stem.lower()
    if low == exercise:
        return 1
    if low.startswith(exercise) and not low[len(exercise)].isalpha():
        return 2
    if exercise in re.split(r"[^a-z0-9]+", low):
        return 3
    return None


def find_submission(folder: Path, exercise: str, others: set[str] = frozenset()) -> Found:
    """The student's file for ``exercise`` in ``folder`` (Gradescope's submission folder).

    Accepts the exact name, another case, the name with a suffix or prefix
    (when only one file fits), a notebook, and a zip holding any of these.
    Files named after one of the ``others`` exercises are not taken.  Raises
    :class:`SubmissionProblem` saying what was expected and what was found.
    """
    if not folder.is_dir():
        raise SubmissionProblem(_expected(exercise, _("nothing (no submission folder)")))
    seen, skipped, candidates = _survey(folder, exercise, others)
    if not candidates:
        raise SubmissionProblem(_not_found(exercise, seen, skipped, others))
    candidates.sort(key=Candidate.key)
    best = candidates[0]
    rivals = [c for c in candidates if c.key()[:3] == best.key()[:3]]
    twins = [c for c in rivals if (c.folder, c.stem) == (best.folder, best.stem)]
    if len(twins) < len(rivals):
        listed = ", ".join(c.shown for c in rivals)
        raise SubmissionProblem(_(
            "Several files could be your {exercise}.py: {files}. Submit only one, named "
            "{exercise}.py (or {exercise}.ipynb), and submit again.").format(
            exercise=exercise, files=listed))
    found = _materialize(best, exercise)
    found.notes += _notes(exercise, best, twins, [c for c in candidates if c not in twins])
    return found


def _survey(folder: Path, exercise: str,
            others: set[str]) -> tuple[list[str], dict[str, str], list[Candidate]]:
    """Walk ``folder``: every file seen, the files skipped (→ why, as a sentence), the candidates.

    Hidden files are not looked at, and at most :data:`MAX_FILES` files are;
    zip files are looked into.
    """
    seen: list[str] = []
    skipped: dict[str, str] = {}
    candidates: list[Candidate] = []
    for directory, subdirs, names in os.walk(folder):
        here = Path(directory)
        depth = len(here.relative_to(folder).parts)
        subdirs[:] = _folders_to_enter(here, folder, sorted(subdirs), depth, skipped)
        for name in sorted(names):
            if name.startswith("."):
                continue
            if len(seen) >= MAX_FILES:
                break
            shown = _rel(here / name, folder)
            seen.append(shown)
            candidates += _file_candidates(here / name, shown, exercise, others, depth, skipped)
    return seen, skipped, candidates


def _folders_to_enter(here: Path, folder: Path, subdirs: list[str], depth: int,
                      skipped: dict[str, str]) -> list[str]:
    """The folders of ``here`` worth walking into.

    Not hidden or ignored ones (:data:`IGNORED`), nor those deeper than
    :data:`MAX_DEPTH`; symbolic links are not followed, and noted in ``skipped``.
    """
    kept = []
    for d in subdirs:
        if (here / d).is_symlink():
            link = _rel(here / d, folder)
            skipped[link] = _("{folder}/ is a symbolic link, which is not followed.").format(
                folder=link)
        elif not d.startswith(".") and d not in IGNORED and depth < MAX_DEPTH:
            kept.append(d)
    return kept


def _file_candidates(path: Path, shown: str, exercise: str, others: set[str], depth: int,
                     skipped: dict[str, str]) -> list[Candidate]:
    """The candidates a file of the submission folder gives: itself, or a zip's members.

    Symbolic links and special files are not taken, and noted in ``skipped``.
    """
    if path.is_symlink() or not path.is_file():
        skipped[shown] = _("{file} is a symbolic link (or a special file), which is not "
                           "followed: submit the file itself.").format(file=shown)
        return []
    if path.name.lower().endswith(".zip"):
        return _zip_candidates(path, shown, exercise, others, depth, skipped)
    candidate = _candidate(path.name, exercise, others, shown, False, depth, str(path.parent),
                           path=path)
    return [] if candidate is None else [candidate]


def _candidate(name: str, exercise: str, others: set[str], shown: str, in_zip: bool,
               depth: int, folder: str, **where) -> Candidate | None:
    """A :class:`Candidate` for the file ``name`` if its name may be the exercise's, else None.

    Names that fit no :func:`tier`, or that are another exercise's (one of
    ``others``), are not candidates.  ``where`` is the candidate's ``path``,
    or its ``archive`` and ``member``.
    """
    rank = tier(name, exercise)
    stem, suffix = split_name(name)
    if rank is None or stem.lower() in others:
        return None
    return Candidate(shown, rank, in_zip, depth, suffix, folder, stem.lower(), **where)


def _notes(exercise: str, best: Candidate, twins: list[Candidate],
           ignored: list[Candidate]) -> list[str]:
    """What the student is told about the file graded, its twin notebook, and the files left."""
    if best.tier == 0 and not best.in_zip:
        notes = [_("Graded {file}.").format(file=best.shown)]
    elif best.in_zip:
        notes = [_("Graded {file} (from inside the zip file).").format(file=best.shown)]
    else:
        notes = [_("Graded {file} as {name}: the expected name is {exercise}.py (or "
                   "{exercise}.ipynb), and it was the only file that could be it.").format(
            file=best.shown, name=f"{exercise}{best.suffix}", exercise=exercise)]
    for twin in twins[1:]:
        notes.append(_("{other} was also found; {file} was graded (a .py file is graded when "
                       "both it and a notebook are submitted).").format(other=twin.shown,
                                                                       file=best.shown))
    if ignored:
        listed = ", ".join(c.shown for c in ignored[:5]) + (" …" if len(ignored) > 5 else "")
        notes.append(_("Also found but not graded: {files}.").format(files=listed))
    return notes


def _rel(path: Path, folder: Path) -> str:
    """``path`` as the student knows it: relative to the submission folder, with slashes."""
    return path.relative_to(folder).as_posix()


def _zip_candidates(path: Path, shown: str, exercise: str, others: set[str], depth: int,
                    skipped: dict[str, str]) -> list[Candidate]:
    """The members of a zip file that may be the exercise file (nothing is extracted here).

    Names leading out of the zip, hidden files and symbolic links are not
    taken.  A zip too large or unreadable, or holding no candidate, is noted
    in ``skipped`` with the reason.
    """
    members = _zip_members(path, shown, skipped)
    if members is None:
        return []
    found, refused, names = [], [], []
    for info in members[:MAX_ZIP_MEMBERS]:
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if info.is_dir() or not parts:
            continue
        names.append(name)
        if name.startswith("/") or ":" in parts[0] or ".." in parts:
            refused.append(name)
        elif not _hidden_or_link(info, parts):
            candidate = _candidate(parts[-1], exercise, others, f"{shown}: {'/'.join(parts)}",
                                   True, depth + len(parts) - 1,
                                   f"{shown}:{'/'.join(parts[:-1])}", archive=path, member=info)
            if candidate is not None:
                found.append(candidate)
    if not found:
        listed = ", ".join(names[:10]) + (" …" if len(names) > 10 else "") or _("nothing")
        skipped[shown] = _("{zip} holds {files}: no {exercise}.py or {exercise}.ipynb.").format(
            zip=shown, files=listed, exercise=exercise)
        if refused:
            skipped[shown] += " " + _("Names that lead outside the zip file (with .. or a "
                                      "leading /) are not taken.")
    return found


def _zip_members(path: Path, shown: str,
                 skipped: dict[str, str]) -> list[zipfile.ZipInfo] | None:
    """The members of the zip file ``path``, or None if it is too large or unreadable.

    Why it was not opened goes in ``skipped``.
    """
    if path.stat().st_size > MAX_ZIP_BYTES:
        skipped[shown] = _("{zip} is larger than {size} MB: it was not opened.").format(
            zip=shown, size=MAX_ZIP_BYTES // 2**20)
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        skipped[shown] = _("{zip} is not a readable zip file ({error}).").format(zip=shown,
                                                                                  error=exc)
        return None


def _hidden_or_link(info: zipfile.ZipInfo, parts: tuple[str, ...]) -> bool:
    """A hidden or ignored member (``__MACOSX/…``, ``.git/…``) or a symbolic link: never taken."""
    return (any(p.startswith(".") or p in IGNORED for p in parts)
            or (info.external_attr >> 16) & 0o170000 == 0o120000)


def _materialize(candidate: Candidate, exercise: str) -> Found:
    """A path to grade: the file itself, or the zip member copied out (size-limited).

    Raises :class:`SubmissionProblem` if the file is larger than
    :data:`MAX_FILE_BYTES`, or the member is encrypted or cannot be read.
    """
    if candidate.archive is None:
        if candidate.path.stat().st_size > MAX_FILE_BYTES:
            raise _too_large(candidate)
        return Found(candidate.path, candidate.shown)
    info = candidate.member
    if info.flag_bits & 0x1:
        raise SubmissionProblem(_("{file} is encrypted; submit a zip without a password, or "
                                  "the file itself.").format(file=candidate.shown))
    if info.file_size > MAX_FILE_BYTES:
        raise _too_large(candidate)
    try:
        with zipfile.ZipFile(candidate.archive) as archive, archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise SubmissionProblem(_("{file} could not be read from the zip file ({error}); "
                                  "submit the file itself.").format(file=candidate.shown,
                                                                    error=exc)) from None
    if len(data) > MAX_FILE_BYTES:  # the zip's stated size may lie
        raise _too_large(candidate)
    scratch = Path(tempfile.mkdtemp(prefix="backprop-gradescope-"))
    target = scratch / f"{exercise}{candidate.suffix}"  # our name: nothing of the member's path
    target.write_bytes(data)
    return Found(target, candidate.shown, scratch=scratch)


def _too_large(candidate: Candidate) -> SubmissionProblem:
    """The problem of a file larger than :data:`MAX_FILE_BYTES`."""
    return SubmissionProblem(_("{file} is larger than {size} MB; submit the exercise file "
                               "only.").format(file=candidate.shown, size=MAX_FILE_BYTES // 2**20))


def _expected(exercise: str, found: str) -> str:
    """The start of every "not found" message: what was expected, and ``found``."""
    return _("No file for the exercise `{exercise}` was found in your submission.\n"
             "Expected: {exercise}.py (or {exercise}.ipynb, or a .zip file holding one of "
             "them).\nFound: {found}.").format(exercise=exercise, found=found)


def _not_found(exercise: str, seen: list[str], skipped: dict[str, str],
               others: set[str]) -> str:
    """What was expected, what was found, and the likeliest fix."""
    if not seen:
        return _expected(exercise, _("nothing (the submission is empty)")) + "\n" + _(
            "Submit your {exercise}.py and try again.").format(exercise=exercise)
    listed = ", ".join(seen[:20])
    if len(seen) > 20:
        listed = _("{files} and {count} more").format(files=listed, count=len(seen) - 20)
    lines = [_expected(exercise, listed)]
    for shown in seen:
        if shown in skipped:
            continue
        name = PurePosixPath(shown).name
        stem, suffix = split_name(name)
        if stem.lower() in others and suffix in SUFFIXES:
            lines.append(_("{file} is the file of the exercise `{other}`, not of "
                           "`{exercise}`: submit it to that exercise's assignment, and your "
                           "{exercise}.py here.").format(file=shown, other=stem.lower(),
                                                         exercise=exercise))
        elif exercise in name.lower() or difflib.get_close_matches(
                stem.lower(), [exercise], n=1, cutoff=0.75):
            lines.append(_("Did you mean {file}? Rename it {exercise}.py (or {exercise}.ipynb "
                           "for a notebook) and submit again.").format(file=shown,
                                                                       exercise=exercise))
    lines += list(skipped.values())[:10]
    if len(lines) == 1:
        lines.append(_("Rename your file {exercise}.py and submit again.").format(
            exercise=exercise))
    return "\n".join(lines)
