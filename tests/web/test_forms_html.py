"""Coordina renders form attributes with its own html_params (web/forms.py), installed in WTForms' place for speed:
it must write exactly what WTForms writes, whatever the values hold."""
from __future__ import annotations

import pytest
from markupsafe import Markup
from wtforms import Form, StringField

from web import forms

CASES = [
    {"name": "q", "id": "contract-q", "class_": "grow", "type": "search"},
    {"value": 'He said "hi" & <left>', "data_autosubmit": True, "readonly": False, "aria_describedby": "x y"},
    {"value": Markup('<b class="x">bold</b>'), "for_": "a", "data_hx_get": "/t/x?a=1&b=2"},
    {"value": 0, "min": 1.5, "required": True, "placeholder": "0,00 €", "title": "l'été"},
    {"value": None, "hx_vals": '{"a": "b"}', "multiple": True},
    {},
]


@pytest.mark.parametrize("kwargs", CASES)
def test_attributes_are_written_exactly_as_wtforms_writes_them(kwargs):
    assert forms.html_params(**kwargs) == forms.WTFORMS_HTML_PARAMS(**kwargs)
    assert isinstance(forms.html_params(**kwargs), Markup)


def test_wtforms_widgets_use_it():
    import wtforms.widgets.core as core

    assert core.html_params is forms.html_params and core.Input.html_params is forms.html_params
    class Plain(Form):
        title = StringField("Title")

    html = str(Plain().title(class_="wide", data_hint='say "yes"'))
    assert 'class="wide"' in html and 'data-hint="say &#34;yes&#34;"' in html and 'name="title"' in html
