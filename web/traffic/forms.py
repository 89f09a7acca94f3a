"""A placement's form (landing URL, run, place) and the site-visit upload."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms.validators import StopValidation

from ..forms import Day, Form, Ref, Text, Version, max_length, optional, required

BAD_URL = _l("Enter the full address of the landing page, starting with http:// or https://, e.g. "
             "https://www.example.com/offer")


class LandingUrl:
    """An address the tracked link may send people to: http or https with a host, nothing else (a javascript: or
    data: address never becomes a redirect)."""

    def __call__(self, form, field):
        value = (field.data or "").strip()
        try:
            parts = urlsplit(value)
        except ValueError:
            raise StopValidation(BAD_URL) from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
            raise StopValidation(BAD_URL)


class PlacementForm(Form):
    deliverable_id = Ref(_l("Deliverable"), [required(_l("Choose the banner or link."))])
    landing_url = Text(_l("Landing page"), [required(), max_length(1000), LandingUrl()])
    starts_on = Day(_l("Runs from"), [required()])
    ends_on = Day(_l("Until"), [optional()])
    placement = Text(_l("Where it shows"), [optional(), max_length(200)])
    version = Version()

    def __init__(self, *args, deliverables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.deliverable_id.choices = [(str(d.id), d.details) for d in deliverables]

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise StopValidation(_l("The end cannot be before the start."))


class EditPlacementForm(PlacementForm):
    """The same, for a placement that exists: its deliverable stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.deliverable_id


class SiteVisitsForm(Form):
    file = FileField(_l("CSV file"))

    def validate_file(self, field):
        if not getattr(field.data, "filename", ""):
            raise StopValidation(_l("Choose a CSV file."))
