"""Conference schedule XML (frab, Pentabarf, pretalx, wafer) for mastery-model."""

from __future__ import annotations

from collections.abc import Sequence

from mastery_model import Exporter, Importer, Option, absolute_url, hookimpl, language_tag, time_zone
from mastery_model_frab.reading import DEFAULT_LANGUAGE, DEFAULT_TIME_ZONE, is_schedule, read
from mastery_model_frab.writing import write

#: What schedule XML has no element for. A session keeps its first topic (its track) and the people
#: among its contributors, without their roles; documents keep their title, link and type.
LEAVES_OUT = (
    *(f"Event.{field}" for field in ("description", "attendance_mode", "status", "organisers")),
    *(f"Event.{field}" for field in ("funders", "campaign", "audience", "keywords", "languages", "attendance")),
    "Event.modified",
    *(f"Session.{field}" for field in ("position", "status", "modified", "revision", "recommendations", "country")),
    "Contribution.role",
    *(f"Document.{field}" for field in ("language", "authors", "license")),
    *(f"Person.{field}" for field in ("given_name", "family_name", "job_title", "affiliations", "country")),
)
TITLE = "frab schedule XML, for conference apps (Giggity, ConfClerk, EventFahrplan, FOSDEM Companion)"


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    return [
        Exporter(
            "frab",
            TITLE,
            "application/xml",
            ".xml",
            write=write,
            leaves_out=LEAVES_OUT,
            options=(
                Option(
                    "language", "the language of the texts (a BCP 47 tag); else each text's default", check=language_tag
                ),
            ),
        )
    ]


@hookimpl
def mastery_model_importers() -> Sequence[Importer]:
    return [
        Importer(
            "frab",
            TITLE,
            ("application/xml", "text/xml"),
            (".xml",),
            sniff=is_schedule,
            read=read,
            options=(
                Option(
                    "time-zone",
                    f"the zone of times in files that name none (older frab files), an IANA name ({DEFAULT_TIME_ZONE})",
                    DEFAULT_TIME_ZONE,
                    check=time_zone,
                ),
                Option(
                    "language",
                    f"the language of the texts, a BCP 47 tag ({DEFAULT_LANGUAGE}: unknown)",
                    DEFAULT_LANGUAGE,
                    check=language_tag,
                ),
                Option(
                    "base-url",
                    "the address relative links are resolved against; else the conference's base_url",
                    check=absolute_url,
                ),
            ),
        )
    ]
