"""Value types of the procedure taxonomy (clinical-reference.md sections 1 and 6)."""

from __future__ import annotations

from dataclasses import dataclass

from painfellow.core.caselog.vocab import SPINAL_REGIONS


@dataclass(frozen=True, slots=True)
class CptCode:
    """One CPT/HCPCS code a procedure may be reported with: the code only, no AMA text.

    ``use`` is the key the reference gives the code (e.g. ``"lumbar_sacral.add_on"``).
    ``regions`` limits the code to spinal regions (empty: any region of the procedure);
    ``guidance`` limits it to guidance values (empty: any). ``add_on`` marks "each
    additional" codes, which never stand alone; ``imaging`` marks a separately reported
    imaging code (e.g. 77003, 76942) rather than a code of the procedure itself.
    """

    code: str
    use: str
    add_on: bool = False
    imaging: bool = False
    regions: tuple[str, ...] = ()
    guidance: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Procedure:
    """One procedure of the case-log taxonomy (clinical-reference.md 1.2 and 6).

    ``regions`` are the allowed region values (spinal or other anatomical sites; empty when
    no region applies); ``laterality`` says whether left/right/bilateral applies;
    ``guidance`` the allowed guidance values of the case log (:data:`vocab.GUIDANCE`);
    ``complications`` the procedure's complication codes; ``confirmed`` the reference's
    sign-off flag (``"yes"``, ``"partial"`` or ``"no"``: clinician/coder review pending).
    """

    id: str
    label: str
    category: str
    regions: tuple[str, ...]
    laterality: bool
    guidance: tuple[str, ...]
    cpt: tuple[CptCode, ...]
    complications: tuple[str, ...]
    imaging_included: bool = False
    intent_applies: bool = False
    expected_effects: tuple[str, ...] = ()
    level_unit: str = "level"
    confirmed: str = "yes"
    notes: str = ""

    @property
    def spinal_levels_apply(self) -> bool:
        """True when at least one of the procedure's regions is a spinal region."""
        return any(region in SPINAL_REGIONS for region in self.regions)

    @property
    def cpt_codes(self) -> tuple[str, ...]:
        """The procedure's own codes (imaging codes reported alongside left out)."""
        return tuple(c.code for c in self.cpt if not c.imaging)
