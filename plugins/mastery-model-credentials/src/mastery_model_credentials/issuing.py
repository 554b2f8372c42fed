"""Open Badges 3.0 credentials of an event: what is issued, to whom, and how it is signed.

One ``OpenBadgeCredential`` per person, event and role: the people of the event's contributions
(its own, when the model has them, and its sessions', at any depth), each in each role they held,
and the participants of a list the user gives. One ``Achievement`` per event and role, whose id
is minted from the event's id and the role, so it is the same on every export. The issuer is the
event's (first) organiser, named by the signing key's did:key.

Recipients are named, never by a raw address: a participant by a salted SHA-256 of the address
(``hashed: true``), the salt an HMAC-SHA256 of the address keyed with the issuer's private key
(its first 16 bytes, in hex): the same address and key give the same credential, and the hash
cannot be reversed by guessing addresses without the key. A speaker is named by their id in the
catalogue (already public with the event). Each is also named by their name, in plain text, as a
paper certificate shows it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
import warnings
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mastery_model import Catalogue, Event, ExportWarning, MissingData, Organisation, Person, Role
from mastery_model.model import Contribution, Moment, walk_sessions
from mastery_model.problems import BadOptionValue
from mastery_model_credentials import keys, microcredentials, participants, proofs

FORMAT = "openbadges"
PARTICIPANT = "participant"
#: Every role issued for, in the order files and achievements come.
ROLES = (*(role.value for role in Role), PARTICIPANT)
ROLES_EXPECTED = f"roles separated by commas, of {', '.join(ROLES)}"
ISSUED_EXPECTED = "a date (YYYY-MM-DD) or a date-time with its UTC offset (2024-10-15T18:00:00+02:00)"
#: The namespace of the ids minted here (achievements and credentials): UUIDv5 under it.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/mastery-model/credentials")
SALT_BYTES = 16
#: What the HMAC of a salt is keyed with: the issuer's secret, bound to this use.
_SALT_LABEL = b"mastery-model-credentials identity salt\x00"

#: Per role: its title, and what the person did, said in the criteria.
_TITLES = {
    "speaker": ("Speaker", "spoke at"),
    "panellist": ("Panellist", "took part as a panellist in"),
    "moderator": ("Moderator", "moderated a session of"),
    "facilitator": ("Facilitator", "facilitated a session of"),
    "rapporteur": ("Rapporteur", "reported on a session of"),
    "host": ("Host", "hosted"),
    PARTICIPANT: ("Participant", "took part in"),
}
_LANGUAGE = re.compile(r"[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?")


# -- options ------------------------------------------------------------------------------------


def parse_roles(value: str) -> tuple[str, ...] | None:
    """The roles named (in :data:`ROLES` order), or None when one is not a role."""
    named = {part.strip().lower() for part in value.replace(" ", ",").split(",") if part.strip()}
    if not named or not named <= set(ROLES):
        return None
    return tuple(role for role in ROLES if role in named)


def issuance_date(value: str) -> datetime | None:
    """A date (midnight UTC of it) or a date-time with an offset, in UTC; None when it is neither."""
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.utcoffset() is None or not 1000 <= moment.year <= 2999:
        return None
    return moment.astimezone(UTC).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(moment: Moment) -> str:
    """A start or an end as an XML Schema date-time: a date alone as midnight UTC of that day."""
    if isinstance(moment, datetime):
        return _stamp(moment)
    return f"{moment.isoformat()}T00:00:00Z"


def signing_key(options: Mapping[str, str]) -> Ed25519PrivateKey:
    path = options.get("key")
    if path is None:
        raise MissingData(
            FORMAT,
            [
                "a signing key: --option key=FILE, an Ed25519 private key in PEM "
                "(python -m mastery_model_credentials new-key FILE makes one)"
            ],
        )
    try:
        return keys.load_key(path)
    except keys.KeyError_ as error:
        raise BadOptionValue(FORMAT, "key", path, str(error)) from None


def issued_at(event: Event, options: Mapping[str, str]) -> datetime:
    """The date of issue: the option, else the event's last modification, else its end (else start)."""
    given = options.get("issued")
    if given is not None:
        moment = issuance_date(given)
        assert moment is not None  # the option's check refused it otherwise
        return moment
    if event.modified is not None:
        return event.modified.astimezone(UTC).replace(microsecond=0)
    when = event.end or event.start
    if when is None:
        raise MissingData(
            FORMAT, [f"a date of issue for {event.name}: Event.modified, Event.end, or --option issued=DATE"]
        )
    if isinstance(when, datetime):
        return when.astimezone(UTC).replace(microsecond=0)
    return datetime.combine(when, time(), UTC)


# -- who, and in what role ----------------------------------------------------------------------


