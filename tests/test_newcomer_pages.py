"""What a newcomer tripped over on the pages: a person without a name, one date format, and
a "synthetic data" footer that is true."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import timezone

from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.formats.en import formats
from ontrack.people.tests.factories import PersonFactory

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "ontrack" / "templates"
SYNTHETIC = "synthetic demonstration data only"


@pytest.mark.django_db
def test_a_person_without_a_name_is_listed_by_an_identifier_not_a_comma(
    client: Any, case_manager: Any
) -> None:
    nameless = PersonFactory(given_name="", family_name="")
    family_only = PersonFactory(given_name="", family_name="Okafor")
    CaseFactory(case_manager=case_manager, defendant=nameless, docket_number="CRI-1")
    CaseFactory(case_manager=case_manager, defendant=family_only, docket_number="CRI-2")
    client.force_login(case_manager)
    page = client.get("/cases/").content.decode()
    assert f">unnamed person #{nameless.pk}</a>" in page
    assert ">Okafor</a>" in page
    assert not re.search(r">\s*,|,\s*</a>", page)  # no stray comma beside a missing part
    person_page = client.get(f"/people/{nameless.pk}/").content.decode()
    assert f"<h1>unnamed person #{nameless.pk}</h1>" in person_page


def test_dates_render_in_the_one_iso_format_without_a_format_argument() -> None:
    moment = timezone.make_aware(dt.datetime(1991, 3, 7, 14, 5))
    rendered = Template(
        "{{ day }} | {{ moment }} | {{ day|date }} | {{ moment|date:'DATETIME_FORMAT' }}"
    )
    assert rendered.render(Context({"day": dt.date(1991, 3, 7), "moment": moment})) == (
        "1991-03-07 | 1991-03-07 14:05 | 1991-03-07 | 1991-03-07 14:05"
    )


def test_every_template_date_is_the_one_format_or_the_audits_utc_seconds() -> None:
    """A template that spells a format spells the site's (ADR 0043); only times shown in UTC
    with seconds (audit trail, imports, a stated purpose: labelled UTC) differ."""
    allowed = {formats.DATE_FORMAT, formats.DATETIME_FORMAT}
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for match in re.finditer(r'(\|utc)?\|date:"([^"]*)"', path.read_text()):
            found.append(match.group(2))
            if match.group(1):  # UTC, labelled as such on the page
                assert match.group(2) in allowed | {"Y-m-d H:i:s"}, path
            else:
                assert match.group(2) in allowed, (path, match.group(2))
    assert len(found) > 20  # the scan reads the templates it means to


@pytest.mark.django_db
def test_the_synthetic_data_footer_appears_only_once_synthetic_people_are_loaded(
    client: Any, tmp_path: Path
) -> None:
    before = client.get("/accounts/login/").content.decode()
    assert "every change is audited" in before
    assert SYNTHETIC not in before
    call_command("synth", people=3, seed=5, stdout=tmp_path.joinpath("out").open("w"))
    after = client.get("/accounts/login/").content.decode()
    assert f"OnTrack · {SYNTHETIC} · every change is audited" in after


@pytest.mark.django_db
def test_the_catalog_finds_any_code_written_either_way_or_by_words(
    client: Any, case_manager: Any, catalog: None
) -> None:
    client.force_login(case_manager)

    def codes(query: str) -> list[str]:
        page = client.get("/offenses/", {"q": query}).content.decode()
        return re.findall(r"<tr><td>([A-Z]+ [^<]+)</td>", page)

    assert codes("11352(a) HS") == ["HS 11352(a)"]  # the facts files' order, too
    assert codes("hs11352a") == ["HS 11352(a)"]
    assert codes("burglary first") == ["PC 460(a)", "PC 461.1"]
    assert codes("no such offense") == []
    page = client.get("/offenses/", {"q": "no such offense"}).content.decode()
    assert "No code or description matches “no such offense”." in page
