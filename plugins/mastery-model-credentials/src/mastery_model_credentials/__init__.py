"""Signed Open Badges 3.0 credentials for mastery-model: the exporter ``openbadges``.

This module registers the format; ``issuing`` (and cryptography and pyld with it) loads on the
first write, so that a command that uses another format never pays for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mastery_model import Exporter, Option, hookimpl

if TYPE_CHECKING:
    from mastery_model import Catalogue, Options

FORMAT = "openbadges"
TITLE = "Open Badges 3.0 credentials, signed (eddsa-rdfc-2022), one JSON file per person and role"


def _issued(value: str) -> str | None:
    from mastery_model_credentials import issuing

    return None if issuing.issuance_date(value) is not None else issuing.ISSUED_EXPECTED


def _roles(value: str) -> str | None:
    from mastery_model_credentials import issuing

    return None if issuing.parse_roles(value) is not None else issuing.ROLES_EXPECTED


def write_folder(catalogue: Catalogue, folder: Path, options: Options) -> None:
    from mastery_model_credentials import issuing

    issuing.write_folder(catalogue, folder, options)


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    return [
        Exporter(
            FORMAT,
            TITLE,
            "application/vc+ld+json",
            ".zip",
            write_folder=write_folder,
            options=(
                Option("key", "the issuer's signing key: a PEM file (PKCS #8) of an Ed25519 private key"),
                Option("participants", "a CSV file (UTF-8) with the columns name and email: one credential each"),
                Option(
                    "issued",
                    "the date of issue (YYYY-MM-DD, or a date-time with its offset); else the event's modified, or end",
                    check=_issued,
                ),
                Option(
                    "roles",
                    "the roles to issue for, separated by commas (speaker, panellist, moderator, facilitator, "
                    "rapporteur, host, participant); else every role",
                    check=_roles,
                ),
            ),
        )
    ]
