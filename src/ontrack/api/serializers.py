"""What the API reads and writes, field by field. Names are the models' (issue 9 item 6).

Input serializers check shape and type only (a wrong shape is a 400); every rule about the
values is the services' (a refusal there is a 422), so no rule is written twice. Output
serializers read what the selectors returned; ``version`` is the record's ``row_version``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ontrack.cases.models import Case, CaseStatus, Charge, Disposition, Restriction
from ontrack.common.models import Level
from ontrack.eligibility.decision import Decision
from ontrack.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION
from ontrack.eligibility.models import CaseFact, Screening, ScreeningOverride
from ontrack.eligibility.services import RECORDABLE_FACTS
from ontrack.people.models import IdentifierType, Person, PersonAlias, PersonIdentifier, Race, Sex
from ontrack.people.services import ALIAS_KINDS

RESULTS = (ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION)
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@extend_schema_field({"type": "string", "format": "date", "pattern": ISO_DATE})
class IsoDate(serializers.DateField):
    """A date in the project's one format, ISO 8601 (ADR 0043); the pattern is in the schema
    so that a client (and schemathesis) knows an empty string is not a date."""


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    # DRF refuses NUL characters in every CharField (PostgreSQL cannot store them).
    return serializers.CharField(
        max_length=max_length, allow_blank=True, trim_whitespace=False, **kwargs
    )


def _blank_or(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=[*choices, ("", "not known")], **kwargs)


# --- people ---------------------------------------------------------------------------------


class IdentifierSerializer(serializers.Serializer[PersonIdentifier]):
    id_type = serializers.ChoiceField(choices=IdentifierType.choices)
    issuer = serializers.CharField(max_length=50)
    value = serializers.CharField(max_length=50)


class AliasSerializer(serializers.Serializer[PersonAlias]):
    given_name = _text(100, required=False, default="")
    family_name = serializers.CharField(max_length=100)
    kind = serializers.CharField(read_only=True)


class AliasInput(AliasSerializer):
    """An alias in a PATCH: its kind too (``people.services.ALIAS_KINDS``; default AKA)."""

    kind = serializers.ChoiceField(  # type: ignore[assignment]  # writable here
        choices=list(ALIAS_KINDS.items()), required=False, default="aka"
    )


class PersonFields(serializers.Serializer[Person]):
    """The person's own facts, as ``people.services.EDITABLE_FIELDS`` names them."""

    middle_name = _text(100, required=False)
    suffix = _text(20, required=False)
    date_of_birth = IsoDate(required=False, allow_null=True)
    sex = _blank_or(Sex.choices, required=False)
    race = _blank_or(Race.choices, required=False)
    phone = _text(30, required=False)
    email = _text(254, required=False)
    street_address = _text(200, required=False)
    city = _text(100, required=False)
    state = _text(2, required=False)
    postal_code = _text(10, required=False)


