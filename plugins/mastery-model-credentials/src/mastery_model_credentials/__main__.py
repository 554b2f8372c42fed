"""``python -m mastery_model_credentials``: the issuer's key and a check of credentials.

- ``new-key FILE``: a new Ed25519 key, written to FILE (PEM, PKCS #8; never over a file already
  there); prints the issuer's did:key, which wallets and verifiers name the issuer by.
- ``did FILE``: prints the did:key of the key in FILE.
- ``verify FILE...``: checks each credential's proof, offline; exits 1 when one fails.
- ``demo-event FILE``: writes the library's sample webinar with a placeholder web address
  (:data:`DEMO_URL`) for its organiser, which the sample lacks and an issuer needs (``make demo``).

Exit codes as the library's command: 0 done, 1 a credential that does not verify or a file that
cannot be read, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from mastery_model import Catalogue

#: The organiser's web address in the demonstration: a reserved example domain, never a real issuer's.
DEMO_URL = "https://example.org/mastery-project"


def demo_catalogue() -> Catalogue:
    """The sample webinar, its organiser given :data:`DEMO_URL`."""
    import attrs

    import mastery_model

    sample = mastery_model.sample()
    first = sample.events[0].organisers[0]
    organisations = tuple(
        attrs.evolve(organisation, url=DEMO_URL) if organisation.id == first else organisation
        for organisation in sample.organisations
    )
    return attrs.evolve(sample, organisations=organisations)


def write_demo_event(path: str) -> None:
    """:func:`demo_catalogue` as a JSON-LD file at ``path``."""
    import mastery_model

    mastery_model.dump(demo_catalogue(), path)


def main(argv: Sequence[str] | None = None) -> int:
    from mastery_model_credentials import keys, proofs

    parser = argparse.ArgumentParser(prog="python -m mastery_model_credentials", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    made = commands.add_parser("new-key", help="make a new Ed25519 key and print its did:key")
    made.add_argument("file")
    named = commands.add_parser("did", help="print the did:key of a key")
    named.add_argument("file")
    demo = commands.add_parser(
        "demo-event", help="write the sample webinar with a placeholder address for its organiser"
    )
    demo.add_argument("file")
    checked = commands.add_parser("verify", help="check the proof of each credential")
    checked.add_argument("files", nargs="+", metavar="FILE")
    arguments = parser.parse_args(argv)
    if arguments.command == "new-key":
        try:
            key = keys.new_key(arguments.file)
        except FileExistsError:
            print(f"{parser.prog}: {arguments.file} is there already: a key is never replaced", file=sys.stderr)
            return 2
        except OSError as error:
            print(f"{parser.prog}: cannot write {arguments.file}: {error.strerror or error}", file=sys.stderr)
            return 1
        print(keys.did_key(key))
        return 0
    if arguments.command == "did":
        try:
            print(keys.did_key(keys.load_key(arguments.file)))
        except keys.KeyError_ as error:
            print(f"{parser.prog}: the key is {error}", file=sys.stderr)
            return 1
        return 0
    if arguments.command == "demo-event":
        write_demo_event(arguments.file)
        print(f"wrote {arguments.file} (its organiser's address is a placeholder: {DEMO_URL})")
        return 0
    failed = 0
    for name in arguments.files:
        try:
            with open(name, "rb") as stream:
                credential = orjson.loads(stream.read())
        except (OSError, orjson.JSONDecodeError) as error:
            print(f"{name}: cannot be read as JSON ({error})", file=sys.stderr)
            failed += 1
            continue
        good = isinstance(credential, dict) and proofs.verify(credential)
        print(f"{name}: {'verified' if good else 'NOT verified'}")
        failed += not good
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
