"""Templates compiled per language with their fixed words translated (web.translated_templates, issue 15): every
reader still gets their own language, whichever language compiled a template first, before and after a restart."""
from __future__ import annotations

import re

from web import create_app
from web.translated_templates import _compiling

from .. import factories as f
from ..conftest import app_config

STRONG = "kx9Y!q2Z#w4V%e6R&t8U*p0O(i9U)y7T-r5E+w3Q"


def _sign_in_page(client, language: str) -> str:
    response = client.get("/login", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _heading(page: str) -> str:
    return re.search(r"<h1>([^<]+)</h1>", page).group(1)


def test_each_reader_gets_their_language_in_turn_and_after_a_restart(database_urls, tmp_path, monkeypatch):
    monkeypatch.setenv("COORDINA_INSTANCE", str(tmp_path))
    expected = {"en": "Sign in", "it": f.translated("Sign in", "it"), "vi": f.translated("Sign in", "vi")}
    production = create_app(app_config(database_urls, ENV="production", SECRET_KEY=STRONG))
    client = production.test_client()
    for language in ("it", "en", "vi", "it", "en"):
        assert _heading(_sign_in_page(client, language)) == expected[language], language
    # A new process reads the compiled code kept on disk: one file per template and language.
    again = create_app(app_config(database_urls, ENV="production", SECRET_KEY=STRONG)).test_client()
    for language in ("vi", "en", "it"):
        assert _heading(_sign_in_page(again, language)) == expected[language], language


def test_fixed_words_are_compiled_in_and_words_with_values_are_asked_when_shown(app):
    """Compiled for Italian, `_("Sign in")` is the Italian text in the page's code, no call at render time; a call
    with values, and a translation holding a %, stay calls; a plain-text template keeps its calls."""
    source = ('<h1>{{ _("Sign in") }}</h1><p>{{ _("%(count)s contracts", count=n) }}</p>'
              '<b>{{ gettext("Forgot your password?") }}</b><i>{{ _("100%% sure") }}</i>')
    env = app.jinja_env
    with app.test_request_context(headers={"Accept-Language": "it"}):
        token = _compiling.set("it")
        try:
            html = env.compile(source, "x.html", "x.html", raw=True)
            text = env.compile(source, "x.txt", "x.txt", raw=True)
            shown = env.template_class.from_code(env, env.compile(source, "x.html", "x.html"),
                                                 env.make_globals(None)).render(n=3)
        finally:
            _compiling.reset(token)
    # "%%" is a % once formatted, as a bare _() formats it when shown.
    assert "<i>100% sure</i>" in shown and f"<h1>{f.translated('Sign in', 'it')}</h1>" in shown
    assert repr(f.translated("Sign in", "it"))[1:-1] in html
    assert repr(f.translated("Forgot your password?", "it"))[1:-1] in html
    assert "'Sign in'" not in html and "'Forgot your password?'" not in html
    assert "'%(count)s contracts'" in html  # with a value: asked when shown
    assert "'Sign in'" in text and "'Forgot your password?'" in text  # mail's plain text: as written


def test_a_signed_in_page_in_each_language(app, client, world):
    """The same page read by an Italian reader, then an English one, then the Italian again: each their own words."""
    client.login("coord@acme.example")  # Giulia reads Italian
    italian = client.get("/t/acme/contracts").get_data(as_text=True)
    client.login("owner@acme.example")  # English
    english = client.get("/t/acme/contracts").get_data(as_text=True)
    client.login("coord@acme.example")
    again = client.get("/t/acme/contracts").get_data(as_text=True)
    word = f.translated("Contracts", "it")
    assert f"<h1>{word}</h1>" in italian and f"<h1>{word}</h1>" in again
    assert "<h1>Contracts</h1>" in english and word not in english.split("<main", 1)[1]
