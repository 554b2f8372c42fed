"""What documents name: the version of the published schemas and context, and their addresses.

Kept apart from ``schemas`` (which loads the files and the validators), so that what only names
them (``--version``, recognising a document) loads nothing else.
"""

#: The version of the schemas and the context; documents name it through their ``@context``.
SCHEMA_VERSION = "1.0.0"
BASE = "https://w3id.org/mastery-model/v1/"
CONTEXT_IRI = BASE + "context.jsonld"
DOCUMENT_SCHEMA_IRI = BASE + "catalogue.schema.json"
