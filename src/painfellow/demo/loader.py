"""Realistic demo data: ~110 programs sized like the real landscape, and one full program.

Sizes follow shared/domain/training-rules.md §6 (113 programs, 1-8 fellows, mode 2-4,
mean about 3.1). Cities and coordinates are real; institutions and people are fictional.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership, User
from painfellow.accounts.passwords import hash_password
from painfellow.accounts.roles import Role
from painfellow.audit.recorder import SYSTEM_ACTOR, set_actor
from painfellow.caselog.models import CaseLogEntry, CaseLogMinimum
from painfellow.caselog.service import primary_cpt
from painfellow.core.caselog import get_procedure
from painfellow.demo.applications import add_applications_demo
from painfellow.demo.cities import CITIES
from painfellow.demo.evaluations import add_evaluations_demo
from painfellow.demo.interviews import add_interviews_demo
from painfellow.demo.match_season import add_match_season_demo
from painfellow.demo.training_additions import add_training_demo
from painfellow.didactics.models import Attendance, DidacticSession
from painfellow.didactics.service import CODE_ALPHABET
from painfellow.duty_hours.models import DutyShift
from painfellow.programs.models import Program
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES, PROGRAM_FEATURES

DEMO_PASSWORD = "painfellow-demo"
DEMO_DOMAIN = "demo.painfellow.org"
POSITION_WEIGHTS = {1: 8, 2: 22, 3: 30, 4: 22, 5: 8, 6: 5, 8: 5}
INSTITUTION_PATTERNS = [
    "{city} University Medical Center",
    "{city} General Hospital",
    "University of {place} Health",
    "{place} Regional Medical Center",
    "{city} Memorial Health System",
    "St. Brendan's Hospital of {city}",
    "{place} Academic Health Sciences",
    "Riverside Clinics of {city}",
]

FACULTY_NAMES = ["Dr. Omar Haddad", "Dr. Lena Fischer", "Dr. Marcus Bell", "Dr. Aiko Tanaka",
                 "Dr. Rosa Delgado", "Dr. Samuel Okafor"]  # fmt: skip
FELLOW_NAMES = ["Dr. Jordan Lee", "Dr. Maya Patel", "Dr. Ethan Brooks", "Dr. Sofia Rossi"]
APPLICANT_NAMES = ["Dr. Chris Walker", "Dr. Nadia Hussein", "Dr. Ben Carter"]

# (label, email local part, full name, role) of everyone in the flagship program
FLAGSHIP_PEOPLE: list[tuple[str, str, str, Role]] = [
    ("Platform admin", "admin", "Alex Admin", Role.PLATFORM_ADMIN),
    ("Program director", "director", "Dr. Priya Raman", Role.PROGRAM_DIRECTOR),
    ("Program coordinator", "coordinator", "Casey Morgan", Role.PROGRAM_COORDINATOR),
    *[(f"Faculty {i}", f"faculty{i}", n, Role.FACULTY) for i, n in enumerate(FACULTY_NAMES, 1)],
    *[(f"Fellow {i}", f"fellow{i}", n, Role.FELLOW) for i, n in enumerate(FELLOW_NAMES, 1)],
    ("Physical therapist", "pt", "Jamie Nguyen, DPT", Role.PHYSICAL_THERAPIST),
    ("Psychologist", "psychologist", "Dr. Ruth Abrams, PhD", Role.PSYCHOLOGIST),
    ("Nurse", "nurse", "Kim Alvarez, RN", Role.NURSE),
    ("Pharmacist", "pharmacist", "Dev Kapoor, PharmD", Role.PHARMACIST),
    *[
        (f"Applicant {i}", f"applicant{i}", n, Role.APPLICANT)
        for i, n in enumerate(APPLICANT_NAMES, 1)
    ],
    ("Letter writer", "letterwriter", "Dr. Helen Park", Role.LETTER_WRITER),
]


class Progress(Protocol):
    def print(self, *objects: object) -> None: ...


def demo_logins() -> list[tuple[str, str]]:
    logins = [(label, f"{local}@{DEMO_DOMAIN}") for label, local, _, _ in FLAGSHIP_PEOPLE]
    return [*logins, ("Director of another program", f"director-1@{DEMO_DOMAIN}")]


def load_demo(
    session: Session, *, today: date, seed: int = 2026, progress: Progress | None = None
) -> list[tuple[str, str]] | None:
    """Insert the demo data in one transaction; None if programs already exist."""
    if session.scalar(select(func.count(Program.id))):
        return None
    set_actor(session, SYSTEM_ACTOR)
    rng = random.Random(seed)
    programs = [_program(rng, i, city) for i, city in enumerate(CITIES[:110])]
    flagship = programs[45]  # Ann Arbor
    flagship.institution = "Huron Valley University Health"
    flagship.name = "Multidisciplinary Pain Medicine Fellowship"
    flagship.positions_per_year = 4
    flagship.tracks = ["Interventional", "Cancer pain"]
    flagship.features = sorted(
        ["high_procedure_volume", "protected_research_time", "cancer_pain", "neuromodulation",
         "ultrasound_guided", "fluoroscopy_guided", "pain_psychology", "regional_anesthesia"]
    )  # fmt: skip
    flagship.contacts = [
        {"name": "Dr. Priya Raman", "title": "Program Director",
         "email": f"director@{DEMO_DOMAIN}", "phone": "734-555-0100"},
        {"name": "Casey Morgan", "title": "Program Coordinator",
         "email": f"coordinator@{DEMO_DOMAIN}", "phone": "734-555-0101"},
    ]  # fmt: skip
    flagship.website_text = (
        "A one-year ACGME-accredited fellowship across acute, chronic and cancer pain, with "
        "fluoroscopic and ultrasound-guided procedures, spinal cord stimulation, and rotations "
        "with physical therapy, pain psychology, neurology and palliative care."
    )
    session.add_all(programs)
    session.flush()
    if progress:
        progress.print(f"{len(programs)} programs across {len({p.state for p in programs})} states")
    password_hash = hash_password(DEMO_PASSWORD)
    for _, local, name, role in FLAGSHIP_PEOPLE:
        user = User(email=f"{local}@{DEMO_DOMAIN}", full_name=name, password_hash=password_hash)
        program_id = flagship.id if role.is_program_role else None
        user.memberships = [Membership(program_id=program_id, role=role.value)]
        session.add(user)
    _directors_elsewhere(session, programs, flagship, password_hash)
    session.flush()
    fellows = session.scalars(
        select(Membership.user_id).where(
            Membership.program_id == flagship.id, Membership.role == Role.FELLOW.value
        )
    ).all()
    session.add_all(_demo_shifts(rng, flagship.id, list(fellows), today))
    _demo_didactics(session, rng, flagship.id, list(fellows), today)
    _demo_case_log(session, rng, flagship.id, list(fellows), today)
    _demo_schedule(session, flagship.id, list(fellows), today)
    _demo_curriculum(session, flagship.id)
    add_evaluations_demo(session, flagship.id, list(fellows), today)
    add_training_demo(session, flagship.id, list(fellows))
    add_match_season_demo(session, flagship, password_hash)
    session.commit()
    add_applications_demo(session, flagship, today)
    add_interviews_demo(session, flagship, password_hash)
    if progress:
        progress.print(f"{len(FLAGSHIP_PEOPLE)} people in {flagship.display_name}")
    return demo_logins()


def _demo_shifts(
    rng: random.Random, program_id: int, fellows: list[int], today: date
) -> list[DutyShift]:
    """Five weeks of ordinary clinic days with weekly in-house calls; the second fellow's
    latest call ran to 29 hours, which the duty-hour rules must flag."""
    shifts: list[DutyShift] = []
    first_day = today - timedelta(days=35)
    for number, fellow in enumerate(fellows):
        call_weekday = number % 5
        for offset in range(35):
            day = first_day + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            start = datetime.combine(day, time(7, 0))
            if day.weekday() == call_weekday:
                hours = 29 if number == 1 and offset >= 28 else 24
                kind = "in_house_call"
            else:
                hours, kind = rng.choice([10, 10, 11, 12]), "in_house"
            if shifts and shifts[-1].fellow_user_id == fellow and shifts[-1].end_local > start:
                continue  # the day after a call is the post-call day off
            shifts.append(
                DutyShift(program_id=program_id, fellow_user_id=fellow, start_local=start,
                          end_local=start + timedelta(hours=hours), kind=kind)
            )  # fmt: skip
    return shifts


DEMO_CASES = [
    # procedure, region, levels, laterality, guidance
    ("esi_transforaminal", "lumbar", ["L4-L5"], "left", "fluoroscopy"),
    ("esi_interlaminar", "cervical", ["C6-C7"], None, "fluoroscopy"),
    ("facet_injection_or_mbb", "lumbar", ["L4-L5", "L5-S1"], "right", "fluoroscopy"),
    ("rfa_facet", "lumbar", ["L4-L5", "L5-S1"], "bilateral", "fluoroscopy"),
    ("sij_injection", None, [], "left", "fluoroscopy"),
    ("genicular_block", None, [], "right", "ultrasound"),
]
DEMO_MINIMUMS = {"epidural_transforaminal": 20, "radiofrequency_ablation": 15,
                 "facet_medial_branch_block": 20, "joint_soft_tissue_injection": 10}  # fmt: skip


def _demo_case_log(
    session: Session, rng: random.Random, program_id: int, fellows: list[int], today: date
) -> None:
    """Cases over the last eight weeks, older ones verified by their supervisor, the rest
    waiting in the faculty's queues; program minimums for four categories."""
    faculty = session.scalars(
        select(Membership.user_id).where(
            Membership.program_id == program_id, Membership.role == Role.FACULTY.value
        )
    ).all()
    for fellow in fellows:
        for n in range(rng.randint(18, 30)):
            procedure_id, region, levels, side, guidance = rng.choice(DEMO_CASES)
            procedure = get_procedure(procedure_id)
            logged_on = today - timedelta(days=rng.randint(0, 56))
            supervisor = rng.choice(faculty)
            verified = logged_on < today - timedelta(days=7)
            intent = "diagnostic" if procedure.intent_applies else None
            session.add(CaseLogEntry(
                program_id=program_id, fellow_user_id=fellow, supervisor_user_id=supervisor,
                procedure_id=procedure_id, role=rng.choice(
                    ["performed_supervised", "performed_supervised", "assisted", "observed"]),
                guidance=guidance, complications=["vasovagal"] if n == 3 else ["none"],
                age_band=rng.choice(["30-39", "40-49", "50-59", "60-69", "70-79"]),
                sex=rng.choice(["female", "male"]), region=region, levels=levels,
                laterality=side, intent=intent, note="", logged_on=logged_on,
                cpt_codes=list(primary_cpt(procedure, region, guidance)),
                status="verified" if verified else "pending",
                verified_by_user_id=supervisor if verified else None,
                verified_at=datetime.combine(logged_on, time(17), tzinfo=UTC) if verified
                else None,
            ))  # fmt: skip
    session.add_all(
        CaseLogMinimum(program_id=program_id, category=c, minimum=m)
        for c, m in DEMO_MINIMUMS.items()
    )


