"""The app as gunicorn serves it for bench_live, plus a trivial endpoint to compare live.json's throughput with.

Environment: CONFMAN_DATABASE_URL (the bench database). The clock is pinned inside the generated event's day.
"""

from datetime import UTC, datetime

from confman import create_app

app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                  "TESTING_NOW": datetime(2021, 10, 25, 9, 0, tzinfo=UTC)})


@app.route("/_bench/trivial")
def trivial():
    return "ok"
