"""The web layer words conflicts' codes and values: the same problems in English (default) and French."""

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from confman.models import SessionKind
from confman.services.conflicts import Problem, ProblemKind
from confman.web.wording import problem_text

CASES = [
    (Problem(ProblemKind.SPEAKER_DOUBLE_BOOKED, {"speaker": "H.E. Ada", "speaker_id": 1, "first": "Panel A",
                                                 "second": "Panel B"}),
     "H.E. Ada is booked in two overlapping sessions: “Panel A” and “Panel B”."),
    (Problem(ProblemKind.SPEAKER_DOUBLE_BOOKED, {"speaker": None, "speaker_id": 7, "first": "A", "second": "B"}),
     "Speaker 7 is booked in two overlapping sessions: “A” and “B”."),
    (Problem(ProblemKind.CHANNEL_OVERLAP, {"first": "Opening", "second": "Panel", "channel": "Plenary"}),
     "“Opening” and “Panel” overlap in Plenary."),
    (Problem(ProblemKind.OUTSIDE_EVENT_DATES, {"title": "Late", "starts_on": date(2021, 10, 25),
                                               "ends_on": date(2021, 10, 26), "zone": "Asia/Karachi"}),
     "“Late” is outside the event's dates (25 Oct 2021 to 26 Oct 2021 in Asia/Karachi)."),
    (Problem(ProblemKind.VIDEO_LONGER_THAN_SLOT, {"title": "Video B", "length": timedelta(minutes=6),
                                                  "duration": timedelta(minutes=5)}),
     "The video message of “Video B” (6:00) is longer than the session (5:00)."),
    (Problem(ProblemKind.NO_SPEAKERS, {"title": "Panel", "session_kind": SessionKind.PANEL}),
     "“Panel” (panel) has no speakers yet."),
    (Problem(ProblemKind.DST_CHANGE, {"zone": "Europe/Amsterdam", "day": date(2021, 10, 31), "is_forward": False,
                                      "minutes": 60, "before": "UTC+2", "after": "UTC+1"}),
     "Clocks in Europe/Amsterdam go back 1 hour on Sunday 31 October 2021 (UTC offset UTC+2 → UTC+1). "
     "Times entered for that day are read in the offset in force at that moment."),
]


@pytest.mark.parametrize(("problem", "english"), CASES)
def test_problem_text_words_each_kind_in_english(app, problem, english):
    with app.test_request_context("/"), force_locale("en"):
        assert problem_text(problem) == english


FRENCH = [
    "Ada Diallo est prévu·e dans deux séances qui se chevauchent : « Panel A » et « Panel B ».",
    "L’orateur 7 est prévu·e dans deux séances qui se chevauchent : « A » et « B ».",
    "« Opening » et « Panel » se chevauchent dans Plenary.",
    "« Late » est en dehors des dates de l’événement (du 25 oct. 2021 au 26 oct. 2021 en Asia/Karachi).",
    "Le message vidéo de « Video B » (6:00) est plus long que la séance (5:00).",
    "« Panel » (table ronde) n’a pas encore d’orateurs.",
    "Les horloges de Europe/Amsterdam reculent de 1 heure le dimanche 31 octobre 2021 (décalage UTC UTC+2 → UTC+1). "
    "Les heures saisies pour ce jour sont lues dans le décalage en vigueur à ce moment-là.",
]


@pytest.mark.parametrize(("problem", "french"), [(p, f) for (p, _), f in zip(CASES, FRENCH, strict=True)])
def test_problem_text_words_each_kind_in_french(app, problem, french):
    problem = Problem(problem.kind, {**problem.params, "speaker": "Ada Diallo"} if problem.params.get("speaker")
                      else problem.params)

    with app.test_request_context("/"), force_locale("fr"):
        assert problem_text(problem) == french
