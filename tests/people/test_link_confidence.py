import pytest

from intelligence.grading import link_confidence


@pytest.mark.parametrize(
    "grades, confidence",
    [
        ([("3x5x2", "2", "B")], "high"),
        ([("3x5x2", "1", "A")], "high"),
        ([("3x5x2", "2", "C")], "medium"),
        ([("3x5x2", "2", "C"), ("3x5x2", "1", "C")], "high"),
        ([("3x5x2", "3", "A")], "low"),
        ([("3x5x2", "2", "D")], "low"),
        ([("3x5x2", "1", "E"), ("3x5x2", "3", "B")], "low"),
        # Legacy 5x5x5: B2 reads as 1A, D4 as 3D.
        ([("5x5x5", "B", "2")], "high"),
        ([("5x5x5", "D", "4")], "low"),
        ([], "low"),
    ],
)
def test_confidence_from_the_grades_of_the_records(grades, confidence):
    assert link_confidence(grades=grades) == confidence
