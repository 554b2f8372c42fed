"""Validation says problems at pointers whose keys come from the vocabulary, never typed by hand."""

import ast
from pathlib import Path

from mastery_model import validation, vocabulary

# Keys that name things other than a document's field where validation writes them.
_NOT_FIELDS = {"@id", "@type"}


def _keys() -> set[str]:
    keys = set()
    for terms in vocabulary.TERMS.values():
        for term in terms:
            keys.update(key for key in (term.key, term.time_key) if key)
    return keys - _NOT_FIELDS


def test_no_document_key_is_typed_in_a_pointer() -> None:
    tree = ast.parse(Path(validation.__file__).read_text())
    keys = _keys()
    typed = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if any(f"/{key}" in text or text.startswith(f"{key}/") for key in keys):
                typed.append((node.lineno, text))
    assert typed == []
