"""What a schedule does not say and the reader takes, it says in a warning naming the option that
changes it: the zone of files that name none, the language of events that name none."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import mastery_model
from mastery_model import ReadWarning

NO_ZONE = (
    "frab: the schedule names no time zone (no <time_zone_name>): its times are read as UTC; "
    "if they are another zone's, give the option time-zone (--input-option time-zone=Europe/Brussels)"
)


def _warnings(path, **options: str) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadWarning)
        mastery_model.load(path, format="frab", **options)
    said = [str(warning.message) for warning in caught if warning.category is ReadWarning]
    return [message for message in said if "--input-option" in message]  # what it assumed; the rest: test_frab_unread


def test_a_schedule_naming_no_zone_and_no_languages_says_what_it_assumed(shared_fixture):
    assert _warnings(shared_fixture("frab/fosdem-2018.xml")) == [
        NO_ZONE,
        "frab: 689 of the schedule's events name no <language>: their texts are tagged 'und'; "
        "give the option language (--input-option language=en) if it is known",
    ]


def test_with_the_options_given_nothing_is_assumed(shared_fixture):
    path = shared_fixture("frab/fosdem-2018.xml")
    assert _warnings(path, **{"time-zone": "Europe/Brussels", "language": "en"}) == []


def test_a_schedule_that_says_its_zone_and_languages_reads_without_a_warning(shared_fixture):
    assert _warnings(shared_fixture("frab/fosdem-2025.xml")) == []


def test_the_command_line_gives_the_zone_to_the_reader_and_the_times_move(shared_fixture):
    path = str(shared_fixture("frab/fosdem-2018.xml"))

    def first_start(*options: str) -> tuple[str, str]:
        result = subprocess.run(
            [sys.executable, "-m", "mastery_model", "export", path, "--to", "ical", *options],
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(line for line in result.stdout.splitlines() if line.startswith("DTSTART;TZID="))
        return line, result.stderr

    assumed, said = first_start()
    given, quiet = first_start("--input-option", "time-zone=Europe/Brussels", "--input-option", "language=en")
    assert (assumed, given) == ("DTSTART;TZID=UTC:20180203T093000", "DTSTART;TZID=Europe/Brussels:20180203T093000")
    assert f"mastery-model: warning: {NO_ZONE}" in said.splitlines()
    assert "--input-option" not in quiet


def test_the_readmes_commands_run_as_written(tmp_path, shared_fixture):
    """Each `mastery-model` line of the README's shell blocks, in a folder holding the schedules it
    names (links to the shared fixtures) and an event document with its sessions' times (FOSDEM 2025's)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = [
        line.split("  #")[0].split()
        for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
        for line in block.splitlines()
        if line.startswith("mastery-model ")
    ]
    assert len(commands) >= 5, commands
    for name in ("fosdem-2018.xml", "fosdem-2025.xml"):
        (tmp_path / name).symlink_to(shared_fixture(f"frab/{name}"))
    mastery_model.dump(mastery_model.load(tmp_path / "fosdem-2025.xml"), tmp_path / "event.jsonld")
    for command in commands:
        result = subprocess.run(
            [sys.executable, "-m", "mastery_model", *command[1:]], capture_output=True, text=True, cwd=tmp_path
        )
        assert result.returncode == 0, (command, result.stderr)
    assert (tmp_path / "fosdem.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
