"""Everything a grading run writes or prints, from its results: one way to show a check
(feedback), the terminal, Markdown, CSV and JSON Lines reports (report), atomic writes (files)."""
