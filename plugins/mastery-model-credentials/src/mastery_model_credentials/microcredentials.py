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

The model's fields of a credential offer are read by name with ``getattr`` (any of a few names for
each element), so that this module works with the model's classes as they come, and with any
object holding the same attributes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from attrs import define, field

#: The attribute of an event that holds its credential offer, by the names it may have.
OFFER_NAMES = ("credential_offer", "credential", "micro_credential", "offer")
EQF_URL = "https://europass.europa.eu/en/description-eight-eqf-levels"
EQF_FRAMEWORK = "European Qualifications Framework"
GLOSSARY = "https://edubadges.nl/static/obv3-glossary.html#"

PARTICIPATION = {
    "online": "online",
    "in-person": "onsite or blended",
    "in person": "onsite or blended",
    "onsite": "onsite or blended",
    "on-site": "onsite or blended",
    "blended": "onsite or blended",
    "mixed": "onsite or blended",
    "hybrid": "onsite or blended",
    "onsite or blended": "onsite or blended",
    "volunteering": "volunteering",
    "work experience": "work experience",
    "work-experience": "work experience",
    "personalized learning activities": "personalized learning activities",
    "personalised learning activities": "personalized learning activities",
}
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
_DURATION = re.compile(
    r"P(?:(?P<days>\d+(?:\.\d+)?)D)?(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?)?"
)


@define
class Elements:
    """What a credential offer adds to an achievement."""

    fields: dict[str, Any] = field(factory=dict)
    alignments: list[dict[str, Any]] = field(factory=list)
    narrative: list[str] = field(factory=list)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.alignments or self.narrative)


def offer_of(event: object) -> object | None:
    """The event's credential offer, when the model has the field and the event states one."""
    for name in OFFER_NAMES:
        offer: object | None = getattr(event, name, None)
        if offer is not None:
            return offer
    return None


def _get(offer: object, *names: str) -> Any:
    for name in names:
        value = offer.get(name) if isinstance(offer, dict) else getattr(offer, name, None)
        if value is not None and value != () and value != "":
            return value
    return None


def _text(value: Any, language: str | None) -> str:
    """A plain string of a model value: a Text in ``language``, an enumeration's value, or as is."""
    getter = getattr(value, "get", None)
    if callable(getter) and hasattr(value, "translations"):
        return str(getter(language))
    enum_value = getattr(value, "value", None)
    if isinstance(enum_value, str):
        return enum_value
    return str(value)


def _several(value: Any) -> Iterable[Any]:
    if isinstance(value, (list, tuple)):
        return value
    return (value,)


def number(value: Any) -> int | float:
    """A JSON number that reads the same in every language: whole numbers as integers (a float
    ``3.0`` is ``3.0E0`` to pyld and ``3`` to JavaScript, which would break the signature)."""
    if isinstance(value, bool):
        raise ValueError("a number, not a truth value")
    as_float = float(value) if isinstance(value, (int, float, Decimal)) else float(str(value))
    if not math.isfinite(as_float) or as_float < 0:
        raise ValueError(f"a finite number, not less than zero, not {value!r}")
    return int(as_float) if as_float.is_integer() else as_float


def hours(value: Any) -> int:
    """Whole hours (at least one) of a workload: a timedelta, an ISO 8601 duration (PT25H, P2D),
    or a number of hours."""
    if isinstance(value, timedelta):
        total = value.total_seconds() / 3600
    elif isinstance(value, str) and value.startswith("P"):
        match = _DURATION.fullmatch(value)
        if match is None or value in ("P", "PT"):
            raise ValueError(f"an ISO 8601 duration of days, hours or minutes (PT25H), not {value!r}")
        total = sum(
            float(match[name] or 0) * scale for name, scale in (("days", 24), ("hours", 1), ("minutes", 1 / 60))
        )
    else:
        total = float(number(value))
    return max(1, round(total))


def elements(offer: object | None, language: str | None = None, attendance_mode: Any = None) -> Elements:
    """The achievement's fields, alignments and narrative lines for ``offer`` (None: nothing).
    ``attendance_mode`` (the event's) gives the form of participation when the offer states none."""
    found = Elements()
    if offer is None:
        return found
    for outcome in _several(_get(offer, "learning_outcomes", "outcomes") or ()):
        text = _text(outcome, language)
        found.narrative.append(f"- Learning outcome: {text}")
        if _IRI.fullmatch(text):
            found.alignments.append(_alignment("ext:LearningOutcome", text, text))
    workload = _get(offer, "workload", "notional_workload", "workload_hours")
    if workload is not None:
        found.narrative.append(f"- Notional workload: {hours(workload)} hours")
    level = _get(offer, "eqf_level", "eqf", "level")
    if level is not None:
        code = str(number(level))
        found.alignments.append(
            {
                **_alignment("ext:EQF", f"EQF level {code}", EQF_URL),
                "targetCode": code,
                "targetFramework": EQF_FRAMEWORK,
            }
        )
    credits = _get(offer, "ects", "ects_credits", "credits")
    if credits is not None:
        found.fields["creditsAvailable"] = number(credits)
        found.narrative.append(f"- ECTS credits: {found.fields['creditsAvailable']}")
    participation = _get(offer, "participation", "form_of_participation", "participation_form")
    if participation is None:
        participation = attendance_mode
    if participation is not None:
        kind = PARTICIPATION.get(_text(participation, language).strip().lower())
        if kind is not None:
            target = f"{GLOSSARY}participation-type-{kind.replace(' ', '-')}"
            found.alignments.append(_alignment("ext:ParticipationType", kind, target))
        found.narrative.append(f"- Form of participation: {kind or _text(participation, language)}")
    assessment = _get(offer, "assessment", "assessment_type", "type_of_assessment")
    if assessment is not None:
        kind = ASSESSMENT.get(_text(assessment, language).strip().lower())
        if kind is not None:
            target = f"{GLOSSARY}assessment-type-{kind.replace(' ', '-')}"
            found.alignments.append(_alignment("ext:AssessmentType", kind, target))
        found.narrative.append(f"- Type of assessment: {_text(assessment, language)}")
    for assurance in _several(_get(offer, "quality_assurance", "quality") or ()):
        name = _get(assurance, "name", "title") if not isinstance(assurance, str) else None
        url = _get(assurance, "url") if not isinstance(assurance, str) else None
        text = _text(name if name is not None else assurance, language)
        if url is None and _IRI.fullmatch(text):
            url = text
        if url is not None:
            found.alignments.append(_alignment("ext:QualityAssurance", text, str(url)))
        found.narrative.append(f"- Quality assurance: {text}")
    return found


def _alignment(kind: str, name: str, url: str) -> dict[str, Any]:
    return {"type": ["Alignment"], "targetType": kind, "targetName": name, "targetUrl": url}
