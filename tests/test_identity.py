"""Minted ids: deterministic, stable when sessions move or are added, never from private data."""

from __future__ import annotations

import copy
import re
import uuid

import orjson
from hypothesis import given
from hypothesis import strategies as st

import mastery_model
from mastery_model import identity, schemas
from mastery_model.model import walk_sessions

UUID_IRI = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _session(name: str, **more):
    return {"@type": "EducationEvent", "name": {"en": name}, **more}


def _document(sessions, people=()):
    event = {"@type": "EducationEvent", "name": {"en": "Webinar"}, "startDate": "2024-10-15"}
    if sessions:
        event["subEvent"] = list(sessions)
    return {"@context": schemas.CONTEXT_IRI, "@graph": [event, *people]}


def _ids(document) -> dict[str, str]:
    catalogue = mastery_model.loads(orjson.dumps(document))
    event = catalogue.events[0]
    found = {"event": event.id}
    found.update({str(session.name): session.id for session in walk_sessions(event.sessions)})
    found.update({person.name: person.id for person in catalogue.people})
    return found


def test_entities_without_ids_get_uuid5_iris():
    ids = _ids(_document([_session("Opening"), _session("Spain")]))
    assert all(UUID_IRI.match(value) for value in ids.values())
    assert len(set(ids.values())) == len(ids)


def test_minting_is_the_documented_uuid5_of_the_natural_key():
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/mastery-model/")
    key = "person\x1fgiulia alessandri"  # kind and normalised name, joined by the unit separator
    expected = f"urn:uuid:{uuid.uuid5(namespace, key)}"
    assert identity.mint("person", "Giulia  ALESSANDRI") == expected


@given(st.permutations(["Opening", "Spain", "Finland", "Italy", "Bulgaria"]), st.integers(0, 4))
def test_ids_do_not_change_when_sessions_are_reordered_or_added(order, insert_at):
    before = _ids(_document([_session(name) for name in ["Opening", "Spain", "Finland", "Italy", "Bulgaria"]]))
    names = list(order)
    names.insert(insert_at, "A new session")
    after = _ids(_document([_session(name) for name in names]))
    assert {name: after[name] for name in before} == before


def test_blank_node_ids_are_replaced_everywhere_they_are_used():
    person = {"@type": "Person", "@id": "_:giulia", "name": "Giulia Alessandri"}
    document = _document([_session("Findings", performer=[{"performer": "_:giulia", "roleName": "speaker"}])], [person])
    catalogue = mastery_model.loads(orjson.dumps(document))
    minted = catalogue.people[0].id
    assert minted == identity.mint("person", "Giulia Alessandri")
    assert catalogue.events[0].sessions[0].contributions[0].contributor == minted


def test_explicit_ids_are_kept():
    document = _document([_session("Opening", **{"@id": "https://example.org/opening"})])
    assert _ids(document)["Opening"] == "https://example.org/opening"


def test_a_collision_asks_for_an_explicit_id():
    document = _document([_session("Spain"), _session("Spain", description={"en": "the second group"})])
    report = mastery_model.validate(orjson.dumps(document))
    (problem,) = report.problems
    assert problem.pointer == "/@graph/0/subEvent/1"
    assert "explicit @id" in problem.message
    assert "/@graph/0/subEvent/0" in problem.message


def test_the_same_name_under_different_parents_gives_different_ids():
    groups = [_session("Day one", subEvent=[_session("Q&A")]), _session("Day two", subEvent=[_session("Q&A")])]
    catalogue = mastery_model.loads(orjson.dumps(_document(groups)))
    first, second = (group.sessions[0].id for group in catalogue.events[0].sessions)
    assert first != second


def test_a_dangling_blank_node_reference_is_reported():
    document = _document([_session("Opening", performer=[{"performer": "_:nobody", "roleName": "host"}])])
    (problem,) = mastery_model.validate(orjson.dumps(document)).problems
    assert problem.pointer == "/@graph/0/subEvent/0/performer/0/performer"
    assert problem.value == "_:nobody"


def test_loading_never_changes_the_callers_input():
    document = _document([_session("Opening")])
    data = orjson.dumps(document)
    kept = copy.deepcopy(document)
    mastery_model.loads(data)
    assert document == kept
    assert orjson.dumps(document) == data


def test_a_blank_node_id_given_to_two_entities_is_reported():
    people = [{"@type": "Person", "@id": "_:p", "name": "Ana"}, {"@type": "Person", "@id": "_:p", "name": "Eva"}]
    (problem,) = mastery_model.validate(orjson.dumps(_document([], people))).problems
    assert (problem.pointer, problem.value) == ("/@graph/2/@id", "_:p")
