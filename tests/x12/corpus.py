"""Where the shared corpus of public X12 samples is: beside the checkout, or $RCM_X12_CORPUS.

mutmut runs the tests from a copy of the project (mutants/), so the Makefile names the folder.
"""

from __future__ import annotations

import os
from pathlib import Path

CORPUS = Path(
    os.environ.get("RCM_X12_CORPUS")
    or Path(__file__).resolve().parents[3] / "shared" / "x12-corpus"
)
