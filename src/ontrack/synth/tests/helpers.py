"""What the generator tests share: the size, seed and "today" of the caseload they check."""

from __future__ import annotations

import datetime

N = 20_000
SEED = 11
TODAY = datetime.date(2026, 11, 30)
