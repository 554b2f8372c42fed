"""A readable outline of a catalogue: each event, its session tree with times, who speaks, and
the recommendations grouped by country."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pycountry

from mastery_model import zones
from mastery_model.model import (
    EUROPE,
    Catalogue,
    Event,
    Moment,
    Organisation,
    Person,
    Qualifier,
    Recommendation,
    Session,
    walk_sessions,
)
from mastery_model.problems import printable

_QUALIFIERS = {
    Qualifier.EXACTLY: "",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.MORE_THAN: "more than ",
    Qualifier.APPROXIMATELY: "about ",
}


def outline(catalogue: Catalogue, language: str | None = None) -> str:
    """The outline as text, in ``language`` where the data has it; what a terminal would act on
    (control characters, bidirectional overrides) is escaped, each line being the data's text."""
    return "\n".join(printable(line) for line in _Outliner(catalogue, language).lines()) + "\n"


class _Outliner:
    def __init__(self, catalogue: Catalogue, language: str | None) -> None:
        self.catalogue = catalogue
        self.language = language
        self.people = {person.id: person for person in catalogue.people}
        self.organisations = {organisation.id: organisation for organisation in catalogue.organisations}
        self.campaigns = {campaign.id: campaign for campaign in catalogue.campaigns}

    def lines(self) -> Iterator[str]:
        for number, event in enumerate(self.catalogue.events):
            if number:
                yield ""
            yield from self.event(event)

    def event(self, event: Event) -> Iterator[str]:
        yield event.name.get(self.language)
        facts = [_when(event.start, event.end, event.time_zone)]
        if event.attendance_mode is not None:
            facts.append(event.attendance_mode.value)
        if event.status is not None:
            facts.append(event.status.value)
        if event.attendance is not None:
            facts.append(f"{_QUALIFIERS[event.attendance.qualifier]}{event.attendance.count} participants")
        if event.campaign in self.campaigns:
            facts.append(f"part of {self.campaigns[event.campaign].name.get(self.language)}")
        yield "  " + " · ".join(fact for fact in facts if fact)
        if event.organisers:
            yield "  organised by " + ", ".join(self.contributor(identifier) for identifier in event.organisers)
        if event.sessions:
            yield "  Programme"
            yield from self.sessions(event.sessions, "", 2)
        recommendations = [
            (session, recommendation)
            for session in walk_sessions(event.sessions)
            for recommendation in session.recommendations
        ]
        if recommendations:
            yield "  Recommendations"
            yield from self.recommendations(recommendations)

    def sessions(self, sessions: tuple[Session, ...], prefix: str, depth: int) -> Iterator[str]:
        indent = "  " * depth
        for number, session in enumerate(sessions, start=1):
            label = f"{prefix}{session.position or number}"
            details = [
                detail
                for detail in (
                    session.kind.value if session.kind else None,
                    _when(session.start, session.end, session.time_zone),
                    session.country,
                    session.status.value if session.status else None,
                )
                if detail
            ]
            suffix = f"  [{', '.join(details)}]" if details else ""
            yield f"{indent}{label}. {session.name.get(self.language)}{suffix}"
            for contribution in session.contributions:
                yield f"{indent}     {contribution.role.value}: {self.contributor(contribution.contributor, full=True)}"
            for document in session.documents:
                yield f"{indent}     document: {document.name.get(self.language)}"
            if session.recommendations:
                count = len(session.recommendations)
                yield f"{indent}     {count} recommendation{'s' if count != 1 else ''}"
            yield from self.sessions(session.sessions, f"{label}.", depth + 1)

    def recommendations(self, found: list[tuple[Session, Recommendation]]) -> Iterator[str]:
        by_scope: dict[str, list[Recommendation]] = {}
        for session, recommendation in found:
            scope = recommendation.scope or session.country or ""
            by_scope.setdefault(scope, []).append(recommendation)
        for scope in sorted(by_scope, key=lambda code: (code in ("", EUROPE), _scope_name(code))):
            yield f"    {_scope_name(scope)}"
            for recommendation in by_scope[scope]:
                audience = ", ".join(member.value for member in recommendation.audience)
                to = f"  (for {audience})" if audience else ""
                yield f"      - {recommendation.text.get(self.language)}{to}"

    def contributor(self, identifier: str, full: bool = False) -> str:
        if identifier in self.people:
            return self.person(self.people[identifier]) if full else self.people[identifier].name
        if identifier in self.organisations:
            return self.organisation(self.organisations[identifier])
        return identifier

    def person(self, person: Person) -> str:
        affiliations = [
            self.organisation(self.organisations[identifier])
            for identifier in person.affiliations
            if identifier in self.organisations
        ]
        title = [person.job_title.get(self.language)] if person.job_title else []
        details = ", ".join(title + affiliations)
        return f"{person.name} ({details})" if details else person.name

    def organisation(self, organisation: Organisation) -> str:
        names = [organisation.name.get(self.language)]
        parent = organisation.parent
        seen = {organisation.id}
        while parent in self.organisations and parent not in seen:
            seen.add(parent)
            names.append(self.organisations[parent].name.get(self.language))
            parent = self.organisations[parent].parent
        return ", ".join(names)


def _scope_name(code: str) -> str:
    if code == EUROPE:
        return "Europe-wide"
    if not code:
        return "Without a country"
    country = pycountry.countries.get(alpha_2=code)
    return f"{country.name} ({code})" if country else code


def _when(start: Moment | None, end: Moment | None, time_zone: str | None) -> str:
    if start is None:
        return ""
    if not isinstance(start, datetime):
        return start.isoformat() if end is None or end == start else f"{start.isoformat()} to {end.isoformat()}"
    zone = zones.zone(time_zone) if time_zone else start.tzinfo
    local = start.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M")
    if isinstance(end, datetime):
        finish = end.astimezone(zone)
        text += finish.strftime("–%H:%M") if finish.date() == local.date() else finish.strftime(" to %Y-%m-%d %H:%M")
    return f"{text} {time_zone or local.strftime('UTC%z')}"


def summary(catalogue: Catalogue) -> str:
    """What the catalogue holds, counted: ``1 event, 4 sessions, 3 people, 2 organisations``."""
    sessions = sum(1 for event in catalogue.events for _session in walk_sessions(event.sessions))
    return ", ".join(
        (
            _counted(len(catalogue.events), "event", "events"),
            _counted(sessions, "session", "sessions"),
            _counted(len(catalogue.people), "person", "people"),
            _counted(len(catalogue.organisations), "organisation", "organisations"),
        )
    )


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
