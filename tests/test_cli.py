"""The `confman` commands, invoked as an operator would (through the app's CLI)."""

from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AgendaSession, Event, EventRole, Role, Speaker, User
from confman.services import sample, users

from factories import make_event


def _counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Event, AgendaSession, Speaker, User, EventRole)}


def test_demo_loads_prepcon_and_a_second_run_changes_nothing(app):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo"])
    after_first = _counts()
    second = runner.invoke(args=["demo"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "created  event prepcon-2021" in first.output
    assert "exists   event prepcon-2021" in second.output
    assert _counts() == after_first
    assert after_first["Event"] == 3  # the Ministerial, PrepCon and the demo event
    prepcon = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
    assert prepcon.parent.slug == "seoul-ministerial-2021"
    assert [h.organization.short_name for h in prepcon.co_hosts] == ["Pakistan", "Netherlands"]
    assert [t.name for t in prepcon.themes] == ["Safety and Security", "Protection"]
    assert prepcon.is_sample


def test_demo_creates_sample_accounts_that_can_log_in(app, client):
    app.test_cli_runner().invoke(args=["demo"])

    response = client.post("/login", data={"email": sample.SAMPLE_ACCOUNTS["organizer"],
                                           "password": sample.SAMPLE_PASSWORD})

    assert response.status_code == 302
    assert client.get("/manage/events/prepcon-2021/").status_code == 200


def test_users_create_takes_the_password_from_the_environment(app):
    event = make_event(slug="prepcon")
    db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["users", "create", "Chair@Example.org", "--role", "moderator", "--event", "prepcon"],
        env={"CONFMAN_PASSWORD": "a long enough password"},
    )

    assert result.exit_code == 0, result.output
    user = users.find_by_email("chair@example.org")
    assert users.check_password(user, "a long enough password")
    assert [(r.event_id, r.role) for r in user.roles] == [(event.id, Role.MODERATOR)]


def test_users_create_admin(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "admin@example.org", "--role", "admin"],
                                          env={"CONFMAN_PASSWORD": "a long enough password"})

    assert result.exit_code == 0, result.output
    assert users.find_by_email("admin@example.org").is_admin


def test_users_create_refuses_bad_input_and_changes_nothing(app):
    make_event(slug="prepcon")
    db.session.commit()
    runner = app.test_cli_runner()
    env = {"CONFMAN_PASSWORD": "a long enough password"}
    runner.invoke(args=["users", "create", "taken@example.org", "--role", "admin"], env=env)
    before = _counts()

    cases = {
        "unknown event": (["taken2@example.org", "--role", "organizer", "--event", "nope"], env,
                          "There is no event with the slug 'nope'"),
        "duplicate user": (["TAKEN@example.org", "--role", "admin"], env, "already exists"),
        "bad role": (["x@example.org", "--role", "king"], env, "Invalid value for '--role'"),
        "missing event": (["x@example.org", "--role", "organizer"], env, "give --event SLUG"),
        "admin with event": (["x@example.org", "--role", "admin", "--event", "prepcon"], env, "leave out --event"),
        "bad email": (["not-an-email", "--role", "admin"], env, "not a valid email address"),
        "short password": (["x@example.org", "--role", "admin"], {"CONFMAN_PASSWORD": "short"}, "at least 10"),
    }
    for name, (args, case_env, message) in cases.items():
        result = runner.invoke(args=["users", "create", *args], env=case_env)

        assert result.exit_code != 0, name
        assert message in result.output, (name, result.output)
    assert _counts() == before


def test_users_list_shows_roles(app):
    event = make_event(slug="prepcon")
    users.create_user("org@example.org", password="a long enough password", now=event.created_at,
                      roles=((event, Role.ORGANIZER),))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["users", "list"])

    assert result.exit_code == 0
    assert "org@example.org" in result.output
    assert "organizer of prepcon" in result.output


def test_commands_speak_the_terminals_language_and_english_otherwise(app):
    """An operator whose terminal is French (LANG=fr_FR.UTF-8) reads confman's messages in French, errors too;
    C/POSIX and an unsupported language get English."""
    make_event(slug="prepcon")
    db.session.commit()

    def remind(slug, **env):  # each in its own app context, as each run of the command is its own process
        with app.app_context():
            return app.test_cli_runner().invoke(args=["video", "remind", "--event", slug], env=env)

    french = remind("prepcon", LANG="fr_FR.UTF-8")
    unknown = remind("nowhere", LC_ALL="", LANG="C.UTF-8", LANGUAGE="fr_CA:fr")
    listed = remind("nowhere", LANG="de_CH.UTF-8", LANGUAGE="de:fr")
    german = remind("prepcon", LANG="de_DE.UTF-8")

    assert french.exit_code == 0, french.output
    assert "0 message en file d’attente, 0 créneau en retard." in french.output
    assert unknown.exit_code != 0 and "There is no event with the slug 'nowhere'." in unknown.output
    assert listed.exit_code != 0 and "Aucun événement n’a l’identifiant 'nowhere'." in listed.output
    assert "0 messages queued, 0 overdue slots." in german.output
