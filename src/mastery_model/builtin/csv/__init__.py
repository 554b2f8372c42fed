"""The ``csv`` format: a folder of tables (or its zip archive) for spreadsheets, with CSV on the
Web metadata; ``tables`` says what the tables are, ``writing`` and ``reading`` the two directions."""

from mastery_model.builtin.csv.reading import mastery_model_importers
from mastery_model.builtin.csv.writing import mastery_model_exporters

__all__ = ["mastery_model_exporters", "mastery_model_importers"]
