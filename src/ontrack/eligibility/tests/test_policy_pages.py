"""The policy pages: each policy's versions, criteria and value sets, and the diff between
two versions; who may read them."""

from __future__ import annotations

import re
from typing import Any

from ontrack.eligibility.tests.helpers import POLICY, body_of


def test_policy_list_shows_versions(client: Any, analyst: Any) -> None:
    client.force_login(analyst)  # the catalog permission is enough: policies hold no names
    body = body_of(client.get("/eligibility/policies/"))
    assert '<a href="/eligibility/policies/">Eligibility policies</a>' in body  # the nav link
    assert '<a href="/eligibility/policies/back-on-track/">Back on Track</a>' in body
    assert (
        '<tr><th scope="row">2005-01</th><td>Back on Track — original criteria</td>'
        "<td>2005-01-01</td><td>2009-07-01</td><td>approved</td><td>9</td></tr>"
    ) in body
    assert (
        '<tr><th scope="row">2009-07</th><td>Back on Track — with legal work eligibility'
        " (2009)</td><td>2009-07-01</td><td>open-ended</td><td>approved</td><td>10</td></tr>"
    ) in body


def test_policy_page_shows_criteria_in_order_and_value_sets(client: Any, analyst: Any) -> None:
    client.force_login(analyst)
    body = body_of(client.get("/eligibility/policies/back-on-track/"))
    assert "<h1>Policy: Back on Track</h1>" in body
    section = body.split('<h2 id="version-2009-07-h">')[1]
    ids = re.findall(r'<tr><td>\d+</td><th scope="row"><code>(\w+)</code>', section)
    assert ids == [
        "age_at_offense", "qualifying_charge", "no_violent_or_serious_current_charge",
        "first_felony", "no_violent_or_serious_history", "no_sex_registrable_history",
        "no_weapon", "no_gang_enhancement", "not_near_school", "legal_work_eligibility",
    ]  # fmt: skip
    assert (
        '<tr><td>1</td><th scope="row"><code>age_at_offense</code></th>'
        "<td>Aged 18 to 30 at the offense</td>"
        "<td>Back on Track program criteria (2005), young adults 18\u201330</td>"
        "<td>age at the offense is 18 to 30 (completed years)<br>"
        "<small><code>age_between(min=18, max=30)</code></small></td></tr>"
    ) in section
    assert (
        "<td>a felony charge whose statute code (or the section it subdivides) is in the list "
        "“qualifying codes”<br>"
        "<small><code>charge_in_set(level=felony, set=qualifying_codes)</code></small></td>"
    ) in section
    assert (
        "<td>no current charge is in the categories: Violent felony (PC 667.5(c)); Serious"
        " felony (PC 1192.7(c))<br>"
        "<small><code>none_of_categories(categories=[violent, serious])</code></small></td>"
    ) in section
    assert (
        '<tr><th scope="row">qualifying codes</th><td>HS 11351, HS 11351.5, HS 11352,'
        " HS 11359, HS 11360, HS 11378, HS 11379</td></tr>"
    ) in section


def test_policy_diff_defaults_to_the_two_latest_versions(client: Any, analyst: Any) -> None:
    client.force_login(analyst)
    default = body_of(client.get("/eligibility/policies/back-on-track/"))
    chosen = body_of(
        client.get("/eligibility/policies/back-on-track/", {"from": "2005-01", "to": "2009-07"})
    )
    for body in (default, chosen):
        assert '<h2 id="diff-h">Changes from 2005-01 to 2009-07</h2>' in body
        assert '<option value="2005-01" selected>2005-01</option>' in body
        assert '<h3 id="added-h">Criteria added (1)</h3>' in body
        assert (
            '<tr><th scope="row"><code>legal_work_eligibility</code></th>'
            "<td>Legally able to hold a job in the United States</td>"
        ) in body
        assert (
            "<td>Legal authorization to work in the United States: verified<br><small><code>"
            "equals(fact=work_authorization, value=verified)</code></small></td></tr>"
        ) in body
        assert '<h3 id="removed-h">Criteria removed (0)</h3> <p>None.</p>' in body
        assert '<h3 id="changed-h">Criteria changed (0)</h3> <p>None.</p>' in body
        assert '<h3 id="sets-h">Value-set changes (0)</h3> <p>None.</p>' in body


