"""A safe name to show for an uploaded file: the last part of whatever path was sent, no
control or format characters, no leading dots, at most 200 characters. It is only ever a
label (and the download's suggested name); the file is stored under a random name."""

from __future__ import annotations

import re
import unicodedata

LIMIT = 200


def display_name(raw: str, *, fallback: str) -> str:
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]  # "../../etc/passwd", "C:\\x\\y.pdf" → last part
    # Cc control, Cf format (bidi overrides that disguise ".exe"), Zl/Zp separators.
    name = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    name = name.replace('"', "'")
    if len(name) > LIMIT:
        _stem, dot, ext = name.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        name = name[: LIMIT - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return name or fallback