DEMO_SESSIONS = [
    ("lecture", "Interlaminar vs transforaminal epidural steroid injections", "Dr. Omar Haddad"),
    ("journal_club", "Cooled radiofrequency ablation of genicular nerves", "Dr. Lena Fischer"),
    ("case_conference", "Failed back surgery syndrome: when to trial SCS", "Dr. Marcus Bell"),
    ("morbidity_mortality", "Post-dural puncture headache after a difficult epidural",
     "Dr. Aiko Tanaka"),
    ("simulation", "Ultrasound-guided genicular and suprascapular blocks", "Dr. Rosa Delgado"),
    ("cadaver_lab", "Fluoroscopic anatomy of the lumbar medial branches", "Dr. Samuel Okafor"),
    ("lecture", "CDC 2022 opioid guideline in practice", "Dev Kapoor, PharmD"),
    ("journal_club", "Pain psychology: CBT and acceptance-based therapy", "Dr. Ruth Abrams, PhD"),
]  # fmt: skip


def _demo_didactics(
    session: Session, rng: random.Random, program_id: int, fellows: list[int], today: date
) -> None:
    """Weekly Wednesday teaching: six past sessions with attendance (the last fellow below
    the program's target), and two upcoming."""
    wednesday = today - timedelta(days=(today.weekday() - 2) % 7 or 7)
    for index, (kind, title, presenter) in enumerate(DEMO_SESSIONS):
        day = wednesday + timedelta(weeks=index - 5)
        start = datetime.combine(day, time(12, 0), tzinfo=UTC)
        record = DidacticSession(
            program_id=program_id, kind=kind, title=title, presenter=presenter,
            starts_at=start, ends_at=start + timedelta(hours=1),
            checkin_code="".join(rng.choice(CODE_ALPHABET) for _ in range(6)),
        )  # fmt: skip
        session.add(record)
        session.flush()
        if day >= today:
            continue
        for number, fellow in enumerate(fellows):
            skipped = number == len(fellows) - 1 and index % 2 == 0
            if number == 0 and index == 1:
                status, reason = "excused", "Off-site rotation"
            elif skipped:
                continue
            else:
                status, reason = "present", ""
            session.add(Attendance(session_id=record.id, fellow_user_id=fellow, status=status,
                                   reason=reason, recorded_at=start))  # fmt: skip


