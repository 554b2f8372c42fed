"""What is issued: a credential per person, event and role; achievements whose ids stay; the issuer
the organiser; the same bytes on every export; what the standard's schema and JSON-LD accept."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from credentials_support import (
    ORGANISER_URL,
    OTHER_SEED,
    PARTICIPANTS,
    event_catalogue,
    export,
    fixture_json,
    fixture_path,
    key_file,
    participants_file,
)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mastery_model_credentials import issuing, keys, proofs

import mastery_model
from mastery_model import Contribution, MissingData, Role
from mastery_model.problems import BadOptionValue


@pytest.fixture
def issued(tmp_path: Path) -> dict[str, dict[str, Any]]:
    listed = participants_file(tmp_path, PARTICIPANTS)
    return export(
        event_catalogue(), tmp_path / "out", key=str(key_file(tmp_path)), participants=str(listed), issued="2024-10-16"
    )


def _by_role(credentials: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for credential in credentials.values():
        found.setdefault(credential["credentialSubject"]["role"], []).append(credential)
    return found


def test_one_credential_per_person_and_role(issued):
    catalogue = event_catalogue()
    people = {person.id for person in catalogue.people}
    speakers = {
        c.contributor
        for s in mastery_model.model.walk_sessions(catalogue.events[0].sessions)
        for c in s.contributions
        if c.role is mastery_model.Role.SPEAKER and c.contributor in people
    }
    by_role = _by_role(issued)
    assert sorted(by_role) == ["facilitator", "moderator", "participant", "speaker"]
    assert {c["credentialSubject"]["id"] for c in by_role["speaker"]} == speakers
    assert len(by_role["speaker"]) == len(speakers) == 5  # one spoke twice: one credential
    assert len(by_role["moderator"]) == 1
    assert len(by_role["facilitator"]) == 1  # the organisation facilitating gets none
    assert len(by_role["participant"]) == len(PARTICIPANTS)
    # the first speaker moderates too: a credential for each role
    moderator = by_role["moderator"][0]["credentialSubject"]["id"]
    assert moderator in {c["credentialSubject"]["id"] for c in by_role["speaker"]}
    assert all(name.startswith(c["credentialSubject"]["role"] + "-") for name, c in issued.items())


def test_every_credential_is_valid_against_the_standards_json_schema(issued):
    schema = fixture_json("openbadges/ob_v3p0_achievementcredential_schema.json")
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    for name, credential in issued.items():
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)]
        assert errors == [], name
    # the schema does check: a credential without its issuer fails
    broken = dict(next(iter(issued.values())))
    del broken["issuer"]
    assert not validator.is_valid(broken)


def _fixture_loader(url: str, options: Any = None) -> dict[str, Any]:
    """The contexts as the shared fixtures hold them (not this package's copies)."""
    files = {
        proofs.VC_CONTEXT: "openbadges/credentials-v2-context.jsonld",
        proofs.OB_CONTEXT: "openbadges/ob-context-3.0.3.json",
    }
    return {"contextUrl": None, "documentUrl": url, "document": fixture_json(files[url])}


def test_the_shipped_contexts_are_the_published_ones():
    for url, name in proofs.CONTEXTS.items():
        assert proofs.context_document(url) == _fixture_loader(url)["document"], name


def test_pyld_expands_every_credential_without_dropping_a_term(issued):
    from pyld import jsonld

    for name, credential in issued.items():
        dropped: list[str | None] = []
        expanded = jsonld.expand(credential, {"documentLoader": _fixture_loader}, on_property_dropped=dropped.append)
        assert dropped == [], name
        text = json.dumps(expanded)
        assert '"@type": ["' in text
        assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#" in text
    # the check can fail: a term of no context is dropped
    dropped = []
    jsonld.expand(
        {**credential, "colour": "red"}, {"documentLoader": _fixture_loader}, on_property_dropped=dropped.append
    )
    assert dropped == ["colour"]


def test_achievements_are_the_same_on_every_export_and_per_event_and_role(tmp_path, issued):
    again = export(event_catalogue(), tmp_path / "again", key=str(key_file(tmp_path, OTHER_SEED)), roles="speaker")
    ids = {c["credentialSubject"]["role"]: c["credentialSubject"]["achievement"]["id"] for c in issued.values()}
    assert len(set(ids.values())) == len(ids)  # one per role
    event = event_catalogue().events[0]
    assert ids == {role: issuing.achievement_id(event, role) for role in ids}
    assert {c["credentialSubject"]["achievement"]["id"] for c in again.values()} == {ids["speaker"]}


def test_the_same_inputs_give_the_same_bytes(tmp_path):
    listed = participants_file(tmp_path, PARTICIPANTS)
    options = {"key": str(key_file(tmp_path)), "participants": str(listed)}
    first, second = tmp_path / "first", tmp_path / "second"
    export(event_catalogue(), first, **options)
    export(event_catalogue(), second, **options)
    names = sorted(path.name for path in first.glob("*"))
    assert names == sorted(path.name for path in second.glob("*"))
    assert len(names) > 5
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in names)


