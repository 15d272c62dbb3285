"""Typed errors. Library code raises these; only the CLI and the TUI turn them into messages.

Every message names the thing at fault and says what to do about it.
"""

from __future__ import annotations


class RagError(Exception):
    """Base class: an error meant to be shown to the user as it is."""


class ConfigError(RagError):
    """A setting or option has a value that cannot work."""


class EmbedderError(RagError):
    """An embedder could not be created or used."""


class IndexNotFoundError(RagError):
    """There is no index at the given path."""


class IndexMismatchError(RagError):
    """The index was built with another embedder or an unsupported format version."""


class IndexLockedError(RagError):
    """Another process is writing to the index."""


class IndexCorruptError(RagError):
    """The files of an index disagree with each other in a way recovery cannot fix."""


class StrictModeError(RagError):
    """``--strict`` was given and some inputs were skipped; nothing was written."""


class StoreUnavailableError(RagError):
    """A store's server cannot be reached (or stopped answering), or an embedded store cannot open its file."""
