"""Screen case-log free text for things that look like HIPAA Safe Harbor identifiers.

Rule: 45 CFR 164.514(b)(2)(i)(A)-(R), the 18 Safe Harbor identifiers of the patient and of
their relatives, employers and household members (clinical-reference.md section 5; the
list as data in section 6, ``hipaa_safe_harbor_identifiers``). The case log keeps no
identifier, so a note that seems to hold one is refused with the reason.

This is a pragmatic, documented heuristic built from regular expressions and word lists,
not a de-identification engine. It aims at high recall for the identifiers a fellow is
likely to type (names, MRNs, dates, phone/fax numbers, emails, SSNs, addresses, ZIP codes,
URLs, IP addresses, account/plan/license/serial numbers, ages over 89) with false-positive
control for clinical writing (NRS scores such as "7/10", spinal levels such as "L4-L5", CPT
codes, doses, eponyms such as "Tuohy needle", "Parkinson disease", "Patrick's test").

What each rule looks for:

* A, names: an honorific and a capitalised word ("Mr. Smith", "Dr Patel"); "patient" or
  "pt" or "name:" followed by a capitalised word that is not a clinical word ("patient
  John"); a first name from :data:`first_names.FIRST_NAMES` followed by a capitalised word,
  with an optional middle initial ("John Q. Smith", "JOHN SMITH"); "Smith, John". A pair is
  not a name when its second word is a clinical word (every word of the taxonomy's labels,
  eponyms, "test", "sign", "syndrome", ...) or the pair is a known eponymous phrase
  ("Tommy John", "Arnold Chiari").
* B, geography: a street address (number, capitalised words, a street suffix), PO box,
  apartment/suite, "City, ST" or "City, State", "ST 12345", ZIP+4, "zip 12345",
  "lives in <Place>", "<Name> County".
* C, dates and ages: numeric dates with a year (m/d/yy, m-d-yyyy, yyyy-mm-dd), month-name
  dates with a day or a year ("March 3", "3 Mar 2020", "March 2020"), "m/yyyy", anything
  after "DOB" or "date of birth", ages 90 and over ("92 yo", "age 95"; "90+" is the
  allowed Safe Harbor group), and, when ``today`` is passed, a birth year that reveals an
  age over 89. A bare year is allowed. Month/day without a year ("7/10") is not flagged:
  it reads as a pain score.
* D/E, phone and fax numbers in the usual US formats; fax when "fax" comes just before.
* F emails, G SSNs (ddd-dd-dddd, or 9 digits after "SSN"), H medical record numbers
  (after "MRN", "MR#", "medical record", "chart", "patient ID", or any run of 7+ digits),
  I health-plan numbers, J account/encounter numbers, K certificate/license numbers
  (after their keywords), L vehicle identifiers (VIN, plate), M device identifiers
  (serial, S/N, lot, UDI, GS1 "(01)" device identifiers), N URLs, O IPv4/IPv6 addresses,
  R other numbers after "#" (5+ digits).
* P (biometrics) and Q (photographs) cannot occur in text and are never reported.

Known limits: names that are not in the first-name list and not after a cue word (a lone
"Smith", a lowercase "john smith", a first name that is also an English word such as
"Will") are missed; a real surname that is also a clinical word or eponym ("Grace Horner")
is missed; cities named without a cue are missed; free text in other languages is not
handled. False positives are possible for capitalised phrases that start with a common
first name, and for a supervising physician written as "Dr. Name" (log the supervisor in
the supervisor field instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Final

from painfellow.core.caselog.first_names import FIRST_NAMES
from painfellow.core.caselog.procedures_data import (
    COMPLICATION_LABELS,
    EXPECTED_EFFECT_LABELS,
    PROCEDURES,
)
from painfellow.core.caselog.vocab import (
    CATEGORY_LABELS,
    GUIDANCE_LABELS,
    REGION_LABELS,
    ROLE_LABELS,
)


@dataclass(frozen=True, slots=True)
class SafeHarborIdentifier:
    """One of the 18 identifiers of 45 CFR 164.514(b)(2)(i): its letter (A-R), the key of
    clinical-reference.md section 6 and a readable name."""

    letter: str
    key: str
    name: str


#: The Safe Harbor identifiers, in the order of the regulation (clinical-reference.md 5, 6).
SAFE_HARBOR_IDENTIFIERS: Final[tuple[SafeHarborIdentifier, ...]] = tuple(
    SafeHarborIdentifier(letter, key, name)
    for letter, key, name in (
        ("A", "names", "Names"),
        (
            "B",
            "geographic_subdivisions_smaller_than_state",
            "Geographic subdivisions smaller than a state",
        ),
        ("C", "dates_except_year", "Dates (except year) and ages over 89"),
        ("D", "telephone_numbers", "Telephone numbers"),
        ("E", "fax_numbers", "Fax numbers"),
        ("F", "email_addresses", "Email addresses"),
        ("G", "social_security_numbers", "Social Security numbers"),
        ("H", "medical_record_numbers", "Medical record numbers"),
        ("I", "health_plan_beneficiary_numbers", "Health plan beneficiary numbers"),
        ("J", "account_numbers", "Account numbers"),
        ("K", "certificate_license_numbers", "Certificate/license numbers"),
        (
            "L",
            "vehicle_identifiers_serials_plates",
            "Vehicle identifiers and serial numbers, including license plates",
        ),
        ("M", "device_identifiers_serial_numbers", "Device identifiers and serial numbers"),
        ("N", "web_urls", "Web URLs"),
        ("O", "ip_addresses", "IP addresses"),
        ("P", "biometric_identifiers", "Biometric identifiers"),
        ("Q", "full_face_photos_comparable_images", "Full-face photographs and comparable images"),
        (
            "R",
            "other_unique_identifying_number_characteristic_code",
            "Any other unique identifying number, characteristic or code",
        ),
    )
)
_ID: Final[dict[str, SafeHarborIdentifier]] = {i.letter: i for i in SAFE_HARBOR_IDENTIFIERS}


@dataclass(frozen=True, slots=True)
class PhiFinding:
    """Text that looks like a Safe Harbor identifier: which one, where (``text[start:end]``)
    and why the screen thinks so."""

    identifier: SafeHarborIdentifier
    start: int
    end: int
    text: str
    reason: str

    @property
    def letter(self) -> str:
        return self.identifier.letter

    @property
    def message(self) -> str:
        """One line for the page: "(A) Names: a first and last name: 'John Smith'"."""
        return f"({self.identifier.letter}) {self.identifier.name}: {self.reason}: {self.text!r}"


# --------------------------------------------------------------------------- word lists

#: Words that are eponyms or clinical nouns: as the second word of a capitalised pair, or
#: after "patient", they do not make a name. Surnames common as patient names (Brown,
#: Baker, Wright, Turner, Thomas) are deliberately absent; their eponymous phrases are in
#: :data:`_EPONYM_PHRASES` instead.
_CLINICAL_WORDS_EXTRA: Final[str] = """
test tests sign signs maneuver manoeuvre syndrome disease disorder needle needles palsy
phenomenon reflex score scale criteria classification grade type method technique
approach position view fracture neuralgia neuropathy cyst malformation lesion point
points questionnaire index inventory protocol guideline guidelines trial study
tuohy quincke whitacre sprotte hustead parkinson parkinsons horner gaenslen
faber fabere spurling lasegue lhermitte hoffmann hoffman babinski romberg tinel phalen
finkelstein waddell yeoman neer adson roos chiari tarlov baastrup bertolotti
scheuermann schmorl modic pfirrmann meyerding paget raynaud crohn hodgkin cushing addison
alzheimer huntington dupuytren osgood schlatter sudeck tietze ehlers danlos marfan
sjogren reiter wallenberg sequard adamkiewicz batson guillain barre lyme pancoast
bechterew forestier charcot dejerine roussy kienbock quervain perthes parsonage
volkmann wartenberg froment ober apley mcmurray lachman trendelenburg
fortin oswestry brief pain numeric rating analog visual
health controlled reported reports tolerated denies states consented positioned prone
supine seated agreed understood verbalized care safety satisfaction global impression
information education instructions portal identified identification discharged left
right with without and or the a an in on at who for to of was is has had prep
patient patients procedure procedures notes note history exam plan assessment
hospital hospitals clinic clinics center centre medical university college institute school
foundation memorial regional general scientific apgar glasgow mallampati
"""

#: Eponymous phrases whose first word is also a common first name.
_EPONYM_PHRASES: Final[frozenset[tuple[str, str]]] = frozenset(
    {
        ("tommy", "john"),
        ("arnold", "chiari"),
        ("marie", "tooth"),
        ("ramsay", "hunt"),
        ("patrick", "faber"),
        ("thomas", "test"),
        ("wolff", "parkinson"),
    }
)


def _label_words() -> frozenset[str]:
    labels: list[str] = [p.label for p in PROCEDURES]
    for table in (
        COMPLICATION_LABELS,
        EXPECTED_EFFECT_LABELS,
        CATEGORY_LABELS,
        REGION_LABELS,
        GUIDANCE_LABELS,
        ROLE_LABELS,
    ):
        labels.extend(table.values())
    return frozenset(w.lower() for text in labels for w in re.findall(r"[A-Za-z]+", text))


#: Words that never start or complete a name: every word of the taxonomy's labels plus
#: the eponyms and clinical words above.
CLINICAL_WORDS: Final[frozenset[str]] = _label_words() | frozenset(_CLINICAL_WORDS_EXTRA.split())

#: Upper-case abbreviations that are not surnames in an all-caps pair ("AMY RFA").
_ACRONYMS = """RFA ESI TFESI ILESI MBB SCS DRG PNS IPG IDDS CPT NRS VAS PEG BPI ODI NDI PGIC MME
    PDPH CSF LAST SIJ SI TPI EBP CT US MRI EMG NCS PRP CRPS PHN LBP BMI ASA DVT PE ICU
    PACU OR ER ED PRN BID TID QID IV IM PO SQ NPO ROM PT OT HEP DME FL LM EUS AP LAT OBL
    CC HPI ROS PMH PSH MEDS PLAN LEFT RIGHT BILATERAL SPINE LUMBAR CERVICAL THORACIC
    SACRAL NEEDLE BLOCK TEST SIGN"""
_CLINICAL_ACRONYMS: Final[frozenset[str]] = frozenset(_ACRONYMS.split())

_TITLE = r"[A-Z][a-z]+(?:['’][A-Z]?[a-z]+)?(?:-[A-Z][a-z]+)?"
_HONORIFIC = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof)\b\.?\s+(?:[A-Z]\.?\s+)?(?:{_TITLE}|[A-Z]{{2,}}\b)"
)
# "PT" (physical therapy) and a bare "name" ("brand name Kenalog") are not cues.
_PATIENT_CUE = re.compile(
    rf"(?:\b(?:[Pp]atient|PATIENT|[Pp]t)\b\s+|\b(?:[Nn]ame(?:d|\s+is|:)|NAME:)\s*)"
    rf"(?P<name>{_TITLE}(?:\s+{_TITLE})?)"
)
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in CLINICAL_WORDS


def is_clinical_word(word: str) -> bool:
    """Whether a word is on the screen's clinical/eponym list and so never read as part of
    a name (false-positive control of :func:`screen_free_text`, identifier A)."""
    return _POSSESSIVE.sub("", word).lower() in CLINICAL_WORDS


def _first_name(word: str) -> bool:
    if word.istitle() or word.isupper():
        return word.capitalize() in FIRST_NAMES
    return False


def _name_pairs(text: str) -> Iterator[tuple[int, int, str]]:
    """First name + surname pairs and "Surname, First" by walking adjacent words."""
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    for i, (first, start, end) in enumerate(words):
        if not _first_name(first) or i + 1 == len(words):
            continue
        j = i + 1
        gap = text[end : words[j][1]]
        if not gap.isspace() or "\n\n" in gap:
            continue
        # an optional middle initial: "John Q. Smith", "John Q Smith"
        middle, m_end = words[j][0], words[j][2]
        if len(middle) == 1 and middle.isupper() and j + 1 < len(words):
            after = text[m_end : words[j + 1][1]]
            if re.fullmatch(r"\.?\s+", after):
                j += 1
        last, _, last_end = words[j]
        bare = _POSSESSIVE.sub("", last)
        if first.isupper():
            ok = bare.isupper() and len(bare) >= 3 and bare not in _CLINICAL_ACRONYMS
        else:
            ok = bare[:1].isupper() and (bare.isupper() or any(c.islower() for c in bare))
            ok = ok and bare not in _CLINICAL_ACRONYMS
        if not ok or bare.lower() in CLINICAL_WORDS:
            continue
        if (first.lower(), bare.lower()) in _EPONYM_PHRASES:
            continue
        yield start, last_end, "a first name followed by a surname"
    for i in range(len(words) - 1):
        last, start, end = words[i]
        first, f_start, f_end = words[i + 1]
        if text[end:f_start] not in (", ", ","):
            continue
        if last.istitle() and _is_name_word(last) and first.istitle() and _first_name(first):
            yield start, f_end, "a surname, comma, first name"


# ------------------------------------------------------------------------ regex rules

_MONTHS_CI = r"jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|jun(?:e)?|jul(?:y)?|aug(?:ust)?|" + (
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|march|december"
)
# "May", "Mar" and "Dec" are ordinary words or abbreviations ("pain dec 2 points") in
# lower case, so only their capitalised forms are months.
_MONTH = rf"(?:(?i:{_MONTHS_CI})|May|MAY|Mar|MAR|Dec|DEC)\b\.?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR4 = r"(?:1[89]\d\d|20\d\d)"
_NUM_START = r"(?<![\w/.:-])"
_NUM_END = r"(?![\w/:-]|\.\d)"
_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
)
_STATES = _STATE_CODES.split()
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|"
    "Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    "New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|"
    "Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|"
    "Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
)
_STATE = rf"(?:{'|'.join(_STATES)})"
# State codes that are also clinical abbreviations ("Fluoroscopy, CT", "Jane Doe, PA",
# "CT 77012") count only with a city and a ZIP code.
_AMBIGUOUS_CODES = "CT MD PA OR IN ME OK HI DE LA MS MA OH ID AL CO"
_AMBIGUOUS_STATES = frozenset(_AMBIGUOUS_CODES.split())
_CLEAR_STATE = rf"(?:{'|'.join(s for s in _STATES if s not in _AMBIGUOUS_STATES)})"
_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|"
    r"Pl|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl|Pike|Alley)"
)
# A value after an identifier keyword: 4+ characters holding at least 2 digits.
# A value after an identifier keyword: 4+ characters holding at least 2 digits, and not a
# bare year ("chart 2019").
_VALUE = r"(?=(?:[A-Za-z-]*\d){2})[A-Za-z0-9][A-Za-z0-9-]{3,}"
_NOT_YEAR = r"(?!(?:19|20)\d\d\b)"
_SEP = r"\s*(?:#|no\.?|num(?:ber)?|id)?\s*[:#=]?\s*"
# Weak keywords ("group", "visit") need "#", "no.", "number" or "id" after them: a "Plan:"
# heading followed by a CPT code is not a plan number.
_STRICT_SEP = r"\s*(?:#|no\.?|num(?:ber)?|id)\s*[:#=]?\s*"
_PHONE = r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])"


@dataclass(frozen=True, slots=True)
class _Rule:
    letter: str
    pattern: re.Pattern[str]
    reason: str
    group: int | str = 0
    check: Callable[[re.Match[str]], bool] | None = None


def _keyword(
    letter: str, keywords: str, reason: str, *, strict: bool = False, weak: bool = False
) -> _Rule:
    """A keyword rule. ``strict``: "#", "no.", "number" or "id" must follow the keyword.
    ``weak``: the keyword is also an ordinary word, so a bare year after it ("chart 2019")
    is not taken for a number."""
    sep = _STRICT_SEP if strict else _SEP
    value = (_NOT_YEAR if weak or strict else "") + _VALUE
    return _Rule(letter, re.compile(rf"\b(?:{keywords})\b{sep}{value}", re.IGNORECASE), reason)


def _valid_numeric_date(match: re.Match[str]) -> bool:
    a, b = int(match.group("a")), int(match.group("b"))
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)


def _name_cue_is_name(match: re.Match[str]) -> bool:
    return _is_name_word(match.group("name").split()[0])


_RULES: Final[tuple[_Rule, ...]] = (
    # ---- A: names
    _Rule("A", _HONORIFIC, "an honorific followed by a name"),
    _Rule(
        "A",
        _PATIENT_CUE,
        "a name after 'patient' or 'name:'",
        group="name",
        check=_name_cue_is_name,
    ),
    # ---- B: geography
    _Rule(
        "B",
        re.compile(
            rf"(?<![\w/.-])\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:(?:{_TITLE}|\d+(?:st|nd|rd|th))"
            rf"\.?\s+){{1,3}}{_STREET_SUFFIX}\b\.?"
        ),
        "a street address",
    ),
    _Rule(
        "B",
        re.compile(
            r"\b(?:P\.?\s?O\.?\s+Box|Apt|Apartment|Suite|Ste)\.?\s*#?\s*\d+[A-Za-z]?\b",
            re.IGNORECASE,
        ),
        "a PO box, apartment or suite",
    ),
    _Rule(
        "B",
        re.compile(
            rf"\b(?P<name>{_TITLE})(?:\s+{_TITLE}){{0,2}},\s*(?:{_STATE}\s+\d{{5}}"
            rf"(?:-\d{{4}})?{_NUM_END}|(?:{_CLEAR_STATE}|{_STATE_NAMES})\b)"
        ),
        "a city and state",
        check=_name_cue_is_name,
    ),
    _Rule(
        "B", re.compile(rf"\b{_CLEAR_STATE}\s+\d{{5}}(?:-\d{{4}})?{_NUM_END}"), "a state and ZIP"
    ),
    _Rule("B", re.compile(rf"{_NUM_START}\d{{5}}-\d{{4}}{_NUM_END}"), "a ZIP+4 code"),
    _Rule(
        "B",
        re.compile(r"\b(?:zip|zip\s*code|postal\s*code)\s*[:#]?\s*\d{3,5}\b", re.IGNORECASE),
        "a ZIP code",
    ),
    _Rule(
        "B",
        re.compile(
            rf"\b(?:lives|living|resides|residing|resident|moved|relocated)\s+(?:in|at|of|to)"
            rf"\s+(?P<name>{_TITLE}(?:\s+{_TITLE}){{0,2}})"
        ),
        "a place of residence",
        group="name",
        check=_name_cue_is_name,
    ),
    _Rule("B", re.compile(rf"\b{_TITLE}\s+(?:County|Parish|Township)\b"), "a county"),
    # ---- C: dates and ages
    _Rule(
        "C",
        re.compile(
            rf"{_NUM_START}(?P<a>\d{{1,2}})(?P<s>[/.-])(?P<b>\d{{1,2}})(?P=s)"
            rf"(?:\d{{4}}|\d{{2}}){_NUM_END}"
        ),
        "a date with day and month",
        check=_valid_numeric_date,
    ),
    _Rule(
        "C",
        re.compile(
            rf"{_NUM_START}{_YEAR4}([/.-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01]){_NUM_END}"
        ),
        "a date with day and month",
    ),
    _Rule(
        "C",
        re.compile(rf"\b{_MONTH}\s*{_DAY}\b(?:,?\s+{_YEAR4}\b)?(?!\s*(?:[/%]|(?:mg|mcg|ml)\b))"),
        "a date with month and day",
    ),
    _Rule(
        "C",
        re.compile(rf"(?<![\w.])\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR4}\b)?"),
        "a date with day and month",
    ),
    _Rule("C", re.compile(rf"\b{_MONTH},?\s+{_YEAR4}\b"), "a month and year"),
    _Rule(
        "C", re.compile(rf"{_NUM_START}(?:0?[1-9]|1[0-2])/{_YEAR4}{_NUM_END}"), "a month and year"
    ),
    _Rule(
        "C",
        re.compile(
            r"\b(?:DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|birthday)\b\s*[:#-]?\s*"
            r"(?=[^\n]{0,3}\d)[^\s,;]+(?:\s+[^\s,;]+){0,2}",
            re.IGNORECASE,
        ),
        "a date of birth",
    ),
    _Rule(
        "C",
        re.compile(
            r"(?<![\w.])(?:9\d|1[01]\d)\s*-?\s*(?:yo|y/o|y\.o\.?|yrs?\.?\s*old|years?\s*old|"
            r"years?\s+of\s+age|-?year-old|yr-old|years?|yrs?|y)\b",
            re.IGNORECASE,
        ),
        "an age over 89",
    ),
    _Rule(
        "C",
        re.compile(
            r"\b(?:age|aged)\s*:?\s*(?:9\d|1[01]\d)\b(?!\s*(?:\+|or\s+(?:older|above|over)|"
            r"and\s+(?:older|above|over)))",
            re.IGNORECASE,
        ),
        "an age over 89",
    ),
    # ---- D/E: phone and fax (fax decided in _letter_for)
    _Rule("D", re.compile(_PHONE), "a telephone number"),
    # ---- F: email
    _Rule(
        "F",
        re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
        "an email address",
    ),
    # ---- G: SSN
    _Rule(
        "G", re.compile(r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])"), "a Social Security number"
    ),
    _keyword("G", r"SSN|SS|social\s+security(?:\s+number)?", "a Social Security number"),
    # ---- H: medical record numbers
    _keyword(
        "H",
        r"MRN|MR|medical\s+record(?:\s+number)?|med\s*rec|patient\s+id|pt\s+id|"
        r"hospital\s+number|EMPI",
        "a medical record number",
    ),
    _keyword("H", r"chart|record", "a medical record number", weak=True),
    _Rule(
        "H",
        re.compile(r"(?<!\w)(?<!\d[.,])\d{7,}(?!\w|[.,]\d)"),
        "a long run of digits (record no.)",
    ),
    # ---- I: health plan numbers
    _keyword(
        "I",
        r"member\s+id|subscriber(?:\s+id)?|MBI|HICN|beneficiary(?:\s+id)?",
        "a health plan beneficiary number",
    ),
    _keyword("I", r"policy", "a health plan beneficiary number", weak=True),
    _keyword(
        "I",
        r"medicare|medicaid|insurance|health\s+plan|plan|group|payer|payor",
        "a health plan beneficiary number",
        strict=True,
    ),
    # ---- J: account numbers
    _keyword("J", r"account|acct|FIN|CSN|invoice", "an account number"),
    _keyword("J", r"encounter", "an account number", weak=True),
    _keyword("J", r"visit|claim", "an account number", strict=True),
    # ---- K: certificate / license
    _keyword(
        "K",
        r"licen[cs]e|lic|DEA|NPI|certificate|cert|driver['’]?s\s+licen[cs]e",
        "a certificate or license number",
    ),
    # ---- L: vehicles
    _keyword("L", r"VIN|licen[cs]e\s+plate", "a vehicle identifier"),
    _keyword("L", r"plate|tag", "a vehicle identifier", weak=True),
    _Rule(
        "L",
        re.compile(
            r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b"
        ),
        "a vehicle identification number",
    ),
    # ---- M: devices
    _keyword(
        "M",
        r"serial(?:\s+number)?|S/N|SN|UDI|device\s+id|IPG\s+serial",
        "a device identifier or serial number",
    ),
    _keyword("M", r"lot", "a device identifier or serial number", weak=True),
    _Rule(
        "M",
        re.compile(r"\(01\)\s?\d{14}(?:\s?\(\d{2}\)\s?[A-Za-z0-9]+)*"),
        "a GS1 unique device identifier",
    ),
    _Rule("M", re.compile(r"(?<!\w)\+[A-Z]\d{3}[A-Z0-9]{4,}\b"), "a HIBCC device identifier"),
    # ---- N: URLs
    _Rule(
        "N",
        re.compile(
            r"\b(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<>\"]+|"
            # bare domains only in lower case: "well.Us guided" is a missing space
            r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|info)(?![\w-])"
            r"(?:/[^\s<>\"]*)?"
        ),
        "a web address",
    ),
    # ---- O: IP addresses
    _Rule(
        "O",
        re.compile(
            r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}"
            r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)"
        ),
        "an IPv4 address",
    ),
    _Rule(
        "O",
        re.compile(
            r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])|"
            r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?"
            r"(?![\w:])"
        ),
        "an IPv6 address",
    ),
    # ---- R: other numbers
    _Rule("R", re.compile(r"#\s?\d{6,}\b"), "an identifying number"),
)

_FAX_BEFORE = re.compile(r"fax\W{0,3}(?:number|no\.?|#)?\W{0,3}$", re.IGNORECASE)
_BIRTH_YEAR = re.compile(
    rf"\b(?:born(?:\s+in)?|b\.|birth\s+year|year\s+of\s+birth|YOB)\s*:?\s*({_YEAR4})\b",
    re.IGNORECASE,
)


def _raw_findings(text: str, today: date | None) -> Iterator[PhiFinding]:
    for rule in _RULES:
        for match in rule.pattern.finditer(text):
            if rule.check is not None and not rule.check(match):
                continue
            start, end = match.span(rule.group)
            letter = rule.letter
            reason = rule.reason
            if letter == "D" and _FAX_BEFORE.search(text[max(0, start - 16) : start]):
                letter, reason = "E", "a fax number"
            yield PhiFinding(_ID[letter], start, end, text[start:end], reason)
    for start, end, reason in _name_pairs(text):
        yield PhiFinding(_ID["A"], start, end, text[start:end], reason)
    if today is not None:
        for match in _BIRTH_YEAR.finditer(text):
            if today.year - int(match.group(1)) >= 90:
                start, end = match.span()
                yield PhiFinding(
                    _ID["C"], start, end, text[start:end], "a birth year revealing an age over 89"
                )


def _resolve(findings: list[PhiFinding], text: str) -> list[PhiFinding]:
    """Drop findings inside a longer one; merge overlapping findings of one identifier."""
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start), f.letter))
    kept: list[PhiFinding] = []
    for finding in ordered:
        if any(k.start <= finding.start and finding.end <= k.end for k in kept):
            continue
        for index, other in enumerate(kept):
            if other.letter == finding.letter and finding.start < other.end:
                start, end = other.start, max(other.end, finding.end)
                kept[index] = PhiFinding(
                    other.identifier, start, end, text[start:end], other.reason
                )
                break
        else:
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end, f.letter))


def screen_free_text(text: str, *, today: date | None = None) -> list[PhiFinding]:
    """Findings of text that looks like a HIPAA Safe Harbor identifier, in text order.

    Rule: 45 CFR 164.514(b)(2)(i)(A)-(R) (clinical-reference.md sections 5 and 6): case-log
    notes must carry none of the 18 identifiers. An empty list means the heuristic found
    none, not that the text is proven free of identifiers. Pass ``today`` to also flag a
    birth year that reveals an age over 89 ("born 1930"); the screen never reads the clock.
    See the module docstring for what each rule looks for and its known limits.
    """
    if not text:
        return []
    return _resolve(list(_raw_findings(text, today)), text)
