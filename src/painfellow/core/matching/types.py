"""Instance and result types of the match, keyed by plain string ids.

Everything here is a frozen dataclass built from tuples, so an instance or a result can be
stored next to the rules version that produced it and compared later (architecture rule 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from painfellow.core.matching.rules import MAX_RANKS as MAX_RANKS
from painfellow.core.matching.rules import InvalidInstance as InvalidInstance


@dataclass(frozen=True)
class Program:
    """One program track with its quota and its strict rank order list of applicant ids.

    ``reversion_to`` names the track that receives this track's unfilled positions
    (NRMP reversion); ``withdrawn`` drops the program before the run.
    """

    id: str
    capacity: int
    rank_list: tuple[str, ...]
    reversion_to: str | None = None
    withdrawn: bool = False


@dataclass(frozen=True)
class Applicant:
    """One single applicant with a strict rank order list of program ids."""

    id: str
    rank_list: tuple[str, ...]
    withdrawn: bool = False


@dataclass(frozen=True)
class Couple:
    """Two applicants who match as a unit over a list of program pairs.

    Each pair gives the program of ``ids[0]`` and of ``ids[1]``; ``None`` means that partner
    goes unmatched with this rank. ``withdrawn`` withdraws both partners.
    """

    ids: tuple[str, str]
    rank_list: tuple[tuple[str | None, str | None], ...]
    withdrawn: bool = False


@dataclass(frozen=True)
class Instance:
    """A whole match: programs, single applicants and couples (members appear only here)."""

    programs: tuple[Program, ...]
    applicants: tuple[Applicant, ...]
    couples: tuple[Couple, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    """The outcome of a match run.

    ``matches`` maps applicant id to program id (sorted by applicant id);
    ``unfilled`` maps every program with an unfilled position to the number of unfilled
    positions, after reversions; ``capacities`` are the final quotas after reversions;
    ``reverted`` maps a donor track to the number of positions it passed on;
    ``instabilities`` lists the blocking pairs left when couples prevented a stable outcome
    (always empty for instances without couples).
    """

    matches: dict[str, str]
    unmatched_applicants: tuple[str, ...]
    unfilled: dict[str, int]
    capacities: dict[str, int]
    reverted: dict[str, int] = field(default_factory=dict)
    withdrawn_applicants: tuple[str, ...] = ()
    withdrawn_programs: tuple[str, ...] = ()
    instabilities: tuple[str, ...] = ()
    rounds: int = 1


@dataclass(frozen=True)
class MatchStats:
    """Summary figures of a result (the NRMP "Results and Data" style of counts).

    ``share_first``/``share_top3``/``share_top5`` are shares of *matched* applicants whose
    match is their 1st / within their top 3 / within their top 5 choices (for a couple
    member: the rank of the couple's pair). ``program_depth`` is, per program, the deepest
    1-based position in its own rank list reached by a matched applicant (0 when none).
    """

    applicants: int
    matched_applicants: int
    unmatched_applicants: int
    positions: int
    filled_positions: int
    unfilled_positions: int
    unfilled_programs: int
    share_first: float
    share_top3: float
    share_top5: float
    program_depth: dict[str, int]


@dataclass(frozen=True)
class Violation:
    """One reason a result is not a valid, stable (or applicant-optimal) matching."""

    kind: str
    message: str


@dataclass(frozen=True)
class SimulationResult:
    """Plot-ready probabilities from :func:`painfellow.core.matching.simulate`.

    ``curve`` is a tuple of ``(x, probability)``: for a program, x is the number of
    applicants it ranks and the probability is that it fills all positions; for an
    applicant, x is the length of their list and the probability is that they match.
    """

    subject: str
    subject_kind: str
    runs: int
    noise_sd: float
    dropout: float
    seed: int
    curve: tuple[tuple[int, float], ...]
