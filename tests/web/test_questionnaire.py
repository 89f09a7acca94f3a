"""The questionnaire: questions in each language (admins only), answers of the right type, the score."""
from __future__ import annotations

from sqlalchemy import func, select

from tenants.db import db
from tenants.scoping import tenant_context
from web.questionnaire import service as questionnaire
from web.questionnaire.models import Answer

from .. import factories as f
from .. import lead_factories as lf
from .lead_helpers import (
    count_rows,
    lead_row,
    make_questionnaire,
    post_answers,
    text_of,
)


def test_an_admin_writes_the_questionnaire_in_each_language_and_only_admins_may(app, client, make_client, world):
    client.login("admin@acme.example")
    added = client.post("/t/acme/leads/questionnaire", {
        "kind": "choice", "text_en": "Which fair do they attend?", "text_it": "A quale fiera partecipano?",
        "text_vi": "Họ tham dự hội chợ nào?"})
    assert added.status_code == 303 and "/edit#options" in added.headers["Location"]
    with app.app_context(), tenant_context(world.acme.id):
        question_id = db.session.scalar(select(func.max(questionnaire.Question.id)))
    option = client.post(f"/t/acme/leads/questionnaire/{question_id}/options",
                         {"label_en": "Cosmoprof", "label_it": "Cosmoprof", "points": "4"})
    assert option.status_code == 303
    empty = client.post("/t/acme/leads/questionnaire", {"kind": "yes_no", "text_en": "", "text_it": ""})
    assert empty.status_code == 422 and f.shows(empty, "Write it in at least one language.")
    crazy = client.post("/t/acme/leads/questionnaire", {"kind": "yes_no", "text_en": "Budget?", "points_yes": "lots"})
    assert crazy.status_code == 422 and f.shows(crazy, "Enter a whole number.") and 'value="Budget?"' in text_of(crazy)
    huge = client.post("/t/acme/leads/questionnaire", {"kind": "number", "text_en": "Staff?", "threshold": "1" + "0" * 20,
                                                       "points_yes": "5000"})
    assert huge.status_code == 422 and f.shows(huge, "Enter a number below a trillion with at most 4 decimal places.")
    assert f.shows(huge, "Use points between -1000 and 1000.")
    far = client.post("/t/acme/leads/questionnaire/threshold", {"threshold": "99999999999"})
    assert far.status_code == 422 and f.shows(far, "Use a score between -100,000 and 100,000.")
    page = text_of(client.get("/t/acme/leads/questionnaire"))
    assert "Which fair do they attend?" in page and "Cosmoprof (+4)" in page

    italian = make_client()
    italian.login("coord@acme.example")  # Giulia reads Italian: the Italian wording, English where missing
    read = text_of(italian.get("/t/acme/leads/questionnaire"))
    assert "A quale fiera partecipano?" in read
    assert italian.post("/t/acme/leads/questionnaire", {"kind": "text", "text_en": "Sneaky?"}).status_code == 403
    assert italian.get(f"/t/acme/leads/questionnaire/{question_id}/edit").status_code == 403


def test_answers_of_the_wrong_type_are_refused_and_every_answer_typed_stays(app, client, world):
    budget, size, timing, notes, options = make_questionnaire(app, world)
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    client.login("admin@acme.example")
    wrong = post_answers(app, client, world, lead.id, {
        f"q-{budget.id}": "maybe", f"q-{size.id}": "about fifty", f"q-{timing.id}": "999999",
        f"q-{notes.id}": "The owner, Marta"}, htmx=True)
    assert wrong.status_code == 422
    page = text_of(wrong)
    assert f.shows(page, "Answer yes or no.") and f.shows(page, "“about fifty” is not an amount Coordina can read. Type it like 1,234.56.")
    assert f.shows(page, "Choose one of the options.")
    assert 'value="about fifty"' in page and 'value="The owner, Marta"' in page
    assert count_rows(app, world.acme, Answer) == 0  # nothing half-saved
    huge = post_answers(app, client, world, lead.id, {f"q-{size.id}": "1e40"}, htmx=True)
    assert huge.status_code == 422

    saved = post_answers(app, client, world, lead.id, {
        f"q-{budget.id}": "yes", f"q-{size.id}": "120", f"q-{timing.id}": str(options[0].id),
        f"q-{notes.id}": "The owner, Marta"}, htmx=True)
    assert saved.status_code == 200 and text_of(saved).startswith('<section class="card" id="answers"')
    assert lead_row(app, world.acme, lead.id).score == 10 + 5 + 7 + 2
    cleared = post_answers(app, client, world, lead.id, {f"q-{budget.id}": "no"})
    assert cleared.status_code == 303  # without JavaScript: back to the lead
    assert lead_row(app, world.acme, lead.id).score == -5
    assert count_rows(app, world.acme, Answer) == 1


def test_the_score_follows_the_admins_rules_and_suggests_qualified(app, client, world):
    budget, size, *_ = make_questionnaire(app, world)
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    client.login("admin@acme.example")
    assert client.post("/t/acme/leads/questionnaire/threshold", {"threshold": "12"}).status_code == 303
    post_answers(app, client, world, lead.id, {f"q-{budget.id}": "yes", f"q-{size.id}": "80"})
    assert lead_row(app, world.acme, lead.id).score == 15
    assert f.shows(client.get(f"/t/acme/leads/{lead.id}"), "reaches the threshold of 12")
    with app.app_context(), tenant_context(world.acme.id):
        version = db.session.get(questionnaire.Question, size.id).version
    changed = client.post(f"/t/acme/leads/questionnaire/{size.id}", {
        "kind": "number", "text_en": "How many employees?", "threshold": "100", "points_threshold": "5",
        "version": str(version)})
    assert changed.status_code == 303
    assert lead_row(app, world.acme, lead.id).score == 10  # 80 employees no longer reach the threshold
    retype = client.post(f"/t/acme/leads/questionnaire/{size.id}", {
        "kind": "text", "text_en": "How many employees?", "version": str(version + 1)})
    assert retype.status_code == 422 and f.shows(retype, "its type stays")
    removed = client.post(f"/t/acme/leads/questionnaire/{budget.id}/delete")
    assert removed.status_code == 303
    assert lead_row(app, world.acme, lead.id).score == 0  # archived: its points no longer count
