"""Demo data for the training additions: rotation shift hours (so fellows are offered their
week's shifts to confirm), a fellow's favourite procedures, and a request a fellow entered
themself. Runs after the flagship's rotations, case log and schedule exist."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.caselog.models import CaseLogFavourite
from painfellow.schedules.models import Rotation, ScheduleRequest

#: rotation name -> (start, end, ISO weekdays, duty-hour kind); an end at or before the
#: start ends the next day.
DEMO_SHIFT_HOURS = {
    "Chronic pain clinic": (time(7, 30), time(17, 0), "12345", "in_house"),
    "Interventional pain (fluoroscopy)": (time(7, 0), time(17, 30), "12345", "in_house"),
    "Ultrasound-guided procedures": (time(7, 30), time(17, 0), "12345", "in_house"),
    "Acute pain service": (time(6, 30), time(18, 0), "123456", "in_house"),
    "Cancer pain and palliative care": (time(8, 0), time(17, 0), "12345", "in_house"),
    "Neuromodulation": (time(7, 0), time(17, 0), "12345", "in_house"),
}
DEMO_FAVOURITES = ("esi_transforaminal", "rfa_genicular", "scs_trial")


def add_training_demo(session: Session, program_id: int, fellows: list[int]) -> None:
    rotations = {
        r.name: r
        for r in session.scalars(select(Rotation).where(Rotation.program_id == program_id))
    }
    for name, (start, end, weekdays, kind) in DEMO_SHIFT_HOURS.items():
        if name in rotations:
            rotation = rotations[name]
            rotation.shift_start, rotation.shift_end = start, end
            rotation.shift_weekdays, rotation.shift_kind = weekdays, kind
    session.add_all(
        CaseLogFavourite(program_id=program_id, fellow_user_id=fellows[0], procedure_id=p)
        for p in DEMO_FAVOURITES
    )
    # the second fellow entered their own request (the others were entered by the director)
    for request in session.scalars(
        select(ScheduleRequest).where(
            ScheduleRequest.program_id == program_id, ScheduleRequest.fellow_user_id == fellows[1]
        )
    ):
        request.created_by_user_id = fellows[1]
    session.flush()
