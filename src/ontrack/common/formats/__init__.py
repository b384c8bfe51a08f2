"""The site's one date format (``FORMAT_MODULE_PATH``): ISO 8601 days, ``2026-03-07``, and
times to the minute, ``2026-03-07 14:05``, in the office's time zone (ADR 0043)."""