def _program(rng: random.Random, index: int, city: tuple[str, str, float, float]) -> Program:
    name, state, lat, lon = city
    place = name if rng.random() < 0.5 else name.split()[0]
    institution = rng.choice(INSTITUTION_PATTERNS).format(city=name, place=place)
    positions = rng.choices(list(POSITION_WEIGHTS), weights=list(POSITION_WEIGHTS.values()))[0]
    specialties = list(ELIGIBLE_PRIOR_SPECIALTIES)
    if rng.random() < 0.3:
        specialties = [s for s in specialties if s not in ("radiology", "family_medicine")]
    features = rng.sample(sorted(PROGRAM_FEATURES), k=rng.randint(2, 7))
    return Program(
        institution=institution,
        name="Pain Medicine Fellowship",
        city=name,
        state=state,
        latitude=round(lat + rng.uniform(-0.03, 0.03), 4),
        longitude=round(lon + rng.uniform(-0.03, 0.03), 4),
        accreditation_number=f"530{index + 1:07d}",
        positions_per_year=positions,
        length_months=24 if rng.random() < 0.03 else 12,
        tracks=[],
        accepted_specialties=sorted(specialties),
        features=sorted(features),
        contacts=[],
        website_text="",
    )


def _directors_elsewhere(
    session: Session, programs: list[Program], flagship: Program, password_hash: str
) -> None:
    """Give a handful of other programs a director, so program isolation can be seen."""
    for program in programs[:5]:
        if program is flagship:
            continue
        user = User(
            email=f"director-{program.id}@{DEMO_DOMAIN}",
            full_name=f"Director of {program.institution}",
            password_hash=password_hash,
        )
        user.memberships = [Membership(program_id=program.id, role=Role.PROGRAM_DIRECTOR.value)]
        session.add(user)


