"""The micro-credential elements an event states (its credential offer), as Open Badges 3.0 and
Edubadges carry them."""

from __future__ import annotations

from typing import Any

import attrs
import jsonschema
import pytest
from credentials_support import event_catalogue, fixture_json
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mastery_model_credentials import issuing, microcredentials, proofs

from mastery_model import AttendanceMode, CredentialOffer, Event, Text

OFFER = CredentialOffer(
    learning_outcomes=Text.of(
        "Explain the EU approach to micro-credentials\nhttp://data.europa.eu/esco/skill/S1.0.0", "en"
    ),
    workload_hours=25,
    eqf_level=5,
    ects_credits=1.0,
    assessment=Text.of("Portfolio", "en"),
    quality_assurance=Text.of("Accredited by the national agency: https://example.org/qa", "en"),
)


def offering(offer: CredentialOffer | None = OFFER, **fields: Any) -> Event:
    """The sample webinar (online) with ``offer``, and any other fields changed."""
    return attrs.evolve(event_catalogue().events[0], credential_offer=offer, **fields)


def test_every_element_goes_where_edubadges_puts_it():
    event = offering()
    assert microcredentials.offer_of(event) is OFFER
    found = microcredentials.elements(microcredentials.offer_of(event), "en", event.attendance_mode)
    assert found.fields == {"creditsAvailable": 1}
    assert type(found.fields["creditsAvailable"]) is int  # 1.0 would be 1.0E0 to pyld and 1 to JavaScript
    kinds = {alignment["targetType"]: alignment for alignment in found.alignments}
    assert kinds["ext:ParticipationType"]["targetUrl"] == microcredentials.GLOSSARY + "participation-type-online"
    assert kinds["ext:AssessmentType"]["targetName"] == "portfolio"
    assert kinds["ext:EQF"]["targetCode"] == "5"
    assert kinds["ext:EQF"]["targetName"] == "EQF level 5"
    assert kinds["ext:QualityAssurance"] == {
        "type": ["Alignment"],
        "targetType": "ext:QualityAssurance",
        "targetName": "Accredited by the national agency",
        "targetUrl": "https://example.org/qa",
    }
    assert kinds["ext:LearningOutcome"]["targetUrl"] == "http://data.europa.eu/esco/skill/S1.0.0"
    assert found.narrative == [
        "- Learning outcome: Explain the EU approach to micro-credentials",
        "- Learning outcome: http://data.europa.eu/esco/skill/S1.0.0",
        "- Notional workload: 25 hours",
        "- ECTS credits: 1",
        "- Form of participation: online",
        "- Type of assessment: Portfolio",
        "- Quality assurance: Accredited by the national agency: https://example.org/qa",
    ]


@pytest.mark.parametrize(
    ("mode", "said"),
    [(AttendanceMode.IN_PERSON, "onsite or blended"), (AttendanceMode.MIXED, "onsite or blended"), (None, None)],
)
def test_the_form_of_participation_is_the_event_s_attendance_mode(mode, said):
    event = offering(CredentialOffer(eqf_level=4), attendance_mode=mode)
    found = microcredentials.elements(event.credential_offer, "en", event.attendance_mode)
    lines = [line for line in found.narrative if line.startswith("- Form of participation")]
    assert lines == ([] if said is None else [f"- Form of participation: {said}"])


def test_a_fractional_workload_is_whole_hours_and_fractional_credits_stay():
    found = microcredentials.elements(CredentialOffer(workload_hours=1.5, ects_credits=2.5))
    assert found.narrative == ["- Notional workload: 2 hours", "- ECTS credits: 2.5"]
    assert found.fields["creditsAvailable"] == 2.5
    assert microcredentials.elements(CredentialOffer(workload_hours=0)).narrative == ["- Notional workload: 1 hours"]


def test_the_offer_s_texts_are_read_in_the_language_asked_for():
    offer = CredentialOffer(assessment=Text({"en": "exam", "es": "examen escrito"}))
    assert microcredentials.elements(offer, "es").narrative == ["- Type of assessment: examen escrito"]
    assert [a["targetName"] for a in microcredentials.elements(offer, "en").alignments] == ["testing"]


def test_what_has_no_value_of_edubadges_goes_to_the_narrative():
    found = microcredentials.elements(
        CredentialOffer(assessment=Text.of("none: attendance", "en"), quality_assurance=Text.of("peer review", "en"))
    )
    assert found.alignments == []
    assert found.narrative == ["- Type of assessment: none: attendance", "- Quality assurance: peer review"]


def test_no_offer_adds_nothing():
    assert microcredentials.elements(None).empty
    assert microcredentials.offer_of(event_catalogue().events[0]) is None  # the sample states none


def test_a_participant_s_achievement_is_a_micro_credential_only_with_an_offer():
    catalogue = event_catalogue()
    creator = issuing.profile(catalogue.organisations[0], "en", catalogue.organisations[0].id)
    plain = issuing.achievement(catalogue.events[0], catalogue, issuing.PARTICIPANT, creator)
    offered = issuing.achievement(offering(), catalogue, issuing.PARTICIPANT, creator)
    assert (plain["achievementType"], offered["achievementType"]) == ("Badge", "MicroCredential")
    speaker = issuing.achievement(offering(), catalogue, "speaker", creator)
    assert speaker["achievementType"] == "Badge"  # a speaker's credential is for their part


def test_an_event_s_image_is_the_achievement_s():
    catalogue = event_catalogue()
    creator = issuing.profile(catalogue.organisations[0], "en", catalogue.organisations[0].id)
    event = offering(image="https://example.org/badge.png")
    found = issuing.achievement(event, catalogue, issuing.PARTICIPANT, creator)
    assert found["image"] == {"id": "https://example.org/badge.png", "type": "Image"}


@pytest.mark.parametrize("value", [-3, float("nan"), float("inf"), True])
def test_a_workload_that_is_none_is_refused(value):
    with pytest.raises(ValueError, match=r"."):
        microcredentials.hours(value)


def micro_credential(offer: CredentialOffer = OFFER) -> dict[str, Any]:
    """The participant's credential of the sample webinar with ``offer``, signed."""
    catalogue = event_catalogue()
    event = offering(offer)
    creator = issuing.profile(catalogue.organisations[0], "en", catalogue.organisations[0].id)
    awarded = issuing.achievement(event, catalogue, issuing.PARTICIPANT, creator)
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    issuer = issuing.profile(catalogue.organisations[0], "en", issuing.keys.did_key(key))
    issued = issuing.issuance_date("2024-10-16")
    assert issued is not None
    subject = {
        "identifier": [{"type": "IdentityObject", "identityHash": "Ada", "identityType": "name", "hashed": False}]
    }
    unsigned = issuing.credential(event, "participant", awarded, issuer, issued, subject, "Ada")
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
