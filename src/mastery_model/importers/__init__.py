"""The built-in importers, each a plugin like any other (see ``mastery_model.plugins``)."""
