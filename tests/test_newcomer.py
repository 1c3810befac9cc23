"""A newcomer's first five minutes: make run's settings, its closing lines, the demo thread."""

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.demo import load_demo
from comments.models import Comment, Like
from ops.management.commands.welcome import welcome_lines
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_shows_the_sites_own_error_pages_and_saves_mail_in_outbox():
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    runserver = next(line for line in plan.splitlines() if "runserver" in line)
    assert "DEBUG=0" in runserver and "SECRET_KEY=" in runserver
    assert "EMAIL_OUTBOX=outbox" in runserver
    assert plan.rstrip().splitlines()[-1].strip().startswith("wait")  # welcome printed before


@pytest.mark.django_db
def test_the_closing_lines_say_where_the_site_is_how_staff_sign_in_and_where_mail_goes(
    settings,
):
    settings.EMAIL_BACKEND = "mailer.outbox.EmailBackend"
    settings.EMAIL_OUTBOX = Path("outbox")
    lines = welcome_lines("http://127.0.0.1:8000/")
    assert lines[0] == "Back Story is running at http://127.0.0.1:8000/"
    assert "run `make createsuperuser`" in lines[1]
    assert "outbox/index.html" in lines[2]
    UserFactory(username="editor", is_staff=True, password="a long password")
    assert "as editor" in welcome_lines("http://127.0.0.1:8000/")[1]


@pytest.mark.django_db
def test_the_demo_has_a_threaded_conversation_with_a_practice_team_reply_and_likes(capsys):
    load_demo()
    call_command("load_demo", verbosity=1)
    call_command("load_demo", verbosity=1)
    out = capsys.readouterr().out
    assert "Demo comments: 4 created" in out and "already present, left alone" in out
    comments = list(Comment.objects.visible().order_by("thread_id", "order"))
    assert len(comments) == 4
    team = [c for c in comments if c.user_id]
    assert len(team) == 1 and team[0].user.is_staff and team[0].level == 1
    assert not team[0].user.has_usable_password()  # nobody signs in as the demo's team
    assert Like.objects.count() == 7
    # The demo's team account is not offered as a way in.
    assert "no staff account yet" in welcome_lines("http://127.0.0.1:8000/")[1]
