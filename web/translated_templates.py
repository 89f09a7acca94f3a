"""Templates compiled once per language, with their fixed words already translated.

`{{ _("Save") }}` asked the catalog on every render: the call through the template's context, the locale in force,
the catalog's look-up and a Markup made of the answer, 90 to 130 times a page (a contract page's labels, headings and
buttons) for words that are the same on every render in that language. Here an HTML template is compiled for the
language it is first asked in, and `_("a literal")` is then that literal's translation, a constant Jinja folds into
the page's text at compile time. The same words come out, from the same catalog:

- only `_("...")` or `gettext("...")` with one literal and nothing else; a call with variables, ngettext, pgettext
  and {% trans %} blocks are asked at render time as before;
- only when the translation has no "%": a bare `_()` formats its translation (% with no variables) at render time;
- only in autoescaped templates (HTML), where `_()` answers Markup: the constant is marked safe the same way. Plain
  text templates (mail) keep the call.

Each language has its own compiled template (Jinja's cache holds the language in its key, the compiled code's files
in their names); outside an application (no language in force) templates compile as written.
"""
from __future__ import annotations

import weakref
from contextvars import ContextVar

import jinja2
import jinja2.ext
from flask.globals import _cv_app
from flask.templating import Environment as FlaskEnvironment
from jinja2.lexer import Token

from .locale_context import locale_name, translations

# The language a template is being compiled for (None: as written), set while Environment loads it.
_compiling: ContextVar[str | None] = ContextVar("coordina_compiling_language", default=None)

_GETTEXT_NAMES = frozenset({"_", "gettext"})


def _language() -> str | None:
    return locale_name() if _cv_app.get(None) is not None else None


class Environment(FlaskEnvironment):
    """Flask's environment, keeping one compiled template per name and language. Large enough a cache for every
    template in each shipped language (Jinja's default of 400 would drop and compile them again in turn)."""

    def __init__(self, app, **options):
        options.setdefault("cache_size", 4000)
        super().__init__(app, **options)
        # (name, language) -> the template, once loaded, when templates are not reloaded (production, tests): a page's
        # includes and imports (twenty on a contract's page) each asked Jinja's cache, whose key makes a weak
        # reference and whose look-up takes a lock and reorders its queue, 5% of the page.
        self._loaded: dict[tuple[str, str | None], jinja2.Template] = {}

    @jinja2.utils.internalcode
    def _load_template(self, name, globals):
        language = _language()
        if not globals and not self.auto_reload:
            template = self._loaded.get((name, language))
            if template is not None:
                return template
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        cache_key = (weakref.ref(self.loader), name, language)
        if self.cache is not None:
            template = self.cache.get(cache_key)
            if template is not None and (not self.auto_reload or template.is_up_to_date):
                if globals:
                    template.globals.update(globals)
                return self._keep(name, language, template)
        token = _compiling.set(language)
        try:
            template = self.loader.load(self, name, self.make_globals(globals))
        finally:
            _compiling.reset(token)
        if self.cache is not None:
            self.cache[cache_key] = template
        return self._keep(name, language, template)

    def _keep(self, name: str, language: str | None, template):
        if not self.auto_reload and self.cache is not None:
            self._loaded[(name, language)] = template
        return template


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    """The compiled code's files, one per template and language."""

    def get_cache_key(self, name, filename=None):
        return super().get_cache_key(f"{name}\x00{_compiling.get()}", filename)


class TranslateFixedWords(jinja2.ext.Extension):
    """`_("literal")` becomes `("translation"|safe)` in the token stream of an autoescaped template compiled for a
    language (see the module's notes); Jinja's optimiser then folds it into the page's text."""

    def filter_stream(self, stream):
        language = _compiling.get()
        autoescape = self.environment.autoescape
        if language is None or not (autoescape(stream.name) if callable(autoescape) else autoescape):
            yield from stream
            return
        catalog = translations()
        tokens = list(stream)
        i, end = 0, len(tokens)
        while i < end:
            token = tokens[i]
            if (token.type == "name" and token.value in _GETTEXT_NAMES and i + 3 < end
                    and tokens[i + 1].type == "lparen" and tokens[i + 2].type == "string"
                    and tokens[i + 3].type == "rparen" and (i == 0 or tokens[i - 1].type != "dot")):
                text = catalog.ugettext(tokens[i + 2].value)
                if "%" not in text:
                    line = token.lineno
                    yield Token(line, "lparen", "(")
                    yield Token(line, "string", text)
                    yield Token(line, "pipe", "|")
                    yield Token(line, "name", "safe")
                    yield Token(line, "rparen", ")")
                    i += 4
                    continue
            yield token
            i += 1
