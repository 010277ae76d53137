"""The offline policy sends teachers, doctors, nurses and pupils of a generated town
(`rw-batch new-town`) to their school or clinic in working hours, as it sends shopkeepers to
their shops; a college student still goes to class, a retired doctor stays home."""

from __future__ import annotations

import pytest

from runner.policy.days import day_routine, task_at_hour

PLACES_ZH = {"柳湾实验学校": "school", "大地诊所": "hospital", "柳湾学院": "college"}
PLACES_EN = {"Liuwan School": "school", "Earth Clinic": "hospital", "Liuwan College": "college"}


def _at(persona: dict, hour: int, lang: str = "zh") -> str:
    c = {
        "lang": lang,
        "persona": persona,
        "name": persona["name"],
        "places": PLACES_ZH if lang == "zh" else PLACES_EN,
        "date": "2023-02-13",
        "wake_hour": 7,
        "memories": [],
    }
    return task_at_hour(day_routine(c, 3), hour)


@pytest.mark.parametrize(
    ("learned", "requirement", "task"),
    [
        (
            "刘银花是柳湾实验学校的数学老师，已经干了12年。",
            "刘银花每天早上7点半到下午5点在柳湾实验学校上班，上午在教室讲课。",
            "在柳湾实验学校工作",
        ),
        (
            "刘银花是大地诊所的全科医生，已经干了8年。",
            "刘银花每天早上8点到下午5点在大地诊所上班，在诊室给病人看病。",
            "在大地诊所工作",
        ),
        (
            "刘银花今年12岁，在柳湾实验学校读初一。",
            "刘银花每天早上7点半到下午4点半在柳湾实验学校上课。",
            "在柳湾实验学校上课",
        ),
        (
            "刘银花是柳湾学院物理系的学生，今年读大二。",
            "刘银花每天早上8点到下午5点在柳湾学院上课。",
            "去柳湾学院听课",
        ),
        ("刘银花退休前是医生，现在退休在家。", "", "在家做家务"),
    ],
)
def test_the_working_hours_are_at_the_school_or_clinic(learned, requirement, task):
    persona = {"name": "刘银花", "learned": learned, "daily_requirement": requirement}
    assert _at(persona, 10) == task


def test_an_english_pupil_has_lessons_at_school():
    persona = {
        "name": "Leo Lewis",
        "learned": "Leo Lewis is 12 and in year 7 at Liuwan School.",
        "daily_requirement": "Leo Lewis has lessons at Liuwan School from 7:30am to 4:30pm.",
    }
    assert _at(persona, 10, "en") == "have lessons at Liuwan School"
    nurse = {
        "name": "Robin Young",
        "learned": "Robin Young is a nurse at Earth Clinic.",
        "daily_requirement": "Robin Young works at Earth Clinic from 8am to 5pm every day.",
    }
    assert _at(nurse, 15, "en") == "work at Earth Clinic"
