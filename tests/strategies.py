"""Hypothesis strategies for valid catalogues: every field, every enumerated value, full Unicode,
sessions nested at least three deep, and people shared between sessions."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, TypeVar

import pycountry
from hypothesis import strategies as st

from mastery_model import (
    EUROPE,
    Address,
    Attendance,
    AttendanceMode,
    Audience,
    Campaign,
    Catalogue,
    Contribution,
    CredentialOffer,
    Document,
    Event,
    ExternalId,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    Qualifier,
    Recommendation,
    Role,
    Session,
    SessionKind,
    Status,
    Text,
    VirtualLocation,
)
from mastery_model.zones import zone

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[T]], T]

LANGUAGES = ["en", "es", "fi", "it", "bg", "pt-BR", "zh-Hant", "sr-Latn", "de-CH", "el", "ar", "ga"]
COUNTRIES = sorted(country.alpha_2 for country in pycountry.countries)
ZONES = [
    "Europe/Madrid",
    "Europe/Helsinki",
    "Europe/Sofia",
    "Europe/London",
    "UTC",
    "America/St_Johns",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "Asia/Kathmandu",
]
MEDIA_TYPES = ["application/pdf", "application/vnd.ms-powerpoint", "text/html", "video/mp4", "image/svg+xml"]

#: Any Unicode text but lone surrogates (which UTF-8 cannot carry); control characters included.
unicode_text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40)
strings = unicode_text
urls = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["https", "http"]),
    st.sampled_from(["example.org", "événements.example", "xn--80ak6aa92e.com", "w3id.org"]),
    st.text(st.sampled_from("abcxyz019-._~/éü漢"), max_size=12).filter(lambda path: "//" not in path),
)


def texts() -> st.SearchStrategy[Text]:
    return st.dictionaries(st.sampled_from(LANGUAGES), unicode_text, min_size=1, max_size=3).map(Text)


def optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


def unique_tuples(strategy: st.SearchStrategy[T], max_size: int = 3) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(strategy, max_size=max_size, unique=True).map(tuple)


external_ids = unique_tuples(st.builds(ExternalId, st.sampled_from(["orcid", "wikidata", "frab", "isni"]), strings))
locations = unique_tuples(
    st.one_of(
        st.builds(VirtualLocation, urls, optional(strings)),
        st.builds(
            Place,
            optional(texts()),
            optional(
                st.builds(
                    Address,
                    optional(strings),
                    optional(strings),
                    optional(strings),
                    optional(strings),
                    optional(st.sampled_from(COUNTRIES)),
                ).filter(lambda a: a != Address())
            ),
        ).filter(lambda place: place.name is not None or place.address is not None),
    ),
    max_size=2,
)


# -- time ----------------------------------------------------------------------------------------

Window = tuple[datetime, datetime] | tuple[date, date] | None
EARLIEST = datetime(1001, 1, 1, tzinfo=UTC)
LATEST = datetime(2998, 12, 31, tzinfo=UTC)


def _localised(instant: datetime, zone_name: str | None, offset_minutes: int) -> datetime:
    """The instant as a wall-clock time with its UTC offset (of the zone, or the one given)."""
    if zone_name is not None:
        local = instant.astimezone(zone(zone_name))
        offset = local.utcoffset()
        assert offset is not None
        return local.replace(tzinfo=timezone(offset))
    return instant.astimezone(timezone(timedelta(minutes=offset_minutes)))


@st.composite
def timings(draw: Draw[Any], within: Window) -> tuple[Any, Any, str | None]:
    """A start, an end and a zone inside ``within`` (the timing of what they belong to)."""
    timed_window = within is not None and isinstance(within[0], datetime)
    kind = draw(st.sampled_from(["none", "date-time"] if timed_window else ["none", "date", "date-time"]))
    if kind == "none":
        return None, None, None
    if within is None:
        first_day, last_day = EARLIEST.date(), LATEST.date()
    elif timed_window:
        low, high = within
        return _date_times(draw, low, high)  # type: ignore[arg-type]
    else:
        first_day, last_day = within  # type: ignore[assignment]
    start_day = first_day + timedelta(days=draw(st.integers(0, (last_day - first_day).days)))
    end_day = start_day + timedelta(days=draw(st.integers(0, min(3, (last_day - start_day).days))))
    if kind == "date":
        return start_day, end_day, None
    # date-times whose local days stay inside the days given
    low = datetime(start_day.year, start_day.month, start_day.day, 14, tzinfo=UTC)
    high = datetime(end_day.year, end_day.month, end_day.day, 23, tzinfo=UTC)
    start, end, zone_name = _date_times(draw, low, high)
    if start.date() < start_day or end.date() > end_day:
        return None, None, None
    return start, end, zone_name


def _date_times(draw: Draw[Any], low: datetime, high: datetime) -> tuple[datetime, datetime, str | None]:
    span = int((high - low).total_seconds())
    start_at = low + timedelta(seconds=draw(st.integers(0, max(0, span))))
    end_at = start_at + timedelta(seconds=draw(st.integers(0, max(0, int((high - start_at).total_seconds())))))
    zone_name = draw(optional(st.sampled_from(ZONES)))
    offset = draw(st.integers(-12 * 60, 14 * 60))
    if end_at > start_at and draw(st.booleans()):
        end_at -= timedelta(microseconds=draw(st.sampled_from([1, 500_000, 999_999])))
    if zone_name is not None and any(_odd_offset(instant, zone_name) for instant in (start_at, end_at)):
        zone_name = None  # local mean time before zones had whole-minute offsets: RFC 3339 cannot say it
    start = _localised(start_at, zone_name, offset)
    end = _localised(end_at, zone_name, offset)
    return start, end, zone_name


def _odd_offset(instant: datetime, zone_name: str) -> bool:
    offset = instant.astimezone(zone(zone_name)).utcoffset()
    return offset is None or offset.seconds % 60 != 0


# -- entities --------------------------------------------------------------------------------------


class Ids:
    """Unique ids for one catalogue."""

    def __init__(self, base: int) -> None:
        self.counter = itertools.count(base)

    def __call__(self) -> str:
        return f"urn:uuid:{uuid.UUID(int=next(self.counter), version=4)}"


@st.composite
def catalogues(draw: Draw[Any], max_events: int = 2) -> Catalogue:
    ids = Ids(draw(st.integers(0, 2**64)))
    organisations: list[Organisation] = []
    for _ in range(draw(st.integers(0, 4))):
        parent = draw(optional(st.sampled_from([o.id for o in organisations]))) if organisations else None
        organisations.append(
            Organisation(
                id=ids(),
                name=draw(texts()),
                acronym=draw(optional(strings)),
                kind=draw(st.sampled_from(OrganisationKind)),
                country=draw(optional(st.sampled_from(COUNTRIES))),
                url=draw(optional(urls)),
                parent=parent,
                external_ids=draw(external_ids),
            )
        )
    organisation_ids = [organisation.id for organisation in organisations]
    people = [
        Person(
            id=ids(),
            name=draw(strings),
            given_name=draw(optional(strings)),
            family_name=draw(optional(strings)),
            job_title=draw(optional(texts())),
            affiliations=draw(unique_tuples(st.sampled_from(organisation_ids))) if organisation_ids else (),
            country=draw(optional(st.sampled_from(COUNTRIES))),
            external_ids=draw(external_ids),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    contributors = [person.id for person in people] + organisation_ids
    campaigns = []
    for _ in range(draw(st.integers(0, 2))):
        start, end, _zone = draw(timings(None).filter(lambda timing: not isinstance(timing[0], datetime)))
        campaigns.append(Campaign(id=ids(), name=draw(texts()), url=draw(optional(urls)), start=start, end=end))
    events = [draw(_events(ids, contributors, campaigns)) for _ in range(draw(st.integers(1, max_events)))]
    return Catalogue(
        events=tuple(events), people=tuple(people), organisations=tuple(organisations), campaigns=tuple(campaigns)
    )


def _references(contributors: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return unique_tuples(st.sampled_from(contributors)) if contributors else st.just(())


def _contributions(contributors: list[str]) -> st.SearchStrategy[tuple[Contribution, ...]]:
    if not contributors:
        return st.just(())
    return unique_tuples(st.builds(Contribution, st.sampled_from(contributors), st.sampled_from(Role)), max_size=4)


#: Numbers of hours or credits: whole, halves (2.5 ECTS), or any finite float from 0 (tiny and huge ones too).
amounts = st.integers(0, 120).map(lambda n: n / 2) | st.floats(0, 1e18, allow_nan=False, allow_infinity=False)


@st.composite
def _credential_offers(draw: Draw[Any]) -> CredentialOffer:
    """An offer stating any of its fields, at least one (an offer of none is refused)."""
    fields: dict[str, st.SearchStrategy[Any]] = {
        "learning_outcomes": texts(),
        "workload_hours": amounts,
        "eqf_level": st.integers(1, 8),
        "ects_credits": amounts,
        "assessment": texts(),
        "quality_assurance": texts(),
    }
    stated = draw(st.sets(st.sampled_from(sorted(fields)), min_size=1))
    return CredentialOffer(
        **{name: draw(value if name in stated else optional(value)) for name, value in fields.items()}
    )


credential_offers = _credential_offers()


@st.composite
def _events(draw: Draw[Any], ids: Ids, contributors: list[str], campaigns: list[Campaign]) -> Event:
    campaign = draw(optional(st.sampled_from(campaigns))) if campaigns else None
    dated = campaign is not None and campaign.start is not None and campaign.end is not None
    start, end, time_zone = draw(timings((campaign.start, campaign.end) if dated else None))  # type: ignore[union-attr]
    window = (start, end) if start is not None else None
    return Event(
        id=ids(),
        name=draw(texts()),
        description=draw(optional(texts())),
        start=start,
        end=end,
        time_zone=time_zone,
        attendance_mode=draw(optional(st.sampled_from(AttendanceMode))),
        status=draw(optional(st.sampled_from(Status))),
        locations=draw(locations),
        organisers=draw(_references(contributors)),
        funders=draw(_references(contributors)),
        campaign=None if campaign is None else campaign.id,
        audience=draw(unique_tuples(st.sampled_from(Audience))),
        topics=draw(unique_tuples(strings)),
        keywords=draw(unique_tuples(strings)),
        languages=draw(unique_tuples(st.sampled_from(LANGUAGES))),
        url=draw(optional(urls)),
        external_ids=draw(external_ids),
        attendance=draw(optional(st.builds(Attendance, st.integers(0, 10**6), st.sampled_from(Qualifier)))),
        modified=draw(optional(st.datetimes(datetime(1001, 1, 1), datetime(2998, 1, 1), timezones=st.just(UTC)))),
        revision=draw(optional(st.integers(0, 10**6))),
        contributions=draw(_contributions(contributors)),
        image=draw(optional(urls)),
        credential_offer=draw(optional(credential_offers)),
        sessions=draw(_sessions(ids, contributors, window, depth=draw(st.integers(1, 4)))),
    )


@st.composite
def _sessions(draw: Draw[Any], ids: Ids, contributors: list[str], window: Window, depth: int) -> tuple[Session, ...]:
    if depth == 0:
        return ()
    count = draw(st.integers(0 if depth < 4 else 1, 3))
    numbered = draw(st.booleans())
    # ascending, as a programme numbers its sessions (with gaps): an order contradicting the positions
    # is one the csv tables cannot keep (their reader puts rows in the order of position)
    positions = (
        sorted(draw(st.sets(st.integers(1, 99), min_size=count, max_size=count))) if numbered else [None] * count
    )
    sessions = []
    for index in range(count):
        start, end, time_zone = draw(timings(window))
        here = (start, end) if start is not None and end is not None else window
        session_id = ids()
        # the first session always nests, so that a deep enough draw reaches three levels and more
        below = depth - 1 if index == 0 else draw(st.integers(0, depth - 1))
        sessions.append(
            Session(
                id=session_id,
                name=draw(texts()),
                description=draw(optional(texts())),
                kind=draw(optional(st.sampled_from(SessionKind))),
                start=start,
                end=end,
                time_zone=time_zone,
                position=positions[index],
                status=draw(optional(st.sampled_from(Status))),
                locations=draw(locations),
                url=draw(optional(urls)),
                topics=draw(unique_tuples(strings)),
                language=draw(optional(st.sampled_from(LANGUAGES))),
                external_ids=draw(external_ids),
                modified=draw(
                    optional(
                        st.datetimes(
                            datetime(1001, 1, 1), datetime(2998, 1, 1), timezones=st.just(timezone(timedelta(hours=2)))
                        )
                    )
                ),
                revision=draw(optional(st.integers(0, 1000))),
                contributions=draw(_contributions(contributors)),
                documents=tuple(
                    Document(
                        id=ids(),
                        name=draw(texts()),
                        url=draw(optional(urls)),
                        media_type=draw(optional(st.sampled_from(MEDIA_TYPES))),
                        language=draw(optional(st.sampled_from(LANGUAGES))),
                        authors=draw(_references(contributors)),
                        license=draw(optional(urls)),
                    )
                    for _ in range(draw(st.integers(0, 2)))
                ),
                recommendations=_recommendations(draw, ids),
                country=draw(optional(st.sampled_from(COUNTRIES))),
                sessions=draw(_sessions(ids, contributors, here, below)),
            )
        )
    return tuple(sessions)


def _recommendations(draw: Draw[Any], ids: Ids) -> tuple[Recommendation, ...]:
    count = draw(st.integers(0, 3))
    numbered = draw(st.booleans())
    return tuple(
        Recommendation(
            id=ids(),
            text=draw(texts()),
            position=index + 1 if numbered else None,
            topics=draw(unique_tuples(strings)),
            scope=draw(optional(st.sampled_from([*COUNTRIES[:20], EUROPE]))),
            audience=draw(unique_tuples(st.sampled_from(Audience))),
        )
        for index in range(count)
    )