# (name, sites, most fellows per block, fewest, objectives)
DEMO_ROTATIONS = [
    ("Chronic pain clinic", "Huron Valley Pain Center", 2, 0,
     "Comprehensive assessment and longitudinal management of chronic pain."),
    ("Interventional pain (fluoroscopy)", "Huron Valley Pain Center, Ambulatory Surgery", 2, 1,
     "Fluoroscopically guided spinal injections and radiofrequency ablation."),
    ("Ultrasound-guided procedures", "Ambulatory Surgery", 1, 0,
     "Peripheral nerve, joint and soft-tissue injections under ultrasound."),
    ("Acute pain service", "University Hospital", 1, 0,
     "Perioperative and inpatient acute pain, catheters and multimodal analgesia."),
    ("Cancer pain and palliative care", "Cancer Center, Hospice", 1, 0,
     "Cancer pain, intrathecal therapy and goals-of-care conversations."),
    ("Neuromodulation", "Huron Valley Pain Center", 1, 0,
     "Spinal cord stimulator trials and implants, device programming."),
    ("Pediatric pain", "Children's Hospital", 1, 0, "Acute and chronic pain in children."),
    ("Pain psychology", "Behavioral Medicine Clinic", 1, 0,
     "CBT, acceptance-based therapy and psychological screening before implants."),
    ("Physical medicine and rehabilitation", "Rehabilitation Institute", 1, 0,
     "Functional restoration, physical therapy and musculoskeletal exam."),
    ("Neurology headache clinic", "Neurology Clinic", 1, 0,
     "Headache and neuropathic pain, nerve blocks and botulinum toxin."),
    ("Addiction medicine", "VA Medical Center", 1, 0,
     "Opioid use disorder, buprenorphine and safe tapering."),
    ("Regional anesthesia", "University Hospital", 1, 0, "Perioperative nerve blocks."),
    ("Research elective", "", 2, 0, "Protected time for the fellowship research project."),
    ("Vacation", "", 2, 0, ""),
]  # fmt: skip
#: Rotations away from the program's own hospital: didactics missed there are excused.
DEMO_OFF_SITE = frozenset({"Addiction medicine"})
# (rotation, fewest blocks per fellow, most) — program policy of the demo, not ACGME numbers
DEMO_BLOCK_COUNTS = [
    ("Chronic pain clinic", 4, None), ("Interventional pain (fluoroscopy)", 4, None),
    ("Acute pain service", 2, 3), ("Cancer pain and palliative care", 2, None),
    ("Neuromodulation", 1, None), ("Pediatric pain", 1, None), ("Pain psychology", 1, None),
    ("Physical medicine and rehabilitation", 1, None), ("Neurology headache clinic", 1, None),
    ("Addiction medicine", 1, None), ("Regional anesthesia", 1, None),
    ("Research elective", 0, 3),
]  # fmt: skip


