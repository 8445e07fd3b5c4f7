"""Look-ups over the procedure taxonomy (clinical-reference.md sections 1.2 and 6).

The taxonomy is the data of :mod:`painfellow.core.caselog.procedures_data`; this module
indexes it once, on first use, and answers by plain string ids.
"""

from __future__ import annotations

from functools import cache

from painfellow.core.caselog.model import Procedure
from painfellow.core.caselog.procedures_data import (
    COMPLICATION_LABELS,
    CROSS_CUTTING_COMPLICATIONS,
    PROCEDURES,
)
from painfellow.core.caselog.vocab import CATEGORY_LABELS


class UnknownProcedureError(KeyError):
    """A procedure id that is not in the taxonomy."""


@cache
def _by_id() -> dict[str, Procedure]:
    return {p.id: p for p in PROCEDURES}


@cache
def _by_cpt(include_imaging: bool) -> dict[str, tuple[Procedure, ...]]:
    index: dict[str, list[Procedure]] = {}
    for procedure in PROCEDURES:
        for cpt in procedure.cpt:
            if cpt.imaging and not include_imaging:
                continue
            bucket = index.setdefault(cpt.code, [])
            if procedure not in bucket:
                bucket.append(procedure)
    return {code: tuple(found) for code, found in index.items()}


def get_procedure(procedure_id: str) -> Procedure:
    """The procedure with this id; raises :class:`UnknownProcedureError` if there is none.

    Rule: a case-log entry names a procedure of the taxonomy (clinical-reference.md 1.2).
    """
    try:
        return _by_id()[procedure_id]
    except KeyError:
        raise UnknownProcedureError(procedure_id) from None


def find_procedure(procedure_id: str) -> Procedure | None:
    """The procedure with this id, or ``None`` (same source as :func:`get_procedure`)."""
    return _by_id().get(procedure_id)


def list_procedures(category: str | None = None) -> tuple[Procedure, ...]:
    """Every procedure of the taxonomy in reference order, optionally of one category.

    Source: clinical-reference.md section 6 plus the master-table rows of section 1.2 that
    the data block omits. Raises ``ValueError`` for an unknown category.
    """
    if category is None:
        return PROCEDURES
    if category not in CATEGORY_LABELS:
        raise ValueError(f"unknown case-log category {category!r}")
    return tuple(p for p in PROCEDURES if p.category == category)


def categories() -> tuple[tuple[str, str], ...]:
    """The case-log categories as ``(id, label)`` in display order.

    Source: training-rules.md section 9 ``case_log.categories`` (design; the ACGME's own
    pain Case Log categories are unconfirmed, section 4).
    """
    return tuple(CATEGORY_LABELS.items())


def procedures_for_cpt(code: str, *, include_imaging: bool = False) -> tuple[Procedure, ...]:
    """The procedures that may be reported with a CPT/HCPCS code (several may share one,
    e.g. 62323 for interlaminar, caudal and intrathecal trial).

    Separately reported imaging codes (77003, 76942, ...) are left out unless
    ``include_imaging``, since they belong to no procedure in particular. Source: the CPT
    column of clinical-reference.md 1.2 / section 6. Codes are matched after stripping
    spaces and upper-casing ("0213t" finds 0213T).
    """
    return _by_cpt(include_imaging).get(code.strip().upper(), ())


def allowed_complications(procedure: Procedure) -> tuple[str, ...]:
    """The complication codes an entry for this procedure may record: the procedure's own
    list followed by the cross-cutting events of clinical-reference.md 1.3 (vasovagal,
    allergic/contrast reaction, other adverse event), without repeats.
    """
    seen = dict.fromkeys(procedure.complications)
    seen.update(dict.fromkeys(CROSS_CUTTING_COMPLICATIONS))
    return tuple(seen)


def complication_label(code: str) -> str:
    """Readable label of a complication code; ``"none"`` reads "No complication".

    Raises ``KeyError`` for an unknown code.
    """
    if code == "none":
        return "No complication"
    return COMPLICATION_LABELS[code]
