"""The built-in exporters, each a plugin like any other (see ``mastery_model.plugins``)."""
