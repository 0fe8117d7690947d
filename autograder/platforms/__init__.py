"""Other platforms, one folder each, taking a grading run's results (or running it):
nbgrader (course directories, gradebooks, the notebooks' test cells) and Gradescope (the
autograder zip and what runs in its container).  A new platform is a new folder here."""
