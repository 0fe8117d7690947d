"""``python -m autograder.platforms.gradescope``: grade the submission (see :mod:`.run`)."""

import sys

from autograder.platforms.gradescope.run import main

sys.exit(main())
