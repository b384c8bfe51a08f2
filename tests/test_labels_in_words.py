"""Every page speaks in words (issue 9, item 7): no field name, enum value or slug reaches
the text a user reads. Each page of the URLconf is opened by each role over records that
have been through screening, a recorded fact, an override and its withdrawal, so the audit
trail, the case, the screening and the policy pages all have something to show.

Text inside ``<code>`` is exempt on purpose: it is where a page shows an identifier a user
types elsewhere (an audit action for the filter, an operator as written in a policy file).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from conftest import make_user

from ontrack.cases.models import Case
from ontrack.cases.tests.factories import program_with
from ontrack.eligibility import services as eligibility
from ontrack.eligibility.tests.helpers import POLICY
from tests.pages import every_page, sample_records

# A machine token: lower-case words joined by underscores or dots, or a policy's slug.
TOKEN = re.compile(r"\b[a-z][a-z0-9]+(?:[._][a-z0-9]+)+\b")
SLUGS = (POLICY,)


class _Text(HTMLParser):
    """The text a reader sees: no markup, scripts, styles or ``<code>``."""

    HIDDEN = frozenset({"script", "style", "code", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.depth += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in self.HIDDEN

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def machine_words(html: str) -> list[str]:
    text = visible_text(html)
    found = set(TOKEN.findall(text)) | {s for s in SLUGS if s in text}
    return sorted(found)


def test_the_check_finds_machine_words_and_spares_words_and_code() -> None:
    html = (
        "<p>Result: needs_information, see <code>case.screened</code>; back-on-track</p>"
        "<script>var a_b = 1</script><p>e.g. 3.5 hours, PC 1000.8(a), an e-mail</p>"
    )
    assert machine_words(html) == ["back-on-track", "needs_information"]


def _records() -> dict[str, Any]:
    records = sample_records()
    case = Case.objects.get(pk=records["case_id"])
    supervisor = make_user("supervisor", "words-supervisor")
    manager = make_user("case_manager", "words-manager")
    program = program_with(manager, slug="words-program")
    Case.objects.filter(pk=case.pk).update(program=program, case_manager=manager)
    eligibility.record_case_fact(
        actor=manager, case=case, fact="work_authorization", value="not_authorized",
        method="I-9 documents reviewed",
    )  # fmt: skip
    screening = eligibility.screen_case(actor=manager, case=case, policy=POLICY)
    override = eligibility.override_screening(
        actor=supervisor, screening=screening, result="eligible", reason="words: I-9 pending"
    )
    eligibility.withdraw_override(
        actor=supervisor, override=override, expected_version=1, reason="words: documents in"
    )
    eligibility.screen_case(actor=manager, case=case, policy=POLICY)
    return {**records, "manager": manager, "supervisor": supervisor}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["reader", "supervisor", "manager", "auditor", "administrator", "analyst"]
)
def test_no_page_shows_a_machine_name(client: Any, catalog: None, role: str) -> None:
    records = _records()
    others = {"auditor": "auditor", "administrator": "administrator", "analyst": "analyst"}
    user = make_user(others[role], f"words-{role}") if role in others else records[role]
    client.force_login(user)
    shown = {}
    for page in every_page(records):
        response = client.get(page.url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            shown[page.name] = machine_words(response.content.decode())
    assert len(shown) >= 6, shown.keys()  # the walk really opened pages
    assert {name: words for name, words in shown.items() if words} == {}
