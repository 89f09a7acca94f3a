"""Each tenant's qualifying questionnaire: questions in every shipped language, answers of the right type,
and the score that follows from the admin's rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from i18n.money import AmountError, entry_text, read_amount
from tenants import audit, reference
from tenants.db import EditConflict, check_version, db, utcnow
from tenants.scoping import built_once

from ..forms import NUL_TEXT, amount_refusal
from ..leads.models import Lead, LeadSettings, Status
from ..leads.service import settings
from .models import Answer, Kind, Question, QuestionOption

MAX_NUMBER = Decimal("1e12")

reference.watch(Question, QuestionOption, LeadSettings)


class QuestionError(ValueError):
    """A questionnaire change the rules do not allow, with the reader's explanation."""


# --- questions ------------------------------------------------------------------------------------------


def questions(*, include_archived: bool = False) -> list[Question]:
    """The questionnaire in order, each with its options. The questions in use are the workspace's reference data,
    read on every lead's page: kept per process until the questionnaire changes (tenants.reference), as objects no
    session holds, which no one may change; the admin's list (with the archived ones) is read each time, to edit."""
    if include_archived:
        return _read_questions(db.session, True)
    return list(reference.kept("questionnaire", lambda session: tuple(_read_questions(session, False))))


def _read_questions(session, include_archived: bool) -> list[Question]:
    """The questionnaire from the database: two statements, the questions and their options."""
    def build():
        stmt = select(Question).order_by(Question.position, Question.id)
        return stmt if include_archived else stmt.where(Question.active.is_(True))

    found = list(session.scalars(built_once(build, include_archived)))
    # The options in a second statement built once, handed to their questions (a selectinload built its own
    # statement on every read: a third of the questionnaire's cost on every lead's page).
    options: dict[int, list[QuestionOption]] = {question.id: [] for question in found}
    if found:
        for option in session.scalars(built_once(lambda: (
                select(QuestionOption).where(QuestionOption.question_id.in_(bindparam("question_ids", expanding=True)))
                .order_by(QuestionOption.position, QuestionOption.id))), {"question_ids": list(options)}):
            options[option.question_id].append(option)
    for question in found:
        set_committed_value(question, "options", options[question.id])
    return found


def threshold() -> int | None:
    """The score at which a lead being researched is suggested qualified (the lead settings), if the admins set one."""
    return reference.kept("lead_threshold", lambda session: session.scalar(
        built_once(lambda: select(LeadSettings.qualify_threshold))))


def any_question():
    """A SQL condition: the questionnaire has a question in use."""
    return select(Question.id).where(Question.active.is_(True)).exists()


def get_question(question_id: int) -> Question | None:
    return db.session.scalar(select(Question).where(Question.id == question_id)
                             .options(selectinload(Question.options)))


@dataclass
class QuestionData:
    kind: str
    texts: dict[str, str]
    points_yes: int = 0
    points_no: int = 0
    threshold: Decimal | None = None
    points_threshold: int = 0
    points_answered: int = 0


RULE_FIELDS = ("points_yes", "points_no", "threshold", "points_threshold", "points_answered")


def _apply(question: Question, data: QuestionData) -> None:
    question.kind = data.kind
    question.texts = {k: v.strip() for k, v in data.texts.items() if v and v.strip()}
    for name in RULE_FIELDS:
        setattr(question, name, getattr(data, name))


def add_question(data: QuestionData, *, actor_id: int | None) -> Question:
    """A new question at the end of the questionnaire. Commits."""
    position = (db.session.scalar(select(func.max(Question.position))) or 0) + 1
    question = Question(position=position, active=True)
    _apply(question, data)
    db.session.add(question)
    db.session.flush()
    audit.record("leads.questionnaire_changed", actor_id=actor_id, subject_type="question", subject_id=question.id,
                 details={"added": question.texts.get("en", ""), "kind": question.kind})
    db.session.commit()
    return question


