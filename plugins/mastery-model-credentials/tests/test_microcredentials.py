"""The micro-credential elements an event states, as Open Badges 3.0 and Edubadges carry them.

The model's fields of a credential offer are added separately: these tests use stand-ins (an attrs
class and a plain dict) with the attribute names the mapping reads."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
import pytest
from credentials_support import event_catalogue, fixture_json
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mastery_model_credentials import issuing, microcredentials, proofs

from mastery_model import Text


@attrs.frozen
class QualityAssurance:
    name: Text
    url: str | None = None


@attrs.frozen
class Offer:
    learning_outcomes: tuple[Text, ...] = ()
    workload: Any = None
    eqf_level: int | None = None
    ects: Any = None
    participation: str | None = None
    assessment: str | None = None
    quality_assurance: Any = None


OFFER = Offer(
    learning_outcomes=(Text.of("Explain the EU approach to micro-credentials", "en"),),
    workload=timedelta(hours=25),
    eqf_level=5,
    ects=Decimal("1.0"),
    participation="online",
    assessment="portfolio",
    quality_assurance=QualityAssurance(Text.of("Accredited by the national agency", "en"), "https://example.org/qa"),
)


def test_every_element_goes_where_edubadges_puts_it():
    found = microcredentials.elements(OFFER, "en")
    assert found.fields == {"creditsAvailable": 1}
    assert type(found.fields["creditsAvailable"]) is int  # 1.0 would be 1.0E0 to pyld and 1 to JavaScript
    kinds = {alignment["targetType"]: alignment for alignment in found.alignments}
    assert kinds["ext:ParticipationType"]["targetUrl"] == microcredentials.GLOSSARY + "participation-type-online"
    assert kinds["ext:AssessmentType"]["targetName"] == "portfolio"
    assert kinds["ext:EQF"]["targetCode"] == "5"
    assert kinds["ext:EQF"]["targetName"] == "EQF level 5"
    assert kinds["ext:QualityAssurance"]["targetUrl"] == "https://example.org/qa"
    assert "- Learning outcome: Explain the EU approach to micro-credentials" in found.narrative
    assert "- Notional workload: 25 hours" in found.narrative


def test_a_plain_mapping_and_other_spellings_are_read_too():
    found = microcredentials.elements(
        {"notional_workload": "PT1H30M", "ects_credits": 2.5, "form_of_participation": "in-person", "eqf": 4}
    )
    assert "- Notional workload: 2 hours" in found.narrative
    assert found.fields["creditsAvailable"] == 2.5
    assert "- Form of participation: onsite or blended" in found.narrative


def test_what_has_no_value_of_edubadges_goes_to_the_narrative():
    found = microcredentials.elements({"assessment": "none: attendance", "participation": "by post"})
    assert found.alignments == []
    assert found.narrative == ["- Form of participation: by post", "- Type of assessment: none: attendance"]


def test_no_offer_adds_nothing():
    assert microcredentials.elements(None).empty
    assert microcredentials.offer_of(event_catalogue().events[0]) is None  # the model states none yet


@pytest.mark.parametrize("value", ["P", "PT", "P1Y", "soon", -3, True])
def test_a_workload_that_is_none_is_refused(value):
    with pytest.raises(ValueError, match=r"."):
        microcredentials.hours(value)


@attrs.frozen
class EventWithOffer:
    """An event as the model will have it: the sample's, with a credential offer beside it."""

    event: Any
    credential_offer: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.event, name)


def micro_credential(offer: Any = OFFER) -> dict[str, Any]:
    """The participant's credential of the sample webinar with ``offer``, signed."""
    catalogue = event_catalogue()
    event = EventWithOffer(catalogue.events[0], offer)
    creator = issuing.profile(catalogue.organisations[0], "en", catalogue.organisations[0].id)
    awarded = issuing.achievement(event, catalogue, issuing.PARTICIPANT, creator)  # type: ignore[arg-type]
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    issuer = issuing.profile(catalogue.organisations[0], "en", issuing.keys.did_key(key))
    issued = issuing.issuance_date("2024-10-16")
    assert issued is not None
    subject = {
        "identifier": [{"type": "IdentityObject", "identityHash": "Ada", "identityType": "name", "hashed": False}]
    }
    unsigned = issuing.credential(event, "participant", awarded, issuer, issued, subject, "Ada")  # type: ignore[arg-type]
    return proofs.sign(unsigned, key, "2024-10-16T00:00:00Z")


def test_a_micro_credential_is_valid_and_signed():
    credential = micro_credential()
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert {a["targetType"] for a in achievement["alignment"]} >= {"ext:EQF", "ext:QualityAssurance"}
    schema = fixture_json("openbadges/ob_v3p0_achievementcredential_schema.json")
    jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER).validate(
        credential
    )
    assert proofs.verify(credential)


def test_edubadges_context_is_refused_by_strict_json_ld():
    """Why its terms are not used: the published context does not process."""
    from pyld import jsonld

    context = fixture_json("openbadges/edubadges-context.json")
    document = {"@context": context["@context"], "type": "EducredentialAchievement", "ECTS": 3}
    with pytest.raises(jsonld.JsonLdError, match="scoped context"):
        jsonld.expand(document, {"documentLoader": proofs.document_loader})