def _demo_schedule(session: Session, program_id: int, fellows: list[int], today: date) -> None:
    """A rotation catalogue, the program's requirements, a few requests of the fellows and a
    block schedule generated from them (default calendar: 26 two-week blocks from July 1)."""
    from painfellow.schedules.models import Rotation, ScheduleRequest, ScheduleRequirement
    from painfellow.schedules.service import stage_schedule

    rotations = {
        name: Rotation(program_id=program_id, name=name, sites=sites, capacity_per_block=most,
                       min_per_block=fewest, objectives=objectives,
                       off_site=name in DEMO_OFF_SITE)
        for name, sites, most, fewest, objectives in DEMO_ROTATIONS
    }  # fmt: skip
    session.add_all(rotations.values())
    session.flush()
    policy = "Program policy 2026–27"
    session.add_all(
        ScheduleRequirement(program_id=program_id, kind="block_count",
                            rotation_id=rotations[name].id, min_blocks=low, max_blocks=high,
                            source=policy)
        for name, low, high in DEMO_BLOCK_COUNTS
    )  # fmt: skip
    session.add_all([
        ScheduleRequirement(program_id=program_id, kind="vacation",
                            rotation_id=rotations["Vacation"].id, min_blocks=2, max_blocks=2,
                            blocked_blocks=[1, 26], source="Orientation and graduation blocks"),
        ScheduleRequirement(program_id=program_id, kind="precedence",
                            rotation_id=rotations["Pain psychology"].id,
                            after_rotation_id=rotations["Neuromodulation"].id,
                            source="Psychological screening before implants"),
        ScheduleRequirement(program_id=program_id, kind="fixed", fellow_user_id=fellows[0],
                            rotation_id=rotations["Chronic pain clinic"].id, block=1,
                            source="Orientation"),
        ScheduleRequest(program_id=program_id, fellow_user_id=fellows[0], block=13,
                        rotation_id=rotations["Vacation"].id, weight=3),
        ScheduleRequest(program_id=program_id, fellow_user_id=fellows[1], block=5,
                        rotation_id=rotations["Pediatric pain"].id, weight=2),
        ScheduleRequest(program_id=program_id, fellow_user_id=fellows[2], block=10,
                        rotation_id=rotations["Acute pain service"].id, wants=False),
        ScheduleRequest(program_id=program_id, fellow_user_id=fellows[3], block=20,
                        rotation_id=rotations["Research elective"].id, weight=2),
    ])  # fmt: skip
    session.flush()
    stage_schedule(session, program_id, user_id=None, now=datetime.now(UTC), today=today,
                   time_limit_s=5)  # fmt: skip


