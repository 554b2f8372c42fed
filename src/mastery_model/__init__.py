"""mastery-model: a typed, validated model of educational events, exchanged as JSON-LD.

>>> import mastery_model
>>> catalogue = mastery_model.sample()
>>> str(catalogue.events[0].name)
'Greening the Future: Micro-Credentials Empowering Sustainable Skills'
"""

from importlib.metadata import version as _version

from mastery_model.canonical import dump, dumps, loads, read_document
from mastery_model.embedded import sample
from mastery_model.exporting import ExportWarning, export, formats
from mastery_model.formats import Exporter, Importer, MissingData, Option
from mastery_model.identity import mint
from mastery_model.importing import load, validate
from mastery_model.model import (
    EUROPE,
    MAX_SESSION_DEPTH,
    Address,
    Attendance,
    AttendanceMode,
    Audience,
    Campaign,
    Catalogue,
    Contribution,
    Document,
    Event,
    ExternalId,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    Qualifier,
    Recommendation,
    Role,
    Session,
    SessionKind,
    Status,
    Text,
    VirtualLocation,
)
from mastery_model.problems import InvalidDocument, MasteryError, Problem, Report
from mastery_model.selection import EmptySelection, Selection

__version__ = _version("mastery-model")

__all__ = [
    "EUROPE",
    "MAX_SESSION_DEPTH",
    "Address",
    "Attendance",
    "AttendanceMode",
    "Audience",
    "Campaign",
    "Catalogue",
    "Contribution",
    "Document",
    "EmptySelection",
    "Event",
    "ExportWarning",
    "Exporter",
    "ExternalId",
    "Importer",
    "InvalidDocument",
    "MasteryError",
    "MissingData",
    "Option",
    "Organisation",
    "OrganisationKind",
    "Person",
    "Place",
    "Problem",
    "Qualifier",
    "Recommendation",
    "Report",
    "Role",
    "Selection",
    "Session",
    "SessionKind",
    "Status",
    "Text",
    "VirtualLocation",
    "__version__",
    "dump",
    "dumps",
    "export",
    "formats",
    "load",
    "loads",
    "mint",
    "read_document",
    "sample",
    "validate",
]
