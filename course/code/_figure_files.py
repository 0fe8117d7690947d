"""Writing the figures of ``figures.py`` and ``graphs.py`` to a folder, in every language.

``<name>`` holds the English figure and ``<stem>.<lang>.<ext>`` the figure of another language,
the names the site's build hook publishes them under (mkdocs-static-i18n shows the localised
file on the pages of its language).
"""

import sys
from pathlib import Path


def file_name(name: str, lang: str) -> str:
    """``vanishing.png`` in English, ``vanishing.zh.png`` in Chinese."""
    stem, ext = name.rsplit(".", 1)
    return name if lang == "en" else f"{stem}.{lang}.{ext}"


def write_all(render_all, languages, default_out: Path, argv=None) -> int:
    """Write what ``render_all(lang)`` draws for each language to the folder ``argv[0]``
    (default ``default_out``), printing each path; the ``main`` of a figures script."""
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else default_out
    out.mkdir(parents=True, exist_ok=True)
    for lang in languages:
        for name, data in render_all(lang).items():
            path = out / file_name(name, lang)
            path.write_bytes(data)
            print(path)
    return 0