def test_policy_diff_the_other_way_shows_a_removal(client: Any, analyst: Any) -> None:
    client.force_login(analyst)
    body = body_of(
        client.get("/eligibility/policies/back-on-track/", {"from": "2009-07", "to": "2005-01"})
    )
    assert '<h3 id="added-h">Criteria added (0)</h3> <p>None.</p>' in body
    assert '<h3 id="removed-h">Criteria removed (1)</h3>' in body
    assert '<th scope="row"><code>legal_work_eligibility</code></th>' in body


def test_policy_diff_of_changed_criteria_and_value_sets() -> None:
    from ontrack.eligibility.describe import diff_versions
    from ontrack.eligibility.policy import load_policy

    older, newer = load_policy(POLICY)[:2]
    edited = newer.__class__(
        **{
            **newer.__dict__,
            "value_sets": {"qualifying_codes": ("HS 11351", "HS 11352", "HS 11377")},
            "criteria": (
                newer.criteria[0].__class__(
                    "age_at_offense", "Aged 18 to 25", "PC 1000.8", "age_between",
                    {"min": 18, "max": 25},
                ),
                *newer.criteria[1:],
            ),
        }
    )  # fmt: skip
    diff = diff_versions(older, edited)
    assert [c.id for c in diff.added] == ["legal_work_eligibility"]
    assert [(c.id, [(x.field, x.before, x.after) for x in c.changes]) for c in diff.changed] == [
        (
            "age_at_offense",
            [
                ("label", "Aged 18 to 30 at the offense", "Aged 18 to 25"),
                ("citation", "Back on Track program criteria (2005), young adults 18\u201330",
                 "PC 1000.8"),
                ("arguments", "age_between(min=18, max=30)", "age_between(min=18, max=25)"),
            ],
        )
    ]  # fmt: skip
    assert [(v.name, v.kind, v.added, v.removed) for v in diff.value_sets] == [
        (
            "qualifying_codes",
            "changed",
            ["HS 11377"],
            ["HS 11351.5", "HS 11359", "HS 11360", "HS 11378", "HS 11379"],
        )
    ]


def test_policy_pages_refuse_unknown_names(client: Any, analyst: Any, db: None) -> None:
    client.force_login(analyst)
    assert client.get("/eligibility/policies/no-such-policy/").status_code == 404
    response = client.get("/eligibility/policies/back-on-track/", {"from": "1999-01"})
    assert response.status_code == 400
    assert (
        '<p role="alert"><strong>no version 1999-01 of back-on-track; available: 2005-01,'
        " 2009-07</strong></p>"
    ) in body_of(response)


def test_policy_pages_need_the_catalog_permission(client: Any, db: None) -> None:
    from ontrack.accounts.models import User

    User.objects.create_user(username="norole", password="x" * 16)
    client.login(username="norole", password="x" * 16)
    assert client.get("/eligibility/policies/").status_code == 403
    assert client.get("/eligibility/policies/back-on-track/").status_code == 403


def test_policy_pages_mark_example_policies(client: Any, analyst: Any) -> None:
    """broward-example is an example (its policy.yaml): both pages say it is not for
    decisions; back-on-track is not one and carries no such mark."""
    client.force_login(analyst)
    listing = body_of(client.get("/eligibility/policies/"))
    example = listing.split('<h2 id="policy-broward-example-h">')[1].split("</section>")[0]
    assert (
        '<tr><th scope="row">2013-01</th><td>Example — Back on Track&#x27;s criteria restated on '
        "offense categories</td><td>2000-01-01</td><td>open-ended</td><td>approved<br>"
        "<mark>example — not for decisions</mark></td><td>7</td></tr>"
    ) in example
    shipped = listing.split('<h2 id="policy-back-on-track-h">')[1].split("</section>")[0]
    assert "example — not for decisions" not in shipped
    detail = body_of(client.get("/eligibility/policies/broward-example/"))
    assert (
        "<p><mark>Example — not for decisions:</mark> listed and testable, never used to "
        "screen a real case.</p>"
    ) in detail
    assert "not for decisions" not in body_of(client.get("/eligibility/policies/back-on-track/"))