def update_question(question: Question, data: QuestionData, *, version: int | None, actor_id: int | None) -> None:
    """Save the wording and the rules; scores of answered leads follow. EditConflict if saved meanwhile."""
    check_version(question, version)
    if data.kind != question.kind and _answer_count(question):
        # Answers of one type never silently become answers of another.
        raise QuestionError(_l("This question has answers, so its type stays. Archive it and add a new one instead."))
    tracked = audit.Tracked(question, ("kind",) + RULE_FIELDS, lambda q: dict(q.texts))
    _apply(question, data)
    tracked.record("leads.questionnaire_changed", actor_id=actor_id, subject_type="question", subject_id=question.id)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict() from None
    recompute_scores()
    db.session.commit()


def _answer_count(question: Question) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer).where(Answer.question_id == question.id)) or 0


def is_answered(question: Question) -> bool:
    return _answer_count(question) > 0


def move_question(question: Question, direction: int, *, actor_id: int | None) -> None:
    """Swap the question with its neighbour above (-1) or below (+1). Commits."""
    ordered = questions(include_archived=True)
    index = next(i for i, q in enumerate(ordered) if q.id == question.id)
    other = index + direction
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, q in enumerate(ordered, start=1):
            if q.position != position:
                q.position = position
    db.session.commit()


def remove_question(question: Question, *, actor_id: int | None) -> str:
    """Delete an unanswered question; an answered one is archived so past answers keep their meaning."""
    text = question.texts.get("en", "")
    if _answer_count(question):
        question.active = False
        outcome = "archived"
    else:
        db.session.execute(delete(QuestionOption).where(QuestionOption.question_id == question.id))
        db.session.delete(question)
        outcome = "deleted"
    audit.record("leads.questionnaire_changed", actor_id=actor_id, subject_type="question", subject_id=question.id,
                 details={outcome: text})
    db.session.flush()
    recompute_scores()
    db.session.commit()
    return outcome


def restore_question(question: Question, *, actor_id: int | None) -> None:
    question.active = True
    audit.record("leads.questionnaire_changed", actor_id=actor_id, subject_type="question", subject_id=question.id,
                 details={"restored": question.texts.get("en", "")})
    db.session.flush()
    recompute_scores()
    db.session.commit()


def add_option(question: Question, labels: dict[str, str], points: int, *, actor_id: int | None) -> QuestionOption:
    position = max((o.position for o in question.options), default=0) + 1
    option = QuestionOption(question_id=question.id, labels={k: v.strip() for k, v in labels.items() if v and v.strip()},
                            points=points, position=position, active=True)
    db.session.add(option)
    db.session.flush()
    audit.record("leads.questionnaire_changed", actor_id=actor_id, subject_type="question", subject_id=question.id,
                 details={"option_added": option.labels.get("en", ""), "points": points})
    db.session.commit()
    return option


def update_option(option: QuestionOption, labels: dict[str, str], points: int, *, actor_id: int | None) -> None:
    tracked = audit.Tracked(option, ("points",), lambda o: dict(o.labels))
    option.labels = {k: v.strip() for k, v in labels.items() if v and v.strip()}
    option.points = points
    tracked.record("leads.questionnaire_changed", actor_id=actor_id, subject_type="question",
                   subject_id=option.question_id)
    db.session.flush()
    recompute_scores()
    db.session.commit()


def remove_option(option: QuestionOption, *, actor_id: int | None) -> str:
    used = db.session.scalar(select(func.count()).select_from(Answer).where(Answer.option_id == option.id)) or 0
    if used:
        option.active = False
        outcome = "archived"
    else:
        db.session.delete(option)
        outcome = "deleted"
    audit.record("leads.questionnaire_changed", actor_id=actor_id, subject_type="question",
                 subject_id=option.question_id, details={f"option_{outcome}": option.labels.get("en", "")})
    db.session.commit()
    return outcome


def get_option(question: Question, option_id: int) -> QuestionOption | None:
    return db.session.scalar(select(QuestionOption).where(QuestionOption.id == option_id,
                                                          QuestionOption.question_id == question.id))


def set_threshold(value: int | None, *, actor_id: int | None) -> None:
    row = settings()
    if row.qualify_threshold != value:
        audit.record("leads.settings_changed", actor_id=actor_id, subject_type="lead_settings", subject_id=row.id,
                     details={"qualify_threshold": [row.qualify_threshold, value]})
        row.qualify_threshold = value
    db.session.commit()


