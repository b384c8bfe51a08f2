"""The one catalog API: levels on a date, categories with their paragraphs, three values.

Every expected value here was worked out by hand from the DOJ table (rows quoted in the
comments) and the statutes (PC 664, PC 182, PC 667.5(c), PC 1192.7(c), PC 290(c)).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ontrack.offenses.codes import StatuteCodeError, parse
from ontrack.offenses.lookup import CategoryFinding, CodeInfo, catalog


def info(code: str, on: dt.date | None = None, degree: str | None = None) -> CodeInfo:
    return catalog().lookup(code, on, degree=degree)


def bases(i: CodeInfo, category: str) -> set[tuple[str, bool]]:
    return {(f.basis, f.certain) for f in i.categories if f.category == category}


# ---------------------------------------------------------------- levels on a date


# DOJ rows for 11350(A) HS: 35152 F enacted 1984-01-01 (not repealed: a felony still for the
# priors Prop 47 names), 35422 M enacted 2014-11-05.
def test_prop_47_possession_levels_by_offense_date() -> None:
    before = info("HS 11350(a)", dt.date(2014, 11, 4))
    assert (before.level, before.levels) == ("felony", frozenset({"felony"}))
    after = info("HS 11350(a)", dt.date(2014, 11, 5))
    assert (after.level, after.levels) == (None, frozenset({"felony", "misdemeanor"}))
    undated = info("HS 11350(a)")
    assert (undated.level, undated.levels) == (None, frozenset({"felony", "misdemeanor"}))
    too_early = info("HS 11350(a)", dt.date(1983, 12, 31))  # no row in force yet
    assert (too_early.known, too_early.level, too_early.levels) == (True, None, frozenset())


# 245(A)(1) PC: F and M rows repealed 2011-12-31 (the repeal day is the last in force), and
# new F and M rows enacted 2012-01-01: a wobbler either side.
def test_repeal_day_is_the_last_day_in_force() -> None:
    assert info("PC 245(a)(1)", dt.date(2011, 12, 31)).levels == {"felony", "misdemeanor"}
    assert info("PC 245(a)(1)", dt.date(2012, 1, 1)).levels == {"felony", "misdemeanor"}
    # 244 PC: one F row, repealed 2020-10-27.
    assert info("PC 244", dt.date(2020, 10, 27)).level == "felony"
    assert info("PC 244", dt.date(2020, 10, 28)).levels == frozenset()


def test_attempt_and_conspiracy_levels() -> None:
    # PC 664(a): an attempted felony is a felony; PC 664(c): an attempted misdemeanor is one.
    assert info("PC 664/187(a)").level == "felony"
    assert info("PC 664/148(a)(1)").level == "misdemeanor"
    # PC 182(a): conspiracy to commit a felony is punished as that felony; to commit a
    # misdemeanor, county jail up to a year or PC 1170(h): felony or misdemeanor.
    assert info("PC 182(a)(1)/211").level == "felony"
    conspiracy = info("PC 182(a)(1)/148(a)(1)")
    assert (conspiracy.level, conspiracy.levels) == (None, frozenset({"felony", "misdemeanor"}))


def test_enhancements_are_known_and_have_no_level() -> None:
    enhancement = info("PC 12022.5")
    assert enhancement.known
    assert enhancement.enhancement
    assert (enhancement.level, enhancement.levels) == (None, frozenset())


# ---------------------------------------------------------------- known and unknown


def test_a_code_no_table_knows_is_unknown_not_an_error() -> None:
    unknown = info("FS 893.13")
    assert unknown == CodeInfo(
        code=parse("FS 893.13"),
        known=False,
        description=None,
        level=None,
        levels=frozenset(),
        categories=(),
    )
    assert not info("NV 453.336").known
    with pytest.raises(StatuteCodeError):
        catalog().lookup("possession of cocaine")


def test_resisting_an_officer_is_known_and_certainly_not_violent_or_serious() -> None:
    for code in ("PC 148", "PC 148(a)(1)", "148(a)(1) PC"):
        resisting = info(code)
        assert resisting.known, code
        assert resisting.categories == (), code  # in none of the categories: a definite no
    assert info("PC 148(a)(1)").level == "misdemeanor"


def test_subdivision_counts_as_its_listed_section() -> None:
    assert parse("HS 11352(a)").in_code_set({"HS 11352"})
    assert parse("PC 664/HS 11352(a)").in_code_set({"HS 11352"})  # the target is what counts
    assert not parse("HS 11352.5").in_code_set({"HS 11352"})
    assert parse("HS 11352(a)").broader() == ["HS 11352"]
    sale = info("HS 11352(a)")
    assert bases(sale, "drug_sale") == {("HS 11352", True)}


def test_words_for_pages() -> None:
    assert info("PC 664/187(a)").words == "attempt — PC 187(a) murder"
    assert info("pc 664-187(a)").words == "attempt — PC 187(a) murder"
    assert info("FS 893.13").words == "FS 893.13"


# ---------------------------------------------------------------- attempts, conspiracies


def test_attempted_murder_is_violent_and_serious_by_paragraph() -> None:
    attempted = info("PC 664/187(a)")
    assert bases(attempted, "violent") == {("PC 667.5(c)(12)", True)}
    assert bases(attempted, "serious") == {("PC 1192.7(c)(9)", True), ("PC 1192.7(c)(39)", True)}


def test_attempted_robbery_is_serious_not_violent() -> None:
    attempted = info("PC 664/211")
    assert bases(attempted, "serious") == {("PC 1192.7(c)(39)", True)}
    assert "violent" not in attempted.definite | attempted.possible
    assert info("PC 211").definite == {"violent", "serious"}  # the target itself is both


def test_conspiracy_to_rob_is_serious_under_c42_and_not_violent() -> None:
    conspiracy = info("PC 182(a)(1)/211")
    assert bases(conspiracy, "serious") == {("PC 1192.7(c)(42)", True)}
    assert "violent" not in conspiracy.definite | conspiracy.possible


def test_attempted_assault_with_a_deadly_weapon_is_not_serious() -> None:
    # PC 1192.7(c)(39): "other than an assault"; PC 245(a)(1) is serious only by (c)(31).
    attempted = info("PC 664/245(a)(1)")
    assert "serious" not in attempted.definite | attempted.possible
    assert bases(attempted, "weapon") == {("PC 245(a)(1)", True)}  # the conduct carries over
    assert bases(info("PC 245(a)(1)"), "serious") == {("PC 1192.7(c)(31)", True)}


def test_conspiracy_to_assault_with_a_deadly_weapon_is_serious() -> None:
    # (c)(42) has no assault exception.
    assert bases(info("PC 182(a)(1)/245(a)(1)"), "serious") == {("PC 1192.7(c)(42)", True)}


def test_conspiracy_to_murder_may_be_violent() -> None:
    conspiracy = info("PC 182(a)(1)/187(a)")
    assert bases(conspiracy, "violent") == {("PC 667.5(c)(7)", False)}
    assert conspiracy.possible == {"violent"}
    assert bases(conspiracy, "serious") == {("PC 1192.7(c)(42)", True)}


def test_attempted_rape_is_registrable_and_serious_not_violent() -> None:
    attempted = info("PC 664/261(a)(2)")
    assert bases(attempted, "sex_registrable") == {("PC 290(c)(1)", True)}
    assert bases(attempted, "serious") == {("PC 1192.7(c)(39)", True)}
    assert "violent" not in attempted.definite | attempted.possible


def test_non_statutory_categories_carry_to_attempts_and_conspiracies_in_any_book() -> None:
    assert info("PC 664/HS 11352").definite == {"drug_sale"}
    assert info("PC 182(a)(1)/HS 11351").definite == {"drug_possession_for_sale"}
    assert info("PC 664/487(a)").definite == {"property"}


# ---------------------------------------------------------------- degree and subdivision


def test_burglary_without_a_degree_may_be_serious() -> None:
    burglary = info("PC 459")
    assert burglary.definite == {"property"}
    assert burglary.possible == {"serious", "violent"}
    assert (
        CategoryFinding(
            "serious", "PC 1192.7(c)(18)", False, "only burglary of the first degree (PC 460(a))"
        )
        in burglary.categories
    )


def test_first_degree_burglary_is_certainly_serious() -> None:
    for written in (info("PC 459/460(a)"), info("PC 459", degree="1"), info("PC 460(a)")):
        assert bases(written, "serious") == {("PC 1192.7(c)(18)", True)}
        # Violent only with a non-accomplice present (PC 667.5(c)(21)): still possible.
        assert written.possible == {"violent"}
    # Levels from the degree's section rows: 460(A) PC is one F row (22124).
    assert info("PC 459/460(a)").level == "felony"
    assert info("PC 459/460(a)").words == "PC 459/460(a) Burglary (degree set by PC 460)"
    second = info("PC 459/460(b)")
    assert second.levels == {"felony", "misdemeanor"}  # 22125 F, 22131 M
    assert second.definite == {"property"}
    assert second.possible == frozenset()
    assert info("PC 459", degree="2").possible == frozenset()


def test_bare_section_takes_its_subdivisions_categories_as_possible() -> None:
    assault = info("PC 245")
    assert assault.known
    assert "serious" in assault.possible
    assert "serious" not in assault.definite
    assert info("PC 245(a)(4)").categories == ()  # force likely to produce GBI: not (c)(31)


# ---------------------------------------------------------------- weapons and conduct

# Every code the former catalog put in the weapon category (62), each still a weapon code.
WEAPON_CODES = [
    "HS 11370.1", "HS 11550(e)", "PC 244.5", "PC 245(a)(1)", "PC 245(a)(2)", "PC 245(a)(3)",
    "PC 245(b)", "PC 245(d)", "PC 246", "PC 246.3", "PC 247", "PC 4501(a)", "PC 18710",
    "PC 18715", "PC 18720", "PC 18740", "PC 18745", "PC 18750", "PC 18755", "PC 11418",
    "PC 11418(b)", "PC 11418(c)", "PC 12022", "PC 12022(a)(1)", "PC 12022(a)(2)",
    "PC 12022(b)(1)", "PC 12022(b)(2)", "PC 12022(c)", "PC 12022(d)", "PC 12022.3(a)",
    "PC 12022.3(b)", "PC 12022.5", "PC 12022.53", "PC 12022.55", "PC 417", "PC 417(c)",
    "PC 626.9", "PC 626.10", "PC 21310", "PC 21810", "PC 22210", "PC 25400",
    "PC 25400(c)(3)", "PC 25850", "PC 25850(c)(3)", "PC 26100", "PC 26100(c)",
    "PC 26100(d)", "PC 29800", "PC 29805", "PC 29815", "PC 30305", "PC 30600", "PC 30605",
    "PC 32625", "PC 33215", "PC 12020", "PC 12021", "PC 12025", "PC 12031", "PC 186.28",
    "PC 487(d)(2)",
]  # fmt: skip


def test_all_62_weapon_codes() -> None:
    assert len(set(WEAPON_CODES)) == 62
    missing = [c for c in WEAPON_CODES if "weapon" not in info(c).definite]
    assert missing == []


@pytest.mark.parametrize(
    ("code", "violent", "serious"),
    [
        ("PC 12022.7", {("PC 667.5(c)(8)", True)}, {("PC 1192.7(c)(8)", True)}),
        ("PC 12022.5", {("PC 667.5(c)(8)", True)}, {("PC 1192.7(c)(8)", True)}),
        ("PC 12022.53", {("PC 667.5(c)(22)", True)}, {("PC 1192.7(c)(40)", True)}),
        ("PC 12022(b)(1)", set(), {("PC 1192.7(c)(23)", True)}),
        ("PC 12022(a)(1)", set(), set()),  # armed, not personal use: neither list
        ("PC 12022.3(a)", {("PC 667.5(c)(8)", False)}, {("PC 1192.7(c)(23)", True)}),
    ],
)
def test_conduct_enhancements_by_paragraph(
    code: str, violent: set[tuple[str, bool]], serious: set[tuple[str, bool]]
) -> None:
    found = info(code)
    assert found.enhancement
    assert (bases(found, "violent"), bases(found, "serious")) == (violent, serious)


def test_gang_and_school_zone() -> None:
    # The section's entry applies to the subdivision too (a subdivision is its section).
    assert bases(info("PC 186.22(b)(1)"), "gang") == {("PC 186.22", True), ("PC 186.22(b)", True)}
    assert info("HS 11353.6").definite == {"near_school"}


# ---------------------------------------------------------------- the columnar form


def test_lookup_frame_row_for_row() -> None:
    frame = pl.DataFrame(
        {
            "code": ["HS 11350(a)", "HS 11350(a)", "FS 893.13", None, "PC 459", "pc 664/187(a)"],
            "on": [
                dt.date(2014, 11, 4),
                dt.date(2014, 11, 5),
                dt.date(2020, 1, 1),
                None,
                None,
                dt.date(2020, 1, 1),
            ],
        }
    )
    out = catalog().lookup_frame(frame)
    assert out["code"].to_list() == frame["code"].to_list()
    assert out["known"].to_list() == [True, True, False, None, True, True]
    assert out["level"].to_list() == ["felony", None, None, None, None, "felony"]
    assert out["levels"].to_list() == [
        ["felony"],
        ["felony", "misdemeanor"],
        None,
        None,
        ["felony", "misdemeanor"],
        ["felony"],
    ]
    assert out["categories"].to_list() == [
        ["drug_possession"],
        ["drug_possession"],
        None,
        None,
        ["property"],
        ["serious", "violent"],
    ]
    assert out["possible_categories"].to_list() == [[], [], None, None, ["serious", "violent"], []]
    assert out["normalised"].to_list()[-1] == "PC 664/187(a)"
    assert out["modifier"].to_list()[-1] == "attempt"
    assert out["target_codes"].to_list()[0] == ["HS 11350(a)", "HS 11350"]
    qualifying = out["target_codes"].list.eval(pl.element().is_in(["HS 11350"])).list.any()
    assert qualifying.to_list() == [True, True, False, None, False, False]


def test_lookup_frame_with_degrees_and_a_bad_code() -> None:
    frame = pl.DataFrame({"code": ["PC 459", "PC 459", "PC 459"], "degree": ["1", "2", None]})
    out = catalog().lookup_frame(frame)
    assert out["categories"].to_list() == [["property", "serious"], ["property"], ["property"]]
    assert out["possible_categories"].to_list() == [["violent"], [], ["serious", "violent"]]
    with pytest.raises(StatuteCodeError, match=r"row 2: code 'not a code'"):
        catalog().lookup_frame(pl.DataFrame({"code": ["PC 211", "not a code"]}))


def test_version_is_stable() -> None:
    from ontrack.offenses import catalog_data

    assert catalog().version == catalog_data.load().version
    assert len(catalog().version) == 16
