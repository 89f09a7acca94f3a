"""Leads at the show: the quick capture form (made for a phone at the booth) and the business card photos."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import db

from ..contracts.routes import file_response
from ..files import service as files
from ..htmx import render
from ..leads import service as leads
from ..leads.models import Source
from . import results
from .forms import CaptureForm
from .routes import bp, event_or_404


def _tag(event) -> str:
    # Tagged with the show, so the leads inbox can be filtered by it (tags are at most 40 characters, lower case).
    return " ".join(event.name.lower().split())[:40]


@bp.route("/<int:event_id>/capture")
def capture(event_id: int):
    """The quick capture form: name, company, email, interest, notes, a photo of the card."""
    event = event_or_404(event_id)
    return render("events/capture.html", "events/_capture_form.html", form=CaptureForm(formdata=None, interest="warm"),
                  event=event)


@bp.route("/<int:event_id>/capture", methods=["POST"])
def create_capture(event_id: int):
    """Save the lead into the leads inbox, tagged with the show; the form comes back empty for the next one."""
    event = event_or_404(event_id)
    form = CaptureForm()
    if not form.validate_on_submit():
        return render("events/capture.html", "events/_capture_form.html", status=422, form=form, event=event)
    me = current_user()
    card_id = None
    upload = form.card.data
    if upload is not None and getattr(upload, "filename", ""):
        try:
            card_id = files.store(upload, me.id).id
        except files.UploadError as exc:
            db.session.rollback()
            form.card.errors = [str(exc.args[0])]
            return render("events/capture.html", "events/_capture_form.html", status=422, form=form, event=event)
    lead = results.capture(event, leads.LeadData(
        company=form.company.data or None, contact_name=form.contact_name.data or None,
        email=form.email.data or None, source=Source.event.value, owner_id=me.id, tags=[_tag(event)],
        notes=form.notes.data or None, country=event.country), form.interest.data, card_file_id=card_id,
        actor_id=me.id)
    db.session.commit()
    flash(_("“%(lead)s” is in the leads inbox. Next one?", lead=lead.title), "success")
    return redirect(url_for("events.capture", event_id=event.id), 303)


@bp.route("/<int:event_id>/leads/<int:captured_id>/card")
def card(event_id: int, captured_id: int):
    """The photo of a captured lead's business card."""
    event = event_or_404(event_id)
    row = results.get_captured(event, captured_id)
    if row is None or row.card_file_id is None:
        abort(404)
    from ..files.models import StoredFile

    return file_response(db.session.get(StoredFile, row.card_file_id))
