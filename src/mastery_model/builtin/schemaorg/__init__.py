"""The ``schemaorg`` format: schema.org Event markup for web pages, written and read."""

from mastery_model.builtin.schemaorg.reading import mastery_model_importers
from mastery_model.builtin.schemaorg.writing import mastery_model_exporters

__all__ = ["mastery_model_exporters", "mastery_model_importers"]