def test_the_issuer_is_the_organiser_named_by_the_keys_did(issued, tmp_path):
    did = keys.did_key(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
    for credential in issued.values():
        issuer = credential["issuer"]
        assert issuer["id"] == did
        assert issuer["name"] == "MASTERY"
        assert issuer["url"] == ORGANISER_URL
        assert credential["proof"][0]["verificationMethod"] == f"{did}#{did.removeprefix('did:key:')}"
        assert credential["credentialSubject"]["achievement"]["creator"]["url"] == ORGANISER_URL


def test_the_events_dates_language_and_topics_are_carried(issued):
    credential = next(c for c in issued.values() if c["credentialSubject"]["role"] == "speaker")
    subject = credential["credentialSubject"]
    assert subject["activityStartDate"] == "2024-10-15T00:00:00Z"
    assert subject["activityEndDate"] == "2024-10-15T00:00:00Z"
    achievement = subject["achievement"]
    assert achievement["inLanguage"] == "en"
    assert achievement["tag"] == list(event_catalogue().events[0].topics)
    assert achievement["name"].startswith("Speaker: Greening the Future")
    assert "spoke at Greening the Future" in achievement["criteria"]["narrative"]
    assert credential["validFrom"] == credential["proof"][0]["created"] == "2024-10-16T00:00:00Z"


def test_without_an_issue_date_the_events_end_dates_it(tmp_path):
    credentials = export(event_catalogue(), tmp_path / "out", key=str(key_file(tmp_path)))
    assert {c["proof"][0]["created"] for c in credentials.values()} == {"2024-10-15T00:00:00Z"}


def test_participants_are_named_by_a_salted_hash_never_their_address(issued, tmp_path):
    secret = bytes(range(32))
    participants_ = [c for c in issued.values() if c["credentialSubject"]["role"] == "participant"]
    written = b"".join(path.read_bytes() for path in (tmp_path / "out").rglob("*") if path.is_file())
    for who, email in PARTICIPANTS:
        for form in (email, email.lower(), *[email.split("@")[0]] * (len(email.split("@")[0]) > 3)):
            assert form.encode() not in written
        salt = hmac.new(secret, b"mastery-model-credentials identity salt\x00" + email.lower().encode(), "sha256")
        salt_text = salt.hexdigest()[:32]
        expected = "sha256$" + hashlib.sha256((email.lower() + salt_text).encode()).hexdigest()
        [credential] = [c for c in participants_ if c["credentialSubject"]["identifier"][1]["identityHash"] == who]
        identity = credential["credentialSubject"]["identifier"][0]
        assert identity == {
            "type": "IdentityObject",
            "identityHash": expected,
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt_text,
        }
        assert "id" not in credential["credentialSubject"]


def test_another_key_gives_another_salt(tmp_path):
    one = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    other = Ed25519PrivateKey.from_private_bytes(OTHER_SEED)
    assert issuing.salt(one, "a@example.org") != issuing.salt(other, "a@example.org")
    assert issuing.salt(one, "a@example.org") == issuing.salt(one, " A@Example.org ")
    assert issuing.salt(one, "a@example.org") != issuing.salt(one, "b@example.org")


def test_every_credential_verifies_and_an_altered_one_does_not(issued):
    for credential in issued.values():
        assert proofs.verify(credential)
        altered = json.loads(json.dumps(credential))
        altered["credentialSubject"]["achievement"]["name"] += "!"
        assert not proofs.verify(altered)
        other = json.loads(json.dumps(credential))
        other["validFrom"] = "2020-01-01T00:00:00Z"
        assert not proofs.verify(other)


def test_an_organiser_without_a_url_is_refused_naming_it(tmp_path):
    with pytest.raises(MissingData, match=r"Organisation\.url of MASTERY \(urn:uuid:"):
        export(event_catalogue(organiser_url=None), tmp_path / "out", key=str(key_file(tmp_path)))
    assert not (tmp_path / "out").exists()


def test_an_organiser_who_is_a_person_is_refused(tmp_path):
    catalogue = event_catalogue()
    event = attrs.evolve(catalogue.events[0], organisers=(catalogue.people[0].id,))
    with pytest.raises(MissingData, match="it is a person"):
        export(attrs.evolve(catalogue, events=(event,)), tmp_path / "out", key=str(key_file(tmp_path)))


def test_a_missing_or_unusable_key_is_said(tmp_path):
    with pytest.raises(MissingData, match="a signing key: --option key=FILE"):
        export(event_catalogue(), tmp_path / "out")
    (tmp_path / "not.pem").write_text("not a key")
    with pytest.raises(BadOptionValue, match="holds no such key"):
        export(event_catalogue(), tmp_path / "out", key=str(tmp_path / "not.pem"))
    with pytest.raises(BadOptionValue, match="cannot be read"):
        export(event_catalogue(), tmp_path / "out", key=str(tmp_path / "absent.pem"))


def test_bad_options_are_refused(tmp_path):
    key = str(key_file(tmp_path))
    with pytest.raises(BadOptionValue, match="roles"):
        export(event_catalogue(), tmp_path / "out", key=key, roles="keynote")
    with pytest.raises(BadOptionValue, match="issued"):
        export(event_catalogue(), tmp_path / "out", key=key, issued="yesterday")
    with pytest.raises(BadOptionValue, match="participant among them"):
        export(event_catalogue(), tmp_path / "out", key=key, roles="speaker", participants=str(tmp_path / "x.csv"))


def _cli(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "mastery-model"), *arguments]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_the_command_line_says_what_is_missing_without_a_traceback(tmp_path):
    mastery_model.dump(event_catalogue(organiser_url=None), tmp_path / "event.jsonld")
    key = key_file(tmp_path)
    result = _cli("export", "event.jsonld", "--to", "openbadges", "--option", f"key={key}", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "Organisation.url of MASTERY" in result.stderr
    assert "Traceback" not in result.stderr
    result = _cli(
        "export", "event.jsonld", "--to", "openbadges", "--option", "key=absent.pem", "-o", "out", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "the option key is" in result.stderr
    assert "Traceback" not in result.stderr
    mastery_model.dump(event_catalogue(), tmp_path / "good.jsonld")
    (tmp_path / "bad.csv").write_text("name,email\nAda,not-an-address\n", encoding="utf-8")
    options = ["--option", f"key={key}", "--option", "participants=bad.csv"]
    result = _cli("export", "good.jsonld", "--to", "openbadges", *options, "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "bad.csv, line 2: the email is not an e-mail address" in result.stderr
    assert "not-an-address" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_export_to_all_skips_the_format_with_its_reason(tmp_path):
    written = mastery_model.export_all(event_catalogue(), tmp_path / "all")
    [openbadges] = [result for result in written if result.format == "openbadges"]
    assert openbadges.path is None
    assert "a signing key" in (openbadges.reason or "")


def test_importing_the_plugin_loads_neither_pyld_nor_cryptography():
    code = (
        "import sys, mastery_model_credentials; print(sorted(m for m in ('pyld', 'cryptography') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_full_example_of_the_standard_passes_the_schema_used_here():
    """The schema fixture is the standard's: its own minimal example passes it."""
    schema = fixture_json("openbadges/ob_v3p0_achievementcredential_schema.json")
    example = json.loads(fixture_path("openbadges/ob-minimal-example.json").read_text())
    jsonschema.Draft201909Validator(schema).validate(example)


def test_a_host_named_by_the_event_itself_gets_a_credential(tmp_path):
    catalogue = event_catalogue()
    (event,) = catalogue.events
    host = catalogue.people[-1].id
    with_host = attrs.evolve(event, contributions=(Contribution(host, Role.HOST),))
    issued = export(attrs.evolve(catalogue, events=(with_host,)), tmp_path / "out", key=str(key_file(tmp_path)))
    assert [c["credentialSubject"]["id"] for c in _by_role(issued)["host"]] == [host]
    assert "host" not in _by_role(export(catalogue, tmp_path / "without", key=str(key_file(tmp_path))))
