"""Import batches: every applied import is recorded, so any count can be traced to a file,
and every record an import created carries the batch that created it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    feed = models.CharField(max_length=50, db_index=True)  # one import per feed at a time
    profile = models.CharField(max_length=50)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    rows = models.PositiveIntegerField()
    # {"person": {"created": n, "updated": n, "unchanged": n}, "case": {...}, ...}
    counts = models.JSONField()

    class Meta:
        ordering = ["-finished_at", "-id"]
        permissions = [("run_import", "Can import files (caseload and other feeds)")]

    def __str__(self) -> str:
        return f"{self.profile} {self.file_name} ({self.finished_at:%Y-%m-%d %H:%M})"
