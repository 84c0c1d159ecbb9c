"""Editors' check of source/: every quotation problem at once, not only the first.

    .venv/bin/python scripts/check_data.py [FILE-SUBSTRING]

The build stops at the first problem; this lists every quotation and locator problem
(optionally only those in files whose name contains FILE-SUBSTRING), then any other error.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from opedcheck import load, model

load.DEFERRED = []
only = sys.argv[1] if len(sys.argv) > 1 else ""
try:
    data = load.load(ROOT / "source")
    error = None
except load.EditionError as err:
    error = str(err)
problems = [p for p in load.DEFERRED if only in p.split(":", 1)[0]]
if error and only in error.split(":", 1)[0]:
    problems.append(error)
elif error:
    print(f"(another file has an error: {error})")
for problem in problems:
    print(problem)
print(f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
