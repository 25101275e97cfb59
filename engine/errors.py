"""The configuration error type, apart from ``engine.config`` so that what config reads (the data
module, the datasets) can raise it without an import circle."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration value that is not allowed; the message says what is."""
