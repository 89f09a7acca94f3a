"""Mailings of an event: write one in several languages, choose who gets it, send it with a progress bar; the
public pages a recipient reaches from the mail (unsubscribe, RSVP), in the recipient's language."""
from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from i18n.locales import SUPPORTED_LOCALES
from tenants.auth import current_user
from tenants.db import db
from tenants.models import SEES_ALL
from tenants.resolve import PUBLIC, current_role, requires

from ..activities.service import local_today
from ..extensions import limiter
from ..features import panels
from ..htmx import hx_redirect, render, wants_fragment
from . import mailing as mailings
from .forms import MailingForm, RsvpForm
from .models import Event, Mailing
from .routes import bp, event_or_404


def _past_events(event: Event) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.id != event.id, Event.closes_on < local_today())
                                   .order_by(Event.opens_on.desc()).limit(50)))


def _audience(form: MailingForm) -> mailings.Audience:
    return mailings.Audience(contacts=bool(form.contacts.data), leads=bool(form.leads.data),
                             country=form.country.data or None, language=form.language.data or None,
                             tag=(form.tag.data or "").strip().lower() or None,
                             attended_event_id=form.attended_event_id.data)


@bp.route("/<int:event_id>/mailings/new")
@requires(*SEES_ALL)
def new_mailing(event_id: int):
    """A new mailing: texts per language, and who gets it."""
    event = event_or_404(event_id)
    kind = "party" if event.kind == "cocktail" else ("post_show" if event.closes_on < local_today() else "pre_show")
    form = MailingForm(formdata=None, past_events=_past_events(event), kind=kind, contacts=True, leads=False,
                       fallback_language="en", today=local_today())
    return render("events/mailing_new.html", "events/_mailing_form.html", form=form, event=event)


@bp.route("/<int:event_id>/mailings", methods=["POST"])
@requires(*SEES_ALL)
def create_mailing(event_id: int):
    """Save the mailing as a draft with its recipients (nobody who unsubscribed); sending is a second step."""
    event = event_or_404(event_id)
    form = MailingForm(past_events=_past_events(event), today=local_today())
    if not form.validate_on_submit():
        return render("events/mailing_new.html", "events/_mailing_form.html", status=422, form=form, event=event)
    mailing = mailings.create(event, form.kind.data, form.texts(), form.fallback_language.data, _audience(form),
                              actor_id=current_user().id, planned_on=form.planned_on.data)
    db.session.commit()
    flash(_("The mailing is ready for %(num)d people. Check it, then send it.", num=mailing.total), "success")
    return redirect(url_for("events.mailing", event_id=event.id, mailing_id=mailing.id), 303)


def _mailing_or_404(event: Event, mailing_id: int):
    found = mailings.get(event, mailing_id)
    if found is None:
        abort(404)
    return found


def _page(event: Event, found, status: int = 200, fragment: str = "events/_mailing_run.html", **overrides):
    mailing_panels = panels("mailing", found, **overrides)
    return render("events/mailing.html", fragment, status=status, event=event, mailing=found,
                  texts=mailings.texts_of(found), recipients=mailings.recipients_of(found),
                  counts=mailings.counts(found), can_run=current_role() in SEES_ALL, mailing_panels=mailing_panels,
                  panel=next((panel for template, panel in mailing_panels if template == fragment), {}))


def mailing_page(event: Event, found, fragment: str, status: int = 200, **overrides):
    """The mailing's page (or, for htmx, one of its panels: `fragment`), with a panel's form as it was posted."""
    return _page(event, found, status, fragment, **overrides)


@bp.route("/<int:event_id>/mailings/<int:mailing_id>")
def mailing(event_id: int, mailing_id: int):
    """A mailing: its texts, its recipients and how far it has gone."""
    event = event_or_404(event_id)
    return _page(event, _mailing_or_404(event, mailing_id))