# --- answers and the score ----------------------------------------------------------------------------------


def points_for(question: Question, answer: Answer, options: dict[int, QuestionOption]) -> int:
    """The points an answer earns under the question's rules."""
    if question.kind == Kind.yes_no.value and answer.yes is not None:
        return question.points_yes if answer.yes else question.points_no
    if question.kind == Kind.choice.value and answer.option_id is not None:
        option = options.get(answer.option_id)
        return option.points if option is not None else 0
    if question.kind == Kind.number.value and answer.number is not None and question.threshold is not None:
        return question.points_threshold if answer.number >= question.threshold else 0
    if question.kind == Kind.text.value and answer.text:
        return question.points_answered
    return 0


def score_of(answers: list[Answer], qs: dict[int, Question]) -> int | None:
    """The lead's score from its answers to active questions; None before anything is answered."""
    options = {o.id: o for q in qs.values() for o in q.options}
    counted = [a for a in answers if a.question_id in qs]
    if not counted:
        return None
    return sum(points_for(qs[a.question_id], a, options) for a in counted)


def answers_of(lead: Lead) -> dict[int, Answer]:
    stmt = built_once(lambda: select(Answer).where(Answer.lead_id == bindparam("lead_id")))
    return {a.question_id: a for a in db.session.scalars(stmt, {"lead_id": lead.id})}


def recompute_scores(batch: int = 2000) -> int:
    """Every answered lead's score again after the rules changed (answers read a batch at a time)."""
    qs = {q.id: q for q in questions()}
    updated = 0
    after = 0
    while True:
        lead_ids = list(db.session.scalars(
            select(Answer.lead_id).where(Answer.lead_id > after).group_by(Answer.lead_id)
            .order_by(Answer.lead_id).limit(batch)))
        if not lead_ids:
            break
        by_lead: dict[int, list[Answer]] = {i: [] for i in lead_ids}
        for answer in db.session.scalars(select(Answer).where(Answer.lead_id.in_(lead_ids))):
            by_lead[answer.lead_id].append(answer)
        rows = [{"lead_id": i, "score": score_of(a, qs)} for i, a in by_lead.items()]
        for row in rows:
            db.session.execute(update(Lead).where(Lead.id == row["lead_id"]).values(score=row["score"])
                               .execution_options(synchronize_session=False))
        updated += len(rows)
        after = lead_ids[-1]
    return updated


@dataclass
class Entry:
    """One question on the answer sheet: what was typed, what it means, and what is wrong with it."""

    question: Question
    raw: str = ""
    value: object = None
    error: str | None = None


@dataclass
class Sheet:
    entries: list[Entry] = field(default_factory=list)
    conflict: str | None = None  # saved by someone else meanwhile: nothing of this sheet was kept

    @property
    def errors(self) -> list[Entry]:
        return [e for e in self.entries if e.error]


def _raw_of(question: Question, answer: Answer | None) -> str:
    if answer is None:
        return ""
    if question.kind == Kind.yes_no.value:
        return "" if answer.yes is None else ("yes" if answer.yes else "no")
    if question.kind == Kind.choice.value:
        return str(answer.option_id or "")
    if question.kind == Kind.number.value:
        return "" if answer.number is None else entry_text(answer.number, get_locale(), at_least=0)
    return answer.text or ""


def sheet_for(qs: list[Question], answers: dict[int, Answer]) -> Sheet:
    """The sheet as saved, to show or to edit."""
    return Sheet([Entry(q, _raw_of(q, answers.get(q.id))) for q in qs])


