"""The participants' list (outside input: round trips and hostile bytes) and the issuer's key."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tracemalloc

import base58
import pytest
from credentials_support import event_catalogue, key_file
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st
from mastery_model_credentials import issuing, keys, participants

import mastery_model

_NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), min_size=1, max_size=40).filter(
    lambda name: name.strip() == name and name
)
_LOCAL = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789._+-ÄéЖ"), min_size=1, max_size=20)
_ADDRESSES = st.builds(
    lambda local, domain: f"{local}@{domain}.org", _LOCAL, st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)
)


@given(st.lists(st.tuples(_NAMES, _ADDRESSES), max_size=8, unique_by=lambda row: row[1].lower()))
def test_a_list_written_as_spreadsheets_write_it_reads_back(rows):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Email", "Name", "Notes"])
    for name, email in rows:
        writer.writerow([email, name, "=1+1"])
    read = participants.parse("\ufeff" + buffer.getvalue() if rows else buffer.getvalue())
    assert [(p.name, p.email) for p in read] == rows


@given(st.binary(max_size=300))
def test_any_bytes_give_participants_or_a_clear_error(data):
    try:
        read = participants.parse(data.decode("utf-8", errors="surrogateescape"))
    except participants.BadParticipants as error:
        said = str(error)
        read = []
    else:
        said = "<participants>"
    assert said.startswith("<participants>")
    assert all(p.name and "@" in p.email for p in read)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "is empty"),
        ("name,mail\nA,a@example.org\n", "has no column email"),
        ("name,email\nA,a@example.org\nB,A@EXAMPLE.ORG\n", "line 3: the email is on an earlier line too"),
        ("name,email\n,a@example.org\n", "line 2: the name is empty"),
        ("name,email\nA\n", "line 2: the row has 1 cells"),
        ("name,email\nA\u0007,a@example.org\n", "line 2: the name holds a control character"),
        ('name,email\n"A,a@example.org\n', "not CSV"),
    ],
)
def test_what_cannot_be_used_is_said_with_its_line(text, said):
    with pytest.raises(participants.BadParticipants, match=said):
        participants.parse(text)


def test_a_file_that_is_not_utf8_is_said(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,email\nJosé,jose@example.org\n".encode("latin-1"))
    with pytest.raises(participants.BadParticipants, match="not UTF-8"):
        list(participants.read(path))


# -- keys -------------------------------------------------------------------------------------


def test_the_did_key_of_the_specifications_test_key():
    """The key of the test vectors of VC Data Integrity EdDSA Cryptosuites v1.0."""
    secret = keys.from_multibase("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
    assert secret[:2] == b"\x80\x26"  # the multicodec of an Ed25519 private key
    key = Ed25519PrivateKey.from_private_bytes(secret[2:])
    assert keys.did_key(key) == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert keys.public_key_of(keys.verification_method(key)) == key.public_key()


@given(st.binary(max_size=64))
def test_multibase_round_trips_and_is_base58btc(data):
    text = keys.multibase(data)
    assert text == "z" + base58.b58encode(data, alphabet=base58.BITCOIN_ALPHABET).decode()
    assert keys.from_multibase(text) == data


def test_a_key_made_by_openssl_is_read(tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    subprocess.run([openssl, "genpkey", "-algorithm", "ed25519", "-out", str(tmp_path / "k.pem")], check=True)
    assert keys.did_key(keys.load_key(tmp_path / "k.pem")).startswith("did:key:z6Mk")
    subprocess.run([openssl, "genpkey", "-algorithm", "x25519", "-out", str(tmp_path / "x.pem")], check=True)
    with pytest.raises(keys.KeyError_, match="another kind"):
        keys.load_key(tmp_path / "x.pem")


def test_new_key_prints_the_did_and_never_replaces_a_file(tmp_path):
    command = [sys.executable, "-m", "mastery_model_credentials", "new-key", str(tmp_path / "k.pem")]
    made = subprocess.run(command, capture_output=True, text=True, check=True)
    assert made.stdout.strip() == keys.did_key(keys.load_key(tmp_path / "k.pem"))
    assert (tmp_path / "k.pem").stat().st_mode & 0o077 == 0
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 2
    assert "never replaced" in again.stderr


# -- bounded memory ---------------------------------------------------------------------------


def _peak(tmp_path, count: int) -> int:
    listed = tmp_path / f"p{count}.csv"
    listed.write_text("name,email\n" + "".join(f"P {i},p{i}@example.org\n" for i in range(count)), encoding="utf-8")
    options = {"key": str(key_file(tmp_path)), "participants": str(listed), "roles": "participant"}
    key = issuing.signing_key(options)
    tracemalloc.start()
    try:
        made = sum(1 for _ in issuing.issue(event_catalogue(), key, options))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert made == count
    return peak


def test_memory_stays_that_of_one_credential_as_the_list_grows(tmp_path):
    _peak(tmp_path, 5)  # contexts and caches loaded
    small, large = _peak(tmp_path, 20), _peak(tmp_path, 120)
    # 100 more credentials (each over 3 kB as JSON, far more as objects) add little: a digest each
    assert large - small < 100 * 1024, (small, large)


def test_the_sample_itself_has_no_organiser_url():
    """Why the demonstration gives it one (make demo): an issuer needs it."""
    sample = mastery_model.sample()
    [organiser] = [o for o in sample.organisations if o.id == sample.events[0].organisers[0]]
    assert organiser.url is None