DEMO_OBJECTIVES = [
    # code, area, competency, objective, rotations, didactic sessions, case-log categories
    ("CPC-1", "comprehensive_pain_care", "patient_care",
     "Assess acute, chronic and cancer pain and build a multimodal treatment plan.",
     ["Chronic pain clinic", "Acute pain service"],
     ["Failed back surgery syndrome: when to trial SCS"], []),
    ("CPC-2", "comprehensive_pain_care", "patient_care",
     "Manage cancer pain and pain in palliative care, including intrathecal therapy.",
     ["Cancer pain and palliative care"], [], ["intrathecal_pump"]),
    ("DX-1", "diagnostics", "medical_knowledge",
     "Interpret imaging and diagnostic testing of spinal, neuropathic and headache pain.",
     ["Neurology headache clinic"], ["Fluoroscopic anatomy of the lumbar medial branches"], []),
    ("DX-2", "diagnostics", "patient_care",
     "Take a psychiatric and psychosocial history and screen before implants.",
     ["Pain psychology"], [], []),
    ("MM-1", "medical_management", "systems_based_practice",
     "Prescribe opioids and adjuvants safely: MME, monitoring, tapering, naloxone.",
     ["Addiction medicine"], ["CDC 2022 opioid guideline in practice"], []),
    ("NP-1", "non_pharmacological_care", "patient_care",
     "Integrate physical therapy, CBT and acceptance-based therapy into treatment plans.",
     ["Physical medicine and rehabilitation", "Pain psychology"],
     ["Pain psychology: CBT and acceptance-based therapy"], []),
    ("IT-1", "interventional_techniques", "patient_care",
     "Perform fluoroscopically guided epidural, facet and medial branch procedures.",
     ["Interventional pain (fluoroscopy)"],
     ["Interlaminar vs transforaminal epidural steroid injections"],
     ["epidural_interlaminar", "epidural_transforaminal", "facet_medial_branch_block"]),
    ("IT-2", "interventional_techniques", "patient_care",
     "Select patients for and perform radiofrequency ablation.",
     [], ["Cooled radiofrequency ablation of genicular nerves"], ["radiofrequency_ablation"]),
    ("IT-3", "interventional_techniques", "patient_care",
     "Perform ultrasound-guided peripheral nerve, joint and soft-tissue injections.",
     ["Ultrasound-guided procedures"],
     ["Ultrasound-guided genicular and suprascapular blocks"],
     ["peripheral_nerve_block", "joint_soft_tissue_injection"]),
    ("MIS-1", "minimally_invasive_safety", "patient_care",
     "Select, trial and implant neuromodulation devices.",
     ["Neuromodulation"], [], ["scs_trial", "scs_implant"]),
    ("MIS-2", "minimally_invasive_safety", "professionalism",
     "Recognise, disclose and learn from procedural complications.",
     [], ["Post-dural puncture headache after a difficult epidural"], []),
    ("MIS-3", "minimally_invasive_safety", "patient_care",
     "Perform vertebral augmentation for painful compression fractures under supervision.",
     [], [], ["vertebral_augmentation"]),
    ("PCC-1", "patient_centered_care", "interpersonal_and_communication_skills",
     "Lead goals-of-care and shared decision-making conversations with patients and families.",
     ["Cancer pain and palliative care"], [], []),
    ("MC-1", "multidisciplinary_collaboration", "interpersonal_and_communication_skills",
     "Coordinate care with physical therapists, psychologists, nurses and pharmacists.",
     ["Pain psychology", "Pediatric pain"], [], []),
    ("RS-1", "research", "practice_based_learning_and_improvement",
     "Appraise the literature and complete a scholarly project with a mentor.",
     ["Research elective"], ["Cooled radiofrequency ablation of genicular nerves"], []),
    ("PO-1", "patient_outcomes", "practice_based_learning_and_improvement",
     "Measure patient-reported outcomes (PEG, BPI, ODI) and use them to improve care.",
     [], [], []),
]  # fmt: skip


def _demo_curriculum(session: Session, program_id: int) -> None:
    """Objectives across the ten areas, linked to the demo rotations, sessions and case-log
    categories. Two lack experience: MIS-3 (nobody logged vertebral augmentation) and PO-1
    (nothing linked yet), so the gap view has something to show."""
    from painfellow.curriculum.models import (
        CurriculumObjective,
        ObjectiveCategory,
        ObjectiveRotation,
        ObjectiveSession,
    )
    from painfellow.schedules.models import Rotation

    of_rotations = select(Rotation.name, Rotation.id).where(Rotation.program_id == program_id)
    rotations = {name: rid for name, rid in session.execute(of_rotations)}
    of_sessions = select(DidacticSession.title, DidacticSession.id).where(
        DidacticSession.program_id == program_id
    )
    sessions = {title: sid for title, sid in session.execute(of_sessions)}
    for code, area, competency, text, on_rotations, in_sessions, categories in DEMO_OBJECTIVES:
        objective = CurriculumObjective(program_id=program_id, area=area, competency=competency,
                                        code=code, text=text)  # fmt: skip
        session.add(objective)
        session.flush()
        session.add_all(ObjectiveRotation(objective_id=objective.id, rotation_id=rotations[name])
                        for name in on_rotations)  # fmt: skip
        session.add_all(ObjectiveSession(objective_id=objective.id, session_id=sessions[title])
                        for title in in_sessions)  # fmt: skip
        session.add_all(ObjectiveCategory(objective_id=objective.id, category=category)
                        for category in categories)  # fmt: skip
    session.flush()
