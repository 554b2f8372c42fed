"""The elements of a micro-credential (Council Recommendation of 16 June 2022) as Open Badges 3.0
carries them, after Edubadges' micro-credentials (Dutch higher education).

Where an event states them (its credential offer), the participants' achievement carries:

| element | where |
|---|---|
| learning outcomes | the criteria's narrative, a line each; an IRI (an ESCO skill) also an alignment |
| notional workload | the narrative, in whole hours |
| EQF level | an ``ext:EQF`` alignment (``targetCode`` the level), as Edubadges writes it |
| ECTS credits | ``creditsAvailable``, and the narrative |
| form of participation | an ``ext:ParticipationType`` alignment to Edubadges' glossary term (online, ...) |
| type of assessment | an ``ext:AssessmentType`` alignment to Edubadges' glossary term (testing, ...) |
| quality assurance | an ``ext:QualityAssurance`` alignment when it has a URL; the narrative |

Edubadges writes participation, assessment, workload and ECTS as terms of its own context
(``participationType``, ``timeInvestment``, ...), but that context is not valid JSON-LD (its
``supervisionType`` has ``context`` for ``@context``: strict processors, pyld and jsonld.js among
them, refuse it), so a credential naming it could not be signed or verified. Its glossary's terms
are used here as alignment targets instead, with Open Badges' own context only.

The elements are the fields of the event's :class:`~mastery_model.CredentialOffer`; the form of
participation is the event's ``attendance_mode``. A learning outcome is a line of the offer's
learning outcomes.
"""

from __future__ import annotations

import math
import re
from typing import Any

from attrs import define, field

from mastery_model import AttendanceMode, CredentialOffer, Event, Text

EQF_URL = "https://europass.europa.eu/en/description-eight-eqf-levels"
EQF_FRAMEWORK = "European Qualifications Framework"
GLOSSARY = "https://edubadges.nl/static/obv3-glossary.html#"

#: The form of participation of each attendance mode, as Edubadges' glossary names it.
PARTICIPATION = {
    AttendanceMode.ONLINE: "online",
    AttendanceMode.IN_PERSON: "onsite or blended",
    AttendanceMode.MIXED: "onsite or blended",
}
#: The type of assessment a text names, as Edubadges' glossary names it.
ASSESSMENT = {
    "testing": "testing",
    "test": "testing",
    "exam": "testing",
    "examination": "testing",
    "application of a skill": "application of a skill",
    "application-of-a-skill": "application of a skill",
    "practical": "application of a skill",
    "portfolio": "portfolio",
    "recognition of prior learning": "recognition of prior learning",
    "recognition-of-prior-learning": "recognition of prior learning",
    "rpl": "recognition of prior learning",
}
_IRI = re.compile(r"https?://\S+")


@define
class Elements:
    """What a credential offer adds to an achievement."""

    fields: dict[str, Any] = field(factory=dict)
    alignments: list[dict[str, Any]] = field(factory=list)
    narrative: list[str] = field(factory=list)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.alignments or self.narrative)


def offer_of(event: Event) -> CredentialOffer | None:
    """The event's credential offer, if it states one."""
    return event.credential_offer


def number(value: float) -> int | float:
    """A JSON number that reads the same in every language: whole numbers as integers (a float
    ``3.0`` is ``3.0E0`` to pyld and ``3`` to JavaScript, which would break the signature)."""
    if isinstance(value, bool):
        raise ValueError("a number, not a truth value")
    as_float = float(value)
    if not math.isfinite(as_float) or as_float < 0:
        raise ValueError(f"a finite number, not less than zero, not {value!r}")
    return int(as_float) if as_float.is_integer() else as_float


def hours(value: float) -> int:
    """Whole hours (at least one) of a workload given in hours."""
    return max(1, round(float(number(value))))


def _lines(text: Text | None, language: str | None) -> list[str]:
    return [] if text is None else [line.strip() for line in text.get(language).splitlines() if line.strip()]


def elements(
    offer: CredentialOffer | None, language: str | None = None, attendance_mode: AttendanceMode | None = None
) -> Elements:
    """The achievement's fields, alignments and narrative lines for ``offer`` (None: nothing), the
    form of participation that of ``attendance_mode`` (the event's)."""
    found = Elements()
    if offer is None:
        return found
    for outcome in _lines(offer.learning_outcomes, language):
        found.narrative.append(f"- Learning outcome: {outcome}")
        if _IRI.fullmatch(outcome):
            found.alignments.append(_alignment("ext:LearningOutcome", outcome, outcome))
    if offer.workload_hours is not None:
        found.narrative.append(f"- Notional workload: {hours(offer.workload_hours)} hours")
    if offer.eqf_level is not None:
        code = str(offer.eqf_level)
        found.alignments.append(
            {
                **_alignment("ext:EQF", f"EQF level {code}", EQF_URL),
                "targetCode": code,
                "targetFramework": EQF_FRAMEWORK,
            }
        )
    if offer.ects_credits is not None:
        found.fields["creditsAvailable"] = number(offer.ects_credits)
        found.narrative.append(f"- ECTS credits: {found.fields['creditsAvailable']}")
    if attendance_mode is not None:
        kind = PARTICIPATION[attendance_mode]
        target = f"{GLOSSARY}participation-type-{kind.replace(' ', '-')}"
        found.alignments.append(_alignment("ext:ParticipationType", kind, target))
        found.narrative.append(f"- Form of participation: {kind}")
    if offer.assessment is not None:
        said = offer.assessment.get(language)
        assessed = ASSESSMENT.get(said.strip().lower())
        if assessed is not None:
            target = f"{GLOSSARY}assessment-type-{assessed.replace(' ', '-')}"
            found.alignments.append(_alignment("ext:AssessmentType", assessed, target))
        found.narrative.append(f"- Type of assessment: {said}")
    for assurance in _lines(offer.quality_assurance, language):
        url = _IRI.search(assurance)  # "Accredited by the agency: https://..." names its page
        if url is not None:
            name = assurance[: url.start()].strip().rstrip(":").strip() or url[0]
            found.alignments.append(_alignment("ext:QualityAssurance", name, url[0]))
        found.narrative.append(f"- Quality assurance: {assurance}")
    return found


def _alignment(kind: str, name: str, url: str) -> dict[str, Any]:
    return {"type": ["Alignment"], "targetType": kind, "targetName": name, "targetUrl": url}