def contributions(event: Event) -> Iterator[Contribution]:
    """The event's own contributions, then its sessions', depth first."""
    yield from event.contributions
    for session in walk_sessions(event.sessions):
        yield from session.contributions


def people_by_role(event: Event, catalogue: Catalogue) -> dict[str, list[Person]]:
    """The people of the event's contributions, per role, each once, in the order they first
    appear (an organisation's contribution gets no credential: a badge is a person's)."""
    people = {person.id: person for person in catalogue.people}
    found: dict[str, dict[str, Person]] = {}
    for contribution in contributions(event):
        person = people.get(contribution.contributor)
        if person is not None:
            found.setdefault(contribution.role.value, {}).setdefault(person.id, person)
    return {role: list(found[role].values()) for role in ROLES if role in found}


# -- the issuer, the achievement, the credential --------------------------------------------------


def _language(event: Event) -> str:
    for tag in (*event.languages, event.name.language):
        if _LANGUAGE.fullmatch(tag):
            return tag
    return event.name.language


def organiser(event: Event, catalogue: Catalogue) -> Organisation:
    """The organisation that issues: the event's first organiser, with the URL a Profile shows."""
    if not event.organisers:
        raise MissingData(FORMAT, [f"Event.organisers of {event.name}: the organisation that issues the credentials"])
    first = event.organisers[0]
    found = next((organisation for organisation in catalogue.organisations if organisation.id == first), None)
    if found is None:
        raise MissingData(
            FORMAT,
            [f"an organisation as the first of Event.organisers of {event.name} (it is a person, {first}): the issuer"],
        )
    if found.url is None:
        raise MissingData(
            FORMAT,
            [
                f"Organisation.url of {found.name} ({found.id}), the organiser who issues the credentials: "
                "the issuer's Profile names its web address, which wallets show and verifiers check"
            ],
        )
    if len(event.organisers) > 1:
        warnings.warn(
            ExportWarning(
                f"{FORMAT} names the first organiser of {event.name} as the issuer and creator: "
                f"the other {len(event.organisers) - 1} have no place in Open Badges 3.0"
            ),
            stacklevel=2,
        )
    return found


def profile(organisation: Organisation, language: str, identifier: str) -> dict[str, Any]:
    """A Profile of the organisation, whose id is ``identifier`` (the issuer: its did:key)."""
    found: dict[str, Any] = {"id": identifier, "type": ["Profile"], "name": organisation.name.get(language)}
    found["url"] = organisation.url
    if identifier != organisation.id:
        found["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": organisation.id, "identifierType": "identifier"}
        ]
    return found


def achievement_id(event: Event, role: str) -> str:
    """The achievement's id: the same for an event and role on every export."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'achievement {event.id} {role}')}"


def _dates(event: Event) -> str:
    if event.start is None:
        return ""
    start = event.start.date() if isinstance(event.start, datetime) else event.start
    end = event.end.date() if isinstance(event.end, datetime) else event.end
    return f" on {start.isoformat()}" if end in (None, start) else f" from {start.isoformat()} to {end.isoformat()}"


def achievement(event: Event, catalogue: Catalogue, role: str, creator: dict[str, Any]) -> dict[str, Any]:
    """The achievement of ``role`` at the event."""
    language = _language(event)
    title, deed = _TITLES[role]
    name = event.name.get(language)
    mode = event.attendance_mode.value if event.attendance_mode else None
    narrative = [f"Awarded to a person who {deed} {name}{_dates(event)}" + (f" ({mode})." if mode else ".")]
    found: dict[str, Any] = {
        "id": achievement_id(event, role),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": f"{title}: {name}",
        "description": event.description.get(language) if event.description else f"{title} at {name}.",
    }
    elements = microcredentials.Elements()
    if role == PARTICIPANT:  # what a participant learnt: a speaker's credential is for their part, not for it
        offer = microcredentials.offer_of(event)
        elements = microcredentials.elements(offer, language, event.attendance_mode)
        if offer is not None:
            found["achievementType"] = "MicroCredential"
    found["criteria"] = {"narrative": "\n".join([*narrative, *elements.narrative])}
    if event.image is not None:
        found["image"] = {"id": event.image, "type": "Image"}
    found["inLanguage"] = language
    found["creator"] = creator
    topics = [topic for topic in event.topics if not re.fullmatch(r"https?://\S+", topic)]
    tags = list(dict.fromkeys([*topics, *event.keywords]))
    if tags:
        found["tag"] = tags
    alignments = [
        {"type": ["Alignment"], "targetName": topic, "targetUrl": topic, "targetType": "ext:Topic"}
        for topic in event.topics
        if re.fullmatch(r"https?://\S+", topic)
    ] + elements.alignments
    if alignments:
        found["alignment"] = alignments
    found.update(elements.fields)
    return found


def salt(key: Ed25519PrivateKey, email: str) -> str:
    """The salt of an address's hash: HMAC-SHA256 keyed with the issuer's secret, 16 bytes in hex."""
    message = _SALT_LABEL + participants.normalised(email).encode("utf-8")
    return hmac.new(keys.private_bytes(key), message, hashlib.sha256).hexdigest()[: 2 * SALT_BYTES]


def identity_hash(email: str, salt_text: str) -> str:
    """Open Badges' IdentityHash: ``sha256$`` and the hex SHA-256 of the address and the salt."""
    return "sha256$" + hashlib.sha256((participants.normalised(email) + salt_text).encode("utf-8")).hexdigest()


