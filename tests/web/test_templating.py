"""The template filters Coordina writes in place of Flask-Babel's, for speed, say exactly what Flask-Babel says."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import flask_babel
import pytest

from web.templating import dateformat, datetimeformat

INSTANTS = [datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc),  # the night Rome moves its clocks
            datetime(2026, 11, 30, 23, 59, 59, tzinfo=timezone.utc), datetime(2027, 1, 1, 12, 0)]  # naive: UTC


@pytest.mark.parametrize("locale", ["en", "it", "vi"])
@pytest.mark.parametrize("zone", ["Europe/Rome", "Asia/Ho_Chi_Minh", "America/New_York", "UTC"])
def test_datetimeformat_says_what_flask_babel_says(app, monkeypatch, locale, zone):
    monkeypatch.setattr(flask_babel, "get_timezone", lambda: ZoneInfo(zone))
    with app.test_request_context(), flask_babel.force_locale(locale):
        for value in INSTANTS:
            for format in ("short", "medium", "long", "full", "yyyy-MM-dd HH:mm"):
                assert datetimeformat(value, format) == flask_babel.format_datetime(value, format), (value, format)
        assert datetimeformat(None, "short") == ""


@pytest.mark.parametrize("locale", ["en", "it", "vi"])
@pytest.mark.parametrize("zone", ["Europe/Rome", "Asia/Ho_Chi_Minh", "America/New_York", "UTC"])
def test_dateformat_of_an_instant_says_its_day_where_the_reader_is_as_flask_babel_does(app, monkeypatch, locale,
                                                                                       zone):
    """An instant's day is the reader's: 23:59 UTC on 30 November is already 1 December in Ho Chi Minh City."""
    import pytz  # Flask-Babel's own timezones (its format_date normalizes with pytz)

    monkeypatch.setattr(flask_babel, "get_timezone", lambda: pytz.timezone(zone))
    with app.test_request_context(), flask_babel.force_locale(locale):
        for value in INSTANTS:
            for format in ("short", "medium", "long", "full", "yyyy-MM-dd"):
                assert dateformat(value, format) == flask_babel.format_date(value, format), (value, format)
        assert dateformat(None) == ""


@pytest.mark.parametrize("locale", ["en", "it", "vi"])
def test_a_tally_kept_per_count_says_what_babel_says_in_each_language_in_turn(app, locale):
    """A traffic count's words are kept per count and language: each reader still reads their own language's."""
    from babel.numbers import format_decimal

    from web.traffic import tally

    with app.test_request_context():
        for language in (locale, "it", locale, "vi"):
            with flask_babel.force_locale(language):
                for value in (0, 7, 1234, 1234567):
                    assert tally(value) == format_decimal(value, locale=language)
                assert tally(None) == "0"


def test_kept_links_name_the_workspace_of_the_request_that_reads_them(app, world, make_client):
    """Links are built once for the process (web/links.py): a page in one workspace never hands out another's."""
    import re

    from tenants.models import Role
    from tests.factories import person

    with app.app_context():
        person(world.rival, "coord@rival.example", Role.coordinator, name="Rico Rival")
    pages = {}
    for slug, email in (("acme", "coord@acme.example"), ("rival", "coord@rival.example"), ("acme", "manager@acme.example")):
        client = make_client()
        client.sign_in(email)
        page = client.get(f"/t/{slug}/contracts").get_data(as_text=True)
        pages.setdefault(slug, []).append(set(re.findall(r'href="/t/([a-z0-9-]+)/', page)))
    assert pages["acme"][0] == pages["acme"][1] == {"acme"}
    assert pages["rival"][0] == {"rival"}


def test_templates_read_the_globals_as_they_are_now_through_a_copy_made_once_per_change(app):
    """Contexts are made from a plain copy of the environment's globals (web.templating._Globals): a global added,
    replaced or removed after templates were loaded is seen by the next render, as Jinja's own ChainMap would."""
    env = app.jinja_env
    template = env.from_string("{{ coordina_probe if coordina_probe is defined else 'none' }}")
    with app.test_request_context("/"):
        assert template.render() == "none"
        env.globals["coordina_probe"] = "first"
        assert template.render() == "first"
        env.globals.update(coordina_probe="second")
        assert template.render() == "second"
        context = template.new_context({"x": 1})
        assert context.parent["coordina_probe"] == "second" and context.parent["x"] == 1
        assert context.globals_keys == set(env.globals)
        env.globals |= {"coordina_probe": "third"}
        assert template.render() == "third"
        del env.globals["coordina_probe"]
        assert template.render() == "none"
    # A template given globals of its own is made the way Jinja makes it.
    own = env.from_string("{{ coordina_probe }}", globals={"coordina_probe": "own"})
    with app.test_request_context("/"):
        assert own.render() == "own"


def test_lazy_texts_are_read_from_the_catalog_in_force_with_their_values(app):
    """Labels and choices are lazy texts (web.locale_context._lazy_text reads them from the request's catalog): each
    is shown in the language in force where it is read, a switched language (mail in the recipient's) included,
    with its values put in; outside a request it stays English."""
    from markupsafe import escape

    status = flask_babel.lazy_gettext("Status")
    due = flask_babel.lazy_gettext("Due from %(start)s on", start="1/3")
    assert str(status) == "Status"
    with app.test_request_context("/"):
        with flask_babel.force_locale("it"):
            assert str(status) == "Stato" and str(due) == "Scadenza dal 1/3 in poi"
            assert escape(status) == "Stato"  # as a template shows it
        with flask_babel.force_locale("vi"):
            assert str(status) == "Trạng thái" and f"{due}" == "Hạn chót từ 1/3 trở đi"


def test_html_templates_are_compiled_without_their_indentation_but_text_that_keeps_spaces_is_untouched(app):
    """web.templating.Unindent: an HTML template's lines lose their indentation at compile time (a tenth of a page's
    bytes); the line breaks stay, so words keep their spaces; a template with a <textarea> or <pre>, and plain-text
    mail, are compiled as written."""
    env = app.jinja_env
    unindent = env.extensions["web.templating.Unindent"]
    html = "<ul>\n  <li>{{ a }}</li>\n\t<li>b</li>\n</ul>"
    assert unindent.preprocess(html, "x/_list.html") == "<ul>\n<li>{{ a }}</li>\n<li>b</li>\n</ul>"
    kept = "<textarea>\n  line one\n    line two</textarea>"
    assert unindent.preprocess(kept, "x/_form.html") == kept
    assert unindent.preprocess("Hello,\n  indented on purpose", "mail/x.txt") == "Hello,\n  indented on purpose"
    with app.test_request_context("/"):
        page = env.get_template("deliverables/_head.html").render()
    assert "<thead><tr>\n<th scope=\"col\">" in page and "\n " not in page
