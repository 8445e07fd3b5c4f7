"""The input limit and the error of the match, apart from the dataclass types.

They live in their own module so that ``painfellow match run`` can check a document
without importing :mod:`dataclasses` (with :mod:`inspect` behind it), which would be a
noticeable part of a small run's start-up. :mod:`painfellow.core.matching.types` re-exports
both names.
"""

from __future__ import annotations

#: NRMP limit on the length of one rank order list (applicant, program or couple).
MAX_RANKS = 300


class InvalidInstance(ValueError):
    """An instance (or a result checked against it) breaks an input rule.

    The message names the offending entry, e.g. ``program 'P1': quota must be a positive
    integer, got 0``.
    """
