"""Site configuration: data files from the package, then from the site directory.

A county adds its own policy, import profile or catalog overlay by putting a file in
``ONTRACK_SITE_DIR`` (read at call time, so tests set the variable instead of patching
package paths), never by forking. Layout of a site directory::

    $ONTRACK_SITE_DIR/
        policies/<slug>/<label>.yaml      eligibility policy versions (and tests/)
        profiles/<name>.yaml              import profiles
        catalog/*.yaml                    offense catalog overlays (categories)

For a kind of file, ``data_dirs(kind, package_dir)`` lists the package's folder first and
the site's after it; a name found in both is an error for the caller to report (a site
cannot silently replace a shipped policy), see ``find_one``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

SITE_DIR_VARIABLE = "ONTRACK_SITE_DIR"
KINDS = ("policies", "profiles", "catalog")
_ONE = {"policies": "policy", "profiles": "profile", "catalog": "catalog overlay"}


TIME_ZONE_VARIABLE = "ONTRACK_TIME_ZONE"
DEFAULT_TIME_ZONE = "America/Los_Angeles"


def office_time_zone() -> str:
    """The office's time zone (settings.TIME_ZONE is this): the day "today" is in it."""
    return os.environ.get(TIME_ZONE_VARIABLE, DEFAULT_TIME_ZONE)


def office_today() -> dt.date:
    """Today in the office's time zone, without Django (``ontrack screen FACTS`` runs without
    it, ADR 0021); the same day as ``django.utils.timezone.localdate()``."""
    return dt.datetime.now(ZoneInfo(office_time_zone())).date()


class SiteConfigError(ValueError):
    """The site directory is missing or a name is defined twice."""


def site_dir() -> Path | None:
    """The site directory named by ``ONTRACK_SITE_DIR``, or None when unset."""
    raw = os.environ.get(SITE_DIR_VARIABLE, "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser().resolve()
    if not path.is_dir():
        raise SiteConfigError(f"{SITE_DIR_VARIABLE}={raw!r} is not a directory")
    return path


def data_dirs(kind: str, package_dir: Path) -> list[Path]:
    """Folders holding files of ``kind``: the package's, then the site's if it has one."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of site file {kind!r}; expected one of {KINDS}")
    found = [package_dir]
    site = site_dir()
    if site is not None and (site / kind).is_dir():
        found.append(site / kind)
    return found


def find_one(kind: str, package_dir: Path, name: str) -> Path | None:
    """The one file or folder called ``name`` among ``data_dirs``; None when absent.

    Defined both in the package and in the site directory is an error: the shipped
    definition is reviewed, and a site replacing it silently would screen under rules
    nobody reviewed. A site adds a new name instead.
    """
    if "/" in name or "\\" in name or name in {"", ".", ".."}:
        return None
    hits = [d / name for d in data_dirs(kind, package_dir) if (d / name).exists()]
    if len(hits) > 1:
        raise SiteConfigError(
            f"{_ONE[kind]} {name!r} is defined both in the package and in the site directory "
            f"({hits[1]}); give the site's a new name"
        )
    return hits[0] if hits else None