class PersonSerializer(serializers.ModelSerializer[Person]):
    version = serializers.IntegerField(source="row_version", read_only=True)
    identifiers = serializers.SerializerMethodField()
    aliases = AliasSerializer(many=True, read_only=True)
    email = serializers.CharField(read_only=True, help_text="an address, or blank: not known")
    sex = _blank_or(Sex.choices, read_only=True)
    race = _blank_or(Race.choices, read_only=True)

    class Meta:
        model = Person
        fields = (
            "id", "version", "given_name", "middle_name", "family_name", "suffix",
            "date_of_birth", "birth_date_earliest", "birth_date_latest", "sex", "race",
            "phone", "email", "street_address", "city", "state", "postal_code",
            "identifiers", "aliases", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(IdentifierSerializer(many=True))
    def get_identifiers(self, person: Person) -> Any:
        # In the order they were recorded; sorted here, from the prefetched rows (no query).
        rows = sorted(person.identifiers.all(), key=lambda i: i.pk)
        return IdentifierSerializer(rows, many=True).data  # type: ignore[arg-type]  # many=True takes a list


class PersonCreateSerializer(PersonFields):
    given_name = _text(100)
    family_name = _text(100)
    identifiers = IdentifierSerializer(many=True, required=False, default=list)
    aliases = AliasSerializer(many=True, required=False, default=list)


class PersonUpdateSerializer(PersonFields):
    version = serializers.IntegerField(min_value=1)
    given_name = _text(100, required=False)
    family_name = _text(100, required=False)
    identifiers = IdentifierSerializer(
        many=True,
        required=False,
        help_text="The person's identifiers after the change: new ones are added, the ones "
        "left out are removed.",
    )
    aliases = AliasInput(
        many=True,
        required=False,
        help_text="The person's aliases after the change: new ones are added, the ones left "
        "out are removed.",
    )


# --- cases ----------------------------------------------------------------------------------


class ChargeSerializer(serializers.ModelSerializer[Charge]):
    level = _blank_or(Level.choices, read_only=True)
    disposition = _blank_or(Disposition.choices, read_only=True)

    class Meta:
        model = Charge
        fields = (
            "id", "count_number", "statute_code", "description", "level", "offense_date",
            "weapon_alleged", "gang_alleged", "near_school_alleged", "disposition",
        )  # fmt: skip
        read_only_fields = fields


class ChargeInput(serializers.Serializer[Charge]):
    statute_code = _text(40, required=False, default="")
    level = serializers.ChoiceField(choices=Level.choices)
    description = _text(300, required=False, default="")
    offense_date = IsoDate(required=False, allow_null=True, default=None)
    weapon_alleged = serializers.BooleanField(required=False, allow_null=True, default=None)
    gang_alleged = serializers.BooleanField(required=False, allow_null=True, default=None)
    near_school_alleged = serializers.BooleanField(required=False, allow_null=True, default=None)
    disposition = serializers.ChoiceField(
        choices=Disposition.choices, required=False, default=Disposition.PENDING
    )


class ChargeChange(serializers.Serializer[Charge]):
    """A PATCH of one charge: the case's ``version`` and the fields that change."""

    version = serializers.IntegerField(min_value=1, help_text="the case's version")
    statute_code = _text(40, required=False)
    level = _blank_or(Level.choices, required=False)
    description = _text(300, required=False)
    offense_date = IsoDate(required=False, allow_null=True)
    weapon_alleged = serializers.BooleanField(required=False, allow_null=True)
    gang_alleged = serializers.BooleanField(required=False, allow_null=True)
    near_school_alleged = serializers.BooleanField(required=False, allow_null=True)
    disposition = serializers.ChoiceField(choices=Disposition.choices, required=False)


class NewChargeInput(ChargeInput):
    version = serializers.IntegerField(min_value=1, help_text="the case's version")


class VersionInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, help_text="the case's version")


class ArrestInput(serializers.Serializer[Any]):
    arrest_date = IsoDate()
    agency = serializers.CharField(max_length=100)
    booking_number = serializers.CharField(max_length=40)


