"""The synthetic caseload in OnTrack's own import format (profile ``ontrack``), as one CSV.

One row per current charge and one per prior record, person columns repeated; this is
what ``ontrack import caseload FILE --profile ontrack`` reads back.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ontrack.common.text import neutralise_formulas
from ontrack.synth.shared import HISTORY_SOURCE, history_totals


def _identifiers(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    ids = frames["identifiers"]
    wide = ids.filter(pl.col("id_type") != "local_id").pivot(
        on="id_type", index="person_key", values="value", aggregate_function="first"
    )
    local = (
        ids.filter(pl.col("id_type") == "local_id")
        .group_by("person_key")
        .agg(
            pl.col("value").first().alias("local_id"),
            pl.col("issuer").first().alias("local_id_issuer"),
        )
    )
    for name in ("state_id", "fbi"):
        if name not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.String).alias(name))
    return (
        frames["people"]
        .select("person_key")
        .join(wide.rename({"fbi": "fbi_number"}), on="person_key", how="left")
        .join(local, on="person_key", how="left")
    )


def caseload_frame(frames: dict[str, pl.DataFrame], seed: int) -> pl.DataFrame:
    people = frames["people"].drop("true_person_key").join(_identifiers(frames), on="person_key")
    people = (
        people.join(history_totals(frames), on="person_key")
        .with_columns(
            pl.lit(f"ontrack-synth-{seed}").alias("person_source"),
            pl.col("person_key").cast(pl.String).alias("person_id"),
            pl.lit(HISTORY_SOURCE).alias("history_source"),
            pl.lit(None, pl.Date).alias("history_as_of"),
            pl.col("total").alias("history_total"),
        )
        .drop("total")
    )
    arrests = frames["arrests"].select(
        "case_key", "arrest_date", pl.col("agency").alias("arrest_agency"), "booking_number"
    )
    cases = frames["cases"].select(
        "case_key", "person_key", "docket_number", "court", "filing_date",
        pl.col("status").alias("case_status"),
    )  # fmt: skip
    charges = (
        frames["charges"]
        .rename({"description": "charge_description", "level": "charge_level"})
        .join(cases, on="case_key")
        .join(arrests, on="case_key", how="left")
        .join(people, on="person_key")
        .with_columns(pl.lit("charge").alias("record_type"))
    )
    priors = (
        frames["priors"]
        .rename(
            {
                "record_type": "prior_record_type",
                "event_date": "prior_event_date",
                "level": "prior_level",
                "statute_code": "prior_statute_code",
                "description": "prior_description",
                "category": "prior_category",
                "jurisdiction": "prior_jurisdiction",
                "source": "prior_source",
            }
        )
        .join(people, on="person_key")
        .with_columns(pl.lit("prior").alias("record_type"))
    )
    combined = pl.concat([charges, priors], how="diagonal_relaxed").sort(
        "person_key", "record_type", "case_key", "count_number", nulls_last=True
    )
    return combined.drop("person_key", "case_key")


def write_caseload_csv(frames: dict[str, pl.DataFrame], seed: int, path: Path) -> int:
    frame = caseload_frame(frames, seed)
    frame = neutralise_formulas(frame)  # exports never carry a live spreadsheet formula
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path)
    return frame.height
