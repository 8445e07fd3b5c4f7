from __future__ import annotations

from painfellow.core.applications import change_log, checklist, summarise_rubric

FULL_PROFILE = {
    "medical_school": "A",
    "residency_program": "B",
    "residency_specialty": "anesthesiology",
    "residency_expected_completion": "2027-06-30",
    "board_status": "eligible",
}


def test_checklist_names_each_missing_item() -> None:
    status = checklist(
        {"medical_school": "A"}, has_cv=True, has_statement=False, letters_received=2
    )
    assert not status.complete
    assert status.missing == ["Personal statement", "At least 3 letters received", "Profile"]
    profile_item = status.items[3]
    assert (
        "Residency program" in profile_item.detail and "Medical school" not in profile_item.detail
    )


def test_checklist_complete_with_three_letters() -> None:
    assert checklist(FULL_PROFILE, has_cv=True, has_statement=True, letters_received=3).complete


def test_rubric_weights_criteria_and_reports_spread() -> None:
    # criterion 1 weight 3, criterion 2 weight 1
    summary = summarise_rubric(
        {1: 3, 2: 1}, [(10, 1, 5), (10, 2, 1), (11, 1, 3), (11, 2, 3), (11, 99, 1)]
    )
    assert summary.by_reviewer == {10: 4.0, 11: 3.0}
    assert summary.average == 3.5
    assert summary.spread == 1.0
    assert summarise_rubric({1: 1}, []).average is None


def test_change_log_lists_profile_documents_and_letters() -> None:
    before = {
        "profile": {"medical_school": "A", "usmle_step2_score": 240},
        "documents": [{"kind": "cv", "sha256": "1", "filename": "cv.pdf"}],
        "letters": [{"letter_id": 1, "writer_name": "Dr One"}],
    }
    after = {
        "profile": {"medical_school": "A", "usmle_step2_score": 251},
        "documents": [
            {"kind": "cv", "sha256": "2", "filename": "cv2.pdf"},
            {"kind": "transcript", "sha256": "3", "filename": "t.pdf"},
        ],
        "letters": [{"letter_id": 2, "writer_name": "Dr Two"}],
    }
    assert change_log(before, after) == [
        "Profile usmle step2 score: 240 → 251",
        "Replaced cv: cv.pdf → cv2.pdf",
        "Added transcript: t.pdf",
        "Added letter from Dr Two",
        "Removed letter from Dr One",
    ]
    assert change_log(after, after) == []