@bp.route("/<int:event_id>/mailings/<int:mailing_id>/send", methods=["POST"])
@requires(*SEES_ALL)
def send_mailing(event_id: int, mailing_id: int):
    """Start sending; the page then queues it a batch at a time with a progress bar."""
    event = event_or_404(event_id)
    found = _mailing_or_404(event, mailing_id)
    mailings.start(found, actor_id=current_user().id)
    db.session.commit()
    return redirect(url_for("events.mailing", event_id=event.id, mailing_id=found.id), 303)


@bp.route("/<int:event_id>/mailings/<int:mailing_id>/step", methods=["POST"])
@requires(*SEES_ALL)
def mailing_step(event_id: int, mailing_id: int):
    """Queue the next batch (each poll of the progress bar does one) and show how far it is."""
    event = event_or_404(event_id)
    found = _mailing_or_404(event, mailing_id)
    mailings.step(found, g.tenant, event)
    db.session.commit()
    if not wants_fragment():
        return redirect(url_for("events.mailing", event_id=event.id, mailing_id=found.id), 303)
    if found.status == "sent":
        return hx_redirect(url_for("events.mailing", event_id=event.id, mailing_id=found.id))
    return _page(event, found)


@bp.route("/<int:event_id>/guests")
def guests(event_id: int):
    """The party's guest list as answers come in (the event page polls it)."""
    event = event_or_404(event_id)
    return render("events/guests.html", "events/_guests.html", event=event, guests=mailings.guests(event),
                  standalone=not wants_fragment())


# --- what a recipient opens from the mail -------------------------------------------------------------------


def _recipient_or_404(token: str):
    recipient = mailings.recipient_for(token)
    if recipient is None:
        abort(404)
    return recipient


def _in_their_language(recipient, template: str, status: int = 200, **ctx):
    locale = recipient.language if recipient.language in SUPPORTED_LOCALES else g.tenant.default_locale
    with force_locale(locale):
        return render(template, template, status=status, recipient=recipient, tenant=g.tenant, lang=locale, **ctx)


@bp.route("/unsubscribe/<token>", access=PUBLIC)
def unsubscribe(token: str):
    """Ask before unsubscribing (mail scanners open links; only a person presses the button)."""
    recipient = _recipient_or_404(token)
    return _in_their_language(recipient, "events/unsubscribe.html", done=mailings.is_unsubscribed(recipient.email))


@bp.route("/unsubscribe/<token>", methods=["POST"], access=PUBLIC)
@limiter.limit("30 per minute")
def confirm_unsubscribe(token: str):
    """No more event mailings to this address from this company, ever."""
    recipient = _recipient_or_404(token)
    mailings.unsubscribe(recipient)
    return _in_their_language(recipient, "events/unsubscribe.html", done=True)


@bp.route("/rsvp/<token>", access=PUBLIC)
def rsvp(token: str):
    """The guest's answer to a party invitation: yes, no, and whether they bring someone."""
    recipient = _recipient_or_404(token)
    event = _event_of(recipient)
    form = RsvpForm(formdata=None, answer=recipient.rsvp or "yes", plus_one=recipient.plus_one)
    return _in_their_language(recipient, "events/rsvp.html", form=form, event=event, saved=False)


@bp.route("/rsvp/<token>", methods=["POST"], access=PUBLIC)
@limiter.limit("30 per minute")
def answer_rsvp(token: str):
    """Save the guest's answer (they may change it later from the same link)."""
    recipient = _recipient_or_404(token)
    event = _event_of(recipient)
    form = RsvpForm()
    if not form.validate():
        return _in_their_language(recipient, "events/rsvp.html", 422, form=form, event=event, saved=False)
    mailings.answer(recipient, form.answer.data, bool(form.plus_one.data))
    return _in_their_language(recipient, "events/rsvp.html", form=form, event=event, saved=True)


def _event_of(recipient) -> Event:
    return db.session.scalar(select(Event).join(Mailing, Mailing.event_id == Event.id)
                             .where(Mailing.id == recipient.mailing_id))
