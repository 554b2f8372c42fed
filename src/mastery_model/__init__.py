"""mastery-model: a typed, validated model of educational events, exchanged as JSON-LD.

>>> import mastery_model
>>> catalogue = mastery_model.sample()
>>> str(catalogue.events[0].name)
'Greening the Future: Micro-Credentials Empowering Sustainable Skills'
"""

# The names below are imported on first use (PEP 562): importing the package costs next to
# nothing, so that the command line is ready to handle Ctrl-C before its dependencies load, and a
# call loads only the modules behind the names it uses.

import sys as _sys

# Not typing's (importing typing would cost more than the rest of this module): type checkers take
# any name TYPE_CHECKING to be true. It is deleted below, being no public name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType as _ModuleType

    from mastery_model.builtin.jsonld.document import dump, dumps, loads
    from mastery_model.embedded import sample, sample_bytes, write_sample
    from mastery_model.exporting import export, export_all, export_file, write_template
    from mastery_model.identity import mint
    from mastery_model.importing import load, validate
    from mastery_model.inputs import export_all_input, export_input, read_input, validate_inputs
    from mastery_model.listing import formats
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
        CredentialOffer,
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
    from mastery_model.outlining import outline, summary
    from mastery_model.plugins import installed
    from mastery_model.plugins.hookspecs import hookimpl
    from mastery_model.plugins.records import (
        Exporter,
        Importer,
        Option,
        Options,
        absolute_url,
        language_tag,
        language_tags,
        single_line,
        time_zone,
    )
    from mastery_model.problems import (
        EmptySelection,
        ExportWarning,
        InvalidDocument,
        MasteryError,
        MissingData,
        Problem,
        ReadWarning,
        Report,
        UsageError,
        json_report,
        left_unread,
        printable,
    )
    from mastery_model.published import SCHEMA_VERSION
    from mastery_model.reading import Origin, Origins, read_document
    from mastery_model.selection import Selection
    from mastery_model.vocabulary import left_out

    __version__: str
else:
    _ModuleType = type(_sys)  # types.ModuleType, without importing types

#: Where each public name is defined.
_MODULES = {
    **dict.fromkeys(("dump", "dumps", "loads"), "builtin.jsonld.document"),
    **dict.fromkeys(("Origin", "Origins", "read_document"), "reading"),
    **dict.fromkeys(("sample", "sample_bytes", "write_sample"), "embedded"),
    **dict.fromkeys(("export", "export_all", "export_file", "write_template"), "exporting"),
    "formats": "listing",
    **dict.fromkeys(("export_all_input", "export_input", "read_input", "validate_inputs"), "inputs"),
    **dict.fromkeys(("outline", "summary"), "outlining"),
    "installed": "plugins",
    "SCHEMA_VERSION": "published",
    **dict.fromkeys(
        (
            "Exporter",
            "Importer",
            "Option",
            "Options",
            "absolute_url",
            "language_tag",
            "language_tags",
            "left_out",
            "single_line",
            "time_zone",
        ),
        "plugins.records",
    ),
    "hookimpl": "plugins.hookspecs",
    "mint": "identity",
    "left_out": "vocabulary",
    **dict.fromkeys(("load", "validate"), "importing"),
    **dict.fromkeys(
        (
            "EUROPE",
            "MAX_SESSION_DEPTH",
            "Address",
            "Attendance",
            "AttendanceMode",
            "Audience",
            "Campaign",
            "Catalogue",
            "Contribution",
            "CredentialOffer",
            "Document",
            "Event",
            "ExternalId",
            "Organisation",
            "OrganisationKind",
            "Person",
            "Place",
            "Qualifier",
            "Recommendation",
            "Role",
            "Session",
            "SessionKind",
            "Status",
            "Text",
            "VirtualLocation",
        ),
        "model",
    ),
    **dict.fromkeys(
        (
            "ExportWarning",
            "InvalidDocument",
            "MasteryError",
            "MissingData",
            "Problem",
            "ReadWarning",
            "Report",
            "UsageError",
            "json_report",
            "left_unread",
            "printable",
        ),
        "problems",
    ),
    **dict.fromkeys(("EmptySelection", "Selection"), "selection"),
}

__all__ = [
    "EUROPE",
    "MAX_SESSION_DEPTH",
    "SCHEMA_VERSION",
    "Address",
    "Attendance",
    "AttendanceMode",
    "Audience",
    "Campaign",
    "Catalogue",
    "Contribution",
    "CredentialOffer",
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
    "Options",
    "Organisation",
    "OrganisationKind",
    "Origin",
    "Origins",
    "Person",
    "Place",
    "Problem",
    "Qualifier",
    "ReadWarning",
    "Recommendation",
    "Report",
    "Role",
    "Selection",
    "Session",
    "SessionKind",
    "Status",
    "Text",
    "UsageError",
    "VirtualLocation",
    "__version__",
    "absolute_url",
    "dump",
    "dumps",
    "export",
    "export_all",
    "export_all_input",
    "export_file",
    "export_input",
    "formats",
    "hookimpl",
    "installed",
    "json_report",
    "language_tag",
    "language_tags",
    "left_out",
    "left_unread",
    "load",
    "loads",
    "mint",
    "outline",
    "printable",
    "read_document",
    "read_input",
    "sample",
    "sample_bytes",
    "single_line",
    "summary",
    "time_zone",
    "validate",
    "validate_inputs",
    "write_sample",
    "write_template",
]

if not TYPE_CHECKING:  # hidden from type checkers, which would take any misspelt name for one of these

    def __getattr__(name: str) -> object:
        if name == "__version__":
            from importlib.metadata import version

            value: object = version("mastery-model")
        elif name in _MODULES:
            from importlib import import_module

            value = getattr(import_module(f"mastery_model.{_MODULES[name]}"), name)
        else:  # a submodule, as the package imported eagerly would have it loaded (mastery_model.embedded)
            from importlib import import_module
            from importlib.util import find_spec

            if name.startswith("_") or find_spec(f"mastery_model.{name}") is None:
                raise AttributeError(f"module 'mastery_model' has no attribute {name!r}")
            value = import_module(f"mastery_model.{name}")
        globals()[name] = value  # found once; later look-ups do not come here
        return value

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(__all__))


class _Package(_ModuleType):
    """The package's module, which pickles by name (dask sends functions that use it by value)."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return __import__, (self.__name__,)  # by name, as pickle libraries treat plain modules


_sys.modules[__name__].__class__ = _Package
del TYPE_CHECKING
