"""Test-wide setup: Qt runs offscreen, so the suite needs no screen.

Under CI (``CI`` set, as ``.ci/run`` does) hypothesis draws the same examples every run, so a
build fails for the change it tests, never for a new random draw; on a developer's machine
the draws are random and keep exploring (the random gradient check found (x²)^1.5's 0/0 so).
"""

import os

from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