def _name_identity(name: str) -> dict[str, Any]:
    return {"type": "IdentityObject", "identityHash": name, "identityType": "name", "hashed": False}


def credential(
    event: Event,
    role: str,
    awarded: dict[str, Any],
    issuer: dict[str, Any],
    issued: datetime,
    subject: dict[str, Any],
    recipient: str,
) -> dict[str, Any]:
    """The unsigned credential of ``awarded`` (an achievement) to ``subject``; ``recipient``
    (an id or an identity hash, nothing private) makes its id."""
    subject = {**subject, "type": ["AchievementSubject"], "achievement": awarded, "role": role}
    if event.start is not None:
        subject["activityStartDate"] = _moment(event.start)
    if event.end is not None:
        subject["activityEndDate"] = _moment(event.end)
    return {
        "@context": [proofs.VC_CONTEXT, proofs.OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid5(NAMESPACE, 'credential ' + awarded['id'] + ' ' + recipient)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": awarded["name"],
        "issuer": issuer,
        "validFrom": _stamp(issued),
        "credentialSubject": subject,
    }


def issue(
    catalogue: Catalogue, key: Ed25519PrivateKey, options: Mapping[str, str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each signed credential with its file name, one at a time (nothing is kept between them)."""
    roles = parse_roles(options["roles"]) if "roles" in options else ROLES
    assert roles is not None  # the option's check refused it otherwise
    listed = options.get("participants")
    if listed is not None and PARTICIPANT not in roles:
        raise BadOptionValue(
            FORMAT, "roles", options["roles"], f"{ROLES_EXPECTED}, participant among them with a participants list"
        )
    if listed is not None and len(catalogue.events) > 1:
        raise BadOptionValue(
            FORMAT,
            "participants",
            listed,
            f"the list of one event's participants, and the catalogue holds {len(catalogue.events)} events",
        )
    if listed is None and "roles" in options and roles == (PARTICIPANT,):
        raise MissingData(FORMAT, ["the participants' list: --option participants=FILE (a CSV of name and email)"])
    did = keys.did_key(key)
    plans = []
    for event in catalogue.events:  # everything an event lacks is said before anything is signed
        language = _language(event)
        organisation = organiser(event, catalogue)
        plans.append(
            (
                event,
                issued_at(event, options),
                profile(organisation, language, did),
                profile(organisation, language, organisation.id),
            )
        )
    for event, issued, issuer, creator in plans:
        created = _stamp(issued)
        for role, people in people_by_role(event, catalogue).items():
            if role not in roles:
                continue
            awarded = achievement(event, catalogue, role, creator)
            for person in people:
                subject = {"id": person.id, "identifier": [_name_identity(person.name)]}
                unsigned = credential(event, role, awarded, issuer, issued, subject, person.id)
                yield f"{role}-{unsigned['id'].removeprefix('urn:uuid:')}.json", proofs.sign(unsigned, key, created)
        if listed is not None:
            awarded = achievement(event, catalogue, PARTICIPANT, creator)
            for participant in participants.read(listed):
                salted = salt(key, participant.email)
                hashed = identity_hash(participant.email, salted)
                email = {
                    "type": "IdentityObject",
                    "identityHash": hashed,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salted,
                }
                subject = {"identifier": [email, _name_identity(participant.name)]}
                unsigned = credential(event, PARTICIPANT, awarded, issuer, issued, subject, hashed)
                yield (
                    f"{PARTICIPANT}-{unsigned['id'].removeprefix('urn:uuid:')}.json",
                    proofs.sign(unsigned, key, created),
                )


def write_folder(catalogue: Catalogue, folder: Path, options: Mapping[str, str]) -> None:
    """Each credential into ``folder`` (the library's scratch folder: put in place only when every
    one is written), as soon as it is made."""
    key = signing_key(options)
    written = 0
    for name, signed in issue(catalogue, key, options):
        (folder / name).write_bytes(orjson.dumps(signed, option=orjson.OPT_INDENT_2) + b"\n")
        written += 1
    if written == 0:
        raise MissingData(
            FORMAT, ["a person to issue for: a contribution in a role asked for, or a participants' list"]
        )
