"""The hooks a plugin implements, documented the way pytest documents its own.

A plugin is a module (or an object) with functions marked ``@hookimpl``, registered under the
entry-point group ``mastery_model``::

    [project.entry-points.mastery_model]
    ical2 = "my_package.plugin"

Every hook here collects the results of all plugins; none stops at the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from mastery_model.plugins.records import Exporter, Importer

PROJECT = "mastery_model"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- formats -----------------------------------------------------------------------------------


@hookspec
def mastery_model_exporters() -> Sequence[Exporter]:
    """The exporters this plugin adds.

    :return: the plugin's :class:`~mastery_model.plugins.records.Exporter` records, each with a format
        name unique among all plugins. Two plugins claiming one name is an error naming both.

    Results of every plugin are collected.
    """
    raise NotImplementedError


@hookspec
def mastery_model_importers() -> Sequence[Importer]:
    """The importers this plugin adds.

    :return: the plugin's :class:`~mastery_model.plugins.records.Importer` records, each with a format
        name unique among the importers of all plugins.

    Results of every plugin are collected.
    """
    raise NotImplementedError
