"""The ``ical`` format: iCalendar, the event and its sessions for calendar apps."""

from mastery_model.builtin.ical.writing import mastery_model_exporters

__all__ = ["mastery_model_exporters"]