class CaseSerializer(serializers.ModelSerializer[Case]):
    version = serializers.IntegerField(source="row_version", read_only=True)
    program: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    case_manager: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    charges = ChargeSerializer(many=True, read_only=True)
    status = _blank_or(CaseStatus.choices, read_only=True)
    restriction = serializers.ChoiceField(choices=Restriction.choices, read_only=True)

    class Meta:
        model = Case
        fields = (
            "id", "version", "defendant", "docket_number", "external_case_number", "court",
            "filing_date", "status", "program", "case_manager", "restriction", "charges",
            "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer[Case]):
    defendant = serializers.IntegerField(min_value=1, help_text="the person's id")
    docket_number = serializers.CharField(max_length=40, allow_blank=True)
    court = serializers.CharField(max_length=100, allow_blank=True)
    filing_date = IsoDate(allow_null=True, required=False, default=None)
    status = serializers.ChoiceField(
        choices=CaseStatus.choices, required=False, default=CaseStatus.OPEN
    )
    charges = ChargeInput(many=True, required=False, default=list)
    arrest = ArrestInput(required=False, allow_null=True, default=None)


class CaseUpdateSerializer(serializers.Serializer[Case]):
    version = serializers.IntegerField(min_value=1)
    docket_number = serializers.CharField(max_length=40, allow_blank=True, required=False)
    external_case_number = _text(40, required=False)
    court = serializers.CharField(max_length=100, allow_blank=True, required=False)
    filing_date = IsoDate(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)


# --- eligibility ----------------------------------------------------------------------------


class DecisionSerializer(serializers.Serializer[Decision]):
    result = serializers.ChoiceField(choices=RESULTS, read_only=True)
    how = serializers.CharField(read_only=True, help_text="how it was reached, in words")
    screening = serializers.IntegerField(source="current.pk", read_only=True)
    override = serializers.SerializerMethodField()
    for_review = serializers.BooleanField(source="conflict", read_only=True)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_override(self, decision: Decision) -> int | None:
        return decision.override.pk if decision.override else None


class CriterionSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field named label
    status = serializers.CharField(read_only=True)
    missing = serializers.ListField(child=serializers.CharField(), read_only=True)
    citation = serializers.CharField(read_only=True)


class ScreeningInput(serializers.Serializer[Screening]):
    policy = serializers.CharField(max_length=100)
    as_of = IsoDate(required=False, allow_null=True, default=None)


class ScreeningSerializer(serializers.ModelSerializer[Screening]):
    policy = serializers.CharField(source="policy_version.policy", read_only=True)
    version = serializers.CharField(
        source="policy_version.label", read_only=True, help_text="the policy version's label"
    )
    criteria = CriterionSerializer(many=True, read_only=True)
    missing = serializers.ListField(child=serializers.CharField(), read_only=True)
    decision_in_force = serializers.SerializerMethodField()

    class Meta:
        model = Screening
        fields = (
            "id", "case", "result", "policy", "version", "as_of", "catalog_version",
            "criteria", "missing", "decision_in_force", "created_at",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(DecisionSerializer)
    def get_decision_in_force(self, screening: Screening) -> DecisionSerializer:
        return DecisionSerializer(self.context["decision"]).data  # type: ignore[return-value]


class FactInput(serializers.Serializer[CaseFact]):
    fact = serializers.ChoiceField(choices=sorted(RECORDABLE_FACTS))
    value = serializers.CharField(max_length=50)
    method = serializers.CharField(max_length=200, help_text="how the fact was established")
    document = _text(200, required=False, default="")


class FactSerializer(serializers.ModelSerializer[CaseFact]):
    class Meta:
        model = CaseFact
        fields = ("id", "case", "fact", "value", "method", "document", "recorded_at")
        read_only_fields = fields


class OverrideInput(serializers.Serializer[ScreeningOverride]):
    result = serializers.ChoiceField(choices=RESULTS)
    reason = serializers.CharField(max_length=10_000)


class WithdrawalInput(serializers.Serializer[ScreeningOverride]):
    version = serializers.IntegerField(min_value=1, help_text="the override's version")
    reason = serializers.CharField(max_length=10_000)


class OverrideSerializer(serializers.ModelSerializer[ScreeningOverride]):
    version = serializers.IntegerField(source="row_version", read_only=True)
    decision_in_force = serializers.SerializerMethodField()

    class Meta:
        model = ScreeningOverride
        fields = (
            "id", "version", "screening", "result", "reason", "created_at", "withdrawn_at",
            "withdrawal_reason", "decision_in_force",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision_in_force(self, override: ScreeningOverride) -> DecisionSerializer | None:
        decision = self.context.get("decision")
        return DecisionSerializer(decision).data if decision else None  # type: ignore[return-value]


# --- search ---------------------------------------------------------------------------------


class HitSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=["person", "case"], read_only=True)
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field named label
    score = serializers.FloatField(read_only=True)