def read_sheet(qs: list[Question], formdata) -> Sheet:
    """Check every answer against its question's type; each wrong one gets its own message, the rest are kept."""
    sheet = Sheet()
    for question in qs:
        raw = (formdata.get(f"q-{question.id}") or "").strip()
        entry = Entry(question, raw)
        if "\x00" in raw:
            entry.error = str(NUL_TEXT)
        elif raw:
            if question.kind == Kind.yes_no.value:
                if raw in ("yes", "no"):
                    entry.value = raw == "yes"
                else:
                    entry.error = _("Answer yes or no.")
            elif question.kind == Kind.choice.value:
                option = next((o for o in question.options if o.active and str(o.id) == raw), None)
                if option is None:
                    entry.error = _("Choose one of the options.")
                else:
                    entry.value = option
            elif question.kind == Kind.number.value:
                try:
                    number = read_amount(raw, get_locale())
                except AmountError as error:
                    entry.error = amount_refusal(error, get_locale())
                else:
                    if abs(number) >= MAX_NUMBER or number.as_tuple().exponent < -4:
                        entry.error = _("Enter a number below a trillion with at most 4 decimal places.")
                    else:
                        entry.value = number
            elif len(raw) > 1000:
                entry.error = _("Use at most %(num)d characters.", num=1000)
            else:
                entry.value = raw
        sheet.entries.append(entry)
    return sheet


def save_answers(lead: Lead, sheet: Sheet, *, actor_id: int | None) -> int:
    """Store the sheet's answers (a blank one removes the old answer) and the new score. Caller commits."""
    existing = answers_of(lead)
    changed = 0
    for entry in sheet.entries:
        q = entry.question
        answer = existing.get(q.id)
        if entry.value is None:
            if answer is not None:
                db.session.delete(answer)
                existing.pop(q.id)
                changed += 1
            continue
        if answer is None:
            answer = Answer(lead_id=lead.id, question_id=q.id)
            db.session.add(answer)
            existing[q.id] = answer
        before = (answer.text, answer.yes, answer.number, answer.option_id)
        answer.text = entry.value if q.kind == Kind.text.value else None
        answer.yes = entry.value if q.kind == Kind.yes_no.value else None
        answer.number = entry.value if q.kind == Kind.number.value else None
        answer.option_id = entry.value.id if q.kind == Kind.choice.value else None
        if before != (answer.text, answer.yes, answer.number, answer.option_id):
            answer.answered_by_id, answer.answered_at = actor_id, utcnow()
            changed += 1
    db.session.flush()
    all_questions = {q.id: q for q in questions()}
    lead.score = score_of(list(existing.values()), all_questions)
    if changed:
        audit.record("lead.answers_recorded", actor_id=actor_id, subject_type="lead", subject_id=lead.id,
                     details={"answers": changed, "score": lead.score})
    return changed


@dataclass
class Shown:
    """An answer as a reader sees it."""

    question: str
    answer: str
    points: int


def shown_answers(lead: Lead, locale: str, qs: list[Question] | None = None,
                  answers: dict[int, Answer] | None = None) -> list[Shown]:
    """The lead's answers in the reader's language, in questionnaire order, with the points each earned."""
    qs = qs if qs is not None else questions()
    answers = answers if answers is not None else answers_of(lead)
    options = {o.id: o for q in qs for o in q.options}
    shown = []
    with force_locale(locale):  # "Yes" and "No" in the reader's words too (the rep's, for a hand-off email)
        for q in qs:
            _show(q, answers.get(q.id), options, locale, shown)
    return shown


def _show(q: Question, answer: Answer | None, options: dict, locale: str, shown: list) -> None:
    if answer is None:
        return
    if q.kind == Kind.yes_no.value:
        text = _("Yes") if answer.yes else _("No")
    elif q.kind == Kind.choice.value:
        option = options.get(answer.option_id)
        text = option.label(locale) if option is not None else ""
    elif q.kind == Kind.number.value:
        text = format_decimal(answer.number, locale=locale, format="#,##0.####")
    else:
        text = answer.text or ""
    shown.append(Shown(q.text(locale), text, points_for(q, answer, options)))


def suggests_qualified(lead: Lead, threshold: int | None) -> bool:
    """The score reached the admin's threshold while the lead is still being researched."""
    return (threshold is not None and lead.score is not None and lead.score >= threshold
            and lead.status in (Status.new.value, Status.researching.value))


KIND_HINTS = {
    "text": _l("Any text; points if answered."),
    "yes_no": _l("Points for yes and for no."),
    "choice": _l("Points for each option."),
    "number": _l("Points for a number at or above the threshold."),
}
