"""Case facts from OnTrack's own records, as frames: one query per table, then Polars.

The same function derives one case (intake) and every case of a caseload (bulk screening):
no per-case Python. Each rule below can leave a fact unknown; none defaults to a pass
(where each fact comes from is declared in ``vocabulary.FACTS``):

- ``offense_date``: count 1's offense date, else the earliest recorded.
- ``charge_codes``: the codes of the charges, in count order. When a charge has only a
  description, ``charge_categories`` is derived for all charges (the catalog for codes, the
  charge classifier for text); one charge that cannot be placed leaves them unknown.
- ``charge_level``: each charge's level, else the catalog's level for its code on its
  offense date when exactly one is possible; felony if any charge is; otherwise known only
  when every charge's level is: misdemeanor if any is, else infraction.
- Priors: a criminal-history check (a prior-count summary) must be on file, and it must
  itemise every prior it counts (its total at most the prior records on file), for the
  count of prior felony convictions and the history flags to be known; itemised
  convictions of unknown level leave the count unknown. A flag is true as soon as an
  itemised conviction proves it. A check reporting zero with nothing itemised is a known
  clean history.
- Enhancements: true if a charge alleges it (its flag, or a code in the fact's catalog
  categories), false only when every charge records "not alleged".
- ``work_authorization``: the latest recorded case fact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import CharField, IntegerField, QuerySet
from django.db.models.functions import Cast

from ontrack.cases.models import Case, Charge, PriorCountSummary, PriorRecord
from ontrack.eligibility.charges import code_facts, current_catalog
from ontrack.eligibility.models import CaseFact
from ontrack.eligibility.vocabulary import FACTS, SCHEMA, VOCABULARY
from ontrack.ingest.validate import ROW
from ontrack.offenses.classify import default_classifier
from ontrack.people.models import Person

_LIST = pl.List(pl.String)


def _rows(queryset: QuerySet[Any], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """One query, read through the connection's own cursor (no model instances), as a frame
    of the given column types.

    On SQLite, dates are selected as text and booleans as integers: the driver would
    otherwise convert every value in Python (a third of the time of a large query), and
    Polars parses the text columnar. Rows become a frame row-wise (half the time of building
    one column at a time from Python objects).
    """
    sqlite = connection.vendor == "sqlite"
    selected: list[Any] = []
    as_read: dict[str, pl.DataType] = {}
    for name, dtype in schema.items():
        if sqlite and dtype == pl.Date:
            selected.append(Cast(name, output_field=CharField()))
            as_read[name] = pl.String()
        elif sqlite and dtype == pl.Boolean:
            selected.append(Cast(name, output_field=IntegerField()))
            as_read[name] = pl.Int64()
        else:
            selected.append(name)
            as_read[name] = dtype
    sql, params = queryset.order_by().values_list(*selected).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=as_read, orient="row")
    return frame.with_columns(
        pl.col(n).str.to_date("%Y-%m-%d") if as_read[n] != t and t == pl.Date
        else pl.col(n).cast(t)
        for n, t in schema.items()
    )  # fmt: skip


def _code_table(codes: pl.Series) -> pl.DataFrame:
    """Per distinct stored code: known, categories that certainly / may apply (the same
    reading the engine gives a facts file's codes: ``charges.code_facts``)."""
    rows = []
    for code in codes.drop_nulls().unique().to_list():
        found = code_facts(code)
        rows.append(
            (
                code,
                found is not None and found.known,
                sorted(found.definite) if found else [],
                sorted(found.possible) if found else [],
            )
        )
    return pl.DataFrame(
        rows,
        schema={"code": pl.String, "known": pl.Boolean, "definite": _LIST, "possible": _LIST},
        orient="row",
    )


def _with_levels(frame: pl.DataFrame, code: str, on: str) -> pl.DataFrame:
    """``level``: as recorded, else the catalog's for the code on the date when exactly one
    level is possible then (``lookup_frame``: each distinct pair looked up once)."""
    wanted = frame.filter(pl.col("level").is_null() & pl.col(code).is_not_null())
    pairs = wanted.select(pl.col(code).alias("code"), pl.col(on).alias("on")).unique()
    if pairs.is_empty():
        return frame
    found = current_catalog().lookup_frame(pairs).get_column("level")
    table = pairs.select(
        pl.col("code").alias(code), pl.col("on").alias(on), found.alias("_catalog_level")
    )
    joined = frame.join(table, on=[code, on], how="left", nulls_equal=True, maintain_order="left")
    return joined.with_columns(pl.coalesce("level", "_catalog_level").alias("level")).drop(
        "_catalog_level"
    )


def _flag(definite: pl.Expr, possible: pl.Expr, wanted: tuple[str, ...]) -> tuple[pl.Expr, ...]:
    hit = definite.list.eval(pl.element().is_in(list(wanted))).list.any()
    maybe = possible.list.eval(pl.element().is_in(list(wanted))).list.any()
    return hit, maybe


def _any_true(values: pl.Expr) -> pl.Expr:
    """Per group: true if any is true; false only if every one is false; else null."""
    return (
        pl.when(values.any()).then(True)
        .when((values == False).all() & (values.count() == values.len())).then(False)  # noqa: E712
        .otherwise(None)
    )  # fmt: skip


def _charge_facts(cases: QuerySet[Case]) -> pl.DataFrame:
    charges = _rows(
        Charge.objects.filter(case__in=cases),
        {
            "case_id": pl.Int64(), "count_number": pl.Int64(), "statute_code": pl.String(),
            "description": pl.String(), "level": pl.String(), "offense_date": pl.Date(),
            "weapon_alleged": pl.Boolean(), "gang_alleged": pl.Boolean(),
            "near_school_alleged": pl.Boolean(),
        },
    ).with_columns(
        pl.col(c).replace("", None) for c in ("statute_code", "description", "level")
    )  # fmt: skip
    charges = _with_levels(charges, "statute_code", "offense_date")
    table = _code_table(charges.get_column("statute_code"))
    charges = charges.join(
        table, left_on="statute_code", right_on="code", how="left", maintain_order="left"
    )
    charges = charges.join(_described(charges), on="description", how="left", maintain_order="left")
    per_charge = [
        # Categories of one charge, when they are certain: the catalog's for a code (unless
        # it is unknown or a category only may apply), the classifier's for a description.
        pl.when(pl.col("statute_code").is_not_null())
        .then(
            pl.when(pl.col("known") & (pl.col("possible").list.len() == 0)).then(pl.col("definite"))
        )
        .otherwise(pl.col("_described"))
        .alias("_cats")
    ]
    for name in ("weapon_involved", "gang_enhancement", "near_school"):
        hit, maybe = _flag(
            pl.col("definite").fill_null([]),
            pl.col("possible").fill_null([]),
            VOCABULARY[name].categories,
        )
        flag = pl.col(_FLAGS[name])
        per_charge.append(
            pl.when(flag | hit).then(True)
            .when((flag == False) & ~maybe).then(False)  # noqa: E712
            .otherwise(None).alias(name)
        )  # fmt: skip
    charges = charges.with_columns(per_charge).sort("case_id", "count_number")
    level = pl.col("level")
    case_level = (
        pl.when((level == "felony").any()).then(pl.lit("felony"))
        .when(level.null_count() > 0).then(None)
        .when((level == "misdemeanor").any()).then(pl.lit("misdemeanor"))
        .otherwise(pl.lit("infraction"))
    )  # fmt: skip
    cats = pl.col("_cats").list.explode(keep_nulls=False, empty_as_null=False)
    # Derived only when some charge has no code (codes alone go to the engine), and only
    # when every charge's categories are certain.
    categories = pl.when(pl.col("statute_code").null_count() > 0).then(
        pl.when(pl.col("_cats").null_count() == 0).then(
            cats.unique().sort().str.join(";").replace("", None)
        )
    )
    first = pl.col("offense_date").filter(pl.col("count_number") == 1).first()
    return charges.group_by("case_id").agg(
        pl.coalesce(first, pl.col("offense_date").min()).alias("offense_date"),
        pl.col("statute_code").drop_nulls().str.join(";").replace("", None).alias("charge_codes"),
        case_level.alias("charge_level"),
        categories.alias("charge_categories"),
        *[_any_true(pl.col(n)).alias(n) for n in _FLAGS],
    )


_FLAGS = {
    "weapon_involved": "weapon_alleged",
    "gang_enhancement": "gang_alleged",
    "near_school": "near_school_alleged",
}


def _described(charges: pl.DataFrame) -> pl.DataFrame:
    """``description, _described``: the classifier's categories per distinct description of
    an uncoded charge (null when it cannot place it)."""
    texts = charges.filter(pl.col("statute_code").is_null()).get_column("description")
    rows = []
    for text in texts.drop_nulls().unique().to_list():
        result = default_classifier().classify(description=text)
        rows.append((text, None if result.unclassified else sorted(result.categories)))
    return pl.DataFrame(rows, schema={"description": pl.String, "_described": _LIST}, orient="row")


def _prior_facts(people: QuerySet[Person]) -> pl.DataFrame:
    records = _rows(
        PriorRecord.objects.filter(person__in=people),
        {
            "person_id": pl.Int64(),
            "record_type": pl.String(),
            "level": pl.String(),
            "statute_code": pl.String(),
            "category": pl.String(),
            "event_date": pl.Date(),
        },
    ).with_columns(pl.col(c).replace("", None) for c in ("level", "statute_code", "category"))
    checks = _rows(
        PriorCountSummary.objects.filter(person__in=people),
        {"person_id": pl.Int64(), "total": pl.Int64()},
    )
    convictions = records.filter(pl.col("record_type") == "conviction")
    convictions = _with_levels(convictions, "statute_code", "event_date")
    table = _code_table(convictions.get_column("statute_code"))
    convictions = convictions.join(
        table, left_on="statute_code", right_on="code", how="left", maintain_order="left"
    ).with_columns(
        # A category the source reported is certain; without a code it is what is known.
        pl.concat_list(
            pl.col("definite").fill_null([]), pl.concat_list(pl.col("category")).list.drop_nulls()
        )
        .list.drop_nulls()
        .alias("definite"),
        pl.col("possible").fill_null([]),
        (pl.col("known").fill_null(False) | pl.col("category").is_not_null()).alias("known"),
    )
    flags = []
    for name, wanted in _HISTORY.items():
        hit, maybe = _flag(pl.col("definite"), pl.col("possible"), wanted)
        flags.append(pl.when(hit).then(True).when(pl.col("known") & ~maybe).then(False).alias(name))
    convictions = convictions.with_columns(flags)
    per_person = convictions.group_by("person_id").agg(
        (pl.col("level") == "felony").sum().alias("_felonies"),
        pl.col("level").null_count().alias("_unknown_level"),
        *[pl.col(n).any().alias(f"_{n}_any") for n in _HISTORY],
        *[(pl.col(n) == False).all().alias(f"_{n}_none") for n in _HISTORY],  # noqa: E712
        *[(pl.col(n).null_count() == 0).alias(f"_{n}_known") for n in _HISTORY],
    )
    itemised = records.group_by("person_id").len("_itemised")
    history = checks.group_by("person_id").agg(
        pl.col("total").max().alias("_total"),
        (pl.col("total").null_count() > 0).alias("_total_unknown"),
        pl.len().alias("_checks"),
        pl.col("total").first().alias("_first_total"),
    )
    frame = (
        history.join(itemised, on="person_id", how="full", coalesce=True)
        .join(per_person, on="person_id", how="full", coalesce=True)
        .with_columns(pl.col("_itemised", "_felonies", "_unknown_level").fill_null(0))
    )
    # Complete: a check is on file and it itemises every prior it counts.
    complete = (
        pl.col("_checks").is_not_null()
        & ~pl.col("_total_unknown").fill_null(True)
        & (pl.col("_total") <= pl.col("_itemised"))
    )
    out = [
        pl.when(complete & (pl.col("_unknown_level") == 0))
        .then(pl.col("_felonies"))
        .alias("prior_felony_convictions"),
        pl.when(pl.col("_checks") == 1).then(pl.col("_first_total")).alias("prior_count"),
    ]
    for name in _HISTORY:
        # No itemised conviction: nothing can be unknown about them (none there).
        none = pl.col(f"_{name}_none").fill_null(True) & pl.col(f"_{name}_known").fill_null(True)
        out.append(
            pl.when(pl.col(f"_{name}_any").fill_null(False)).then(True)
            .when(complete & none).then(False)
            .alias(name)
        )  # fmt: skip
    return frame.select("person_id", *out)


# History flags and the categories of a prior conviction that set them.
_HISTORY = {
    "prior_violent_or_serious": ("violent", "serious"),
    "prior_sex_registrable": ("sex_registrable",),
}


def _recorded(cases: QuerySet[Case]) -> pl.DataFrame:
    """The latest recorded value of each recorded fact, per case, one column per fact."""
    recordable = [f.name for f in FACTS if f.recordable]
    found = _rows(
        CaseFact.objects.filter(case__in=cases, fact__in=recordable),
        {"case_id": pl.Int64(), "fact": pl.String(), "value": pl.String(), "id": pl.Int64()},
    )
    latest = found.sort("id").group_by("case_id", "fact").agg(pl.col("value").last())
    wide = latest.pivot(on="fact", index="case_id", values="value") if latest.height else None
    out = pl.DataFrame({"case_id": []}, schema={"case_id": pl.Int64})
    if wide is not None:
        out = wide
    return out.with_columns(
        pl.lit(None, pl.String).alias(n) for n in recordable if n not in out.columns
    )


def facts_of_cases(cases: QuerySet[Case], referral_date: dt.date) -> pl.DataFrame:
    """The typed facts frame of every case in ``cases`` (ordered by case id), as
    ``facts.parse_facts`` returns one: ``ROW`` then every fact of the vocabulary."""
    people_ids = cases.values("defendant_id")
    base = _rows(cases, {"id": pl.Int64(), "defendant_id": pl.Int64()}).sort("id")
    people = _rows(
        Person.objects.filter(pk__in=people_ids),
        {
            "id": pl.Int64(), "date_of_birth": pl.Date(), "birth_date_earliest": pl.Date(),
            "birth_date_latest": pl.Date(),
        },
    )  # fmt: skip
    frame = (
        base.join(people, left_on="defendant_id", right_on="id", how="left", maintain_order="left")
        .join(
            _charge_facts(cases),
            left_on="id",
            right_on="case_id",
            how="left",
            maintain_order="left",
        )
        .join(
            _prior_facts(Person.objects.filter(pk__in=people_ids)),
            left_on="defendant_id",
            right_on="person_id",
            how="left",
            maintain_order="left",
        )
        .join(_recorded(cases), left_on="id", right_on="case_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("id").cast(pl.String).alias("case_id"),
            pl.lit(referral_date, pl.Date).alias("referral_date"),
        )
    )
    return frame.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.UInt32).alias(ROW),
        *[pl.col(n).cast(t) for n, t in SCHEMA.items()],
    )
