"""Demo questionnaire: five questions in English, Italian and Vietnamese with scoring, and the answers the
coordinators recorded on the demo's leads (the score each hand-off carried included)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Tenant

from ..leads.demo import people
from ..leads.models import Handoff, Lead
from . import service
from .models import Answer, Question, QuestionOption

QUESTIONS = [
    # kind, {locale: wording}, rules, options [({locale: label}, points)]
    ("yes_no", {"en": "Is there a budget for this year?", "it": "C'è un budget per quest'anno?",
                "vi": "Có ngân sách cho năm nay không?"}, {"points_yes": 10, "points_no": -5}, []),
    ("yes_no", {"en": "Did we reach the decision maker or their assistant?",
                "it": "Abbiamo parlato con chi decide o con il suo assistente?",
                "vi": "Đã liên hệ được người quyết định hoặc trợ lý của họ chưa?"}, {"points_yes": 5}, []),
    ("number", {"en": "How many employees?", "it": "Quanti dipendenti?", "vi": "Có bao nhiêu nhân viên?"},
     {"threshold": Decimal(50), "points_threshold": 5}, []),
    ("choice", {"en": "When do they plan to buy?", "it": "Quando pensano di acquistare?",
                "vi": "Khi nào họ dự định mua?"}, {},
     [({"en": "This quarter", "it": "Questo trimestre", "vi": "Quý này"}, 8),
      ({"en": "Within a year", "it": "Entro un anno", "vi": "Trong vòng một năm"}, 4),
      ({"en": "No plans yet", "it": "Nessun piano", "vi": "Chưa có kế hoạch"}, -5)]),
    ("text", {"en": "Who else takes part in the decision?", "it": "Chi altro partecipa alla decisione?",
              "vi": "Ai khác tham gia vào quyết định?"}, {"points_answered": 2}, []),
]

# Answers per lead: yes/no, yes/no, employees, timing option index, text
ANSWERS = {
    "Cantina Colli Berici": (True, True, "35", 0, "Il figlio del titolare, Andrea"),
    "Cà Phê Núi Xanh": (True, True, "120", 1, "Giám đốc tài chính"),
    "Gốm Sứ Bát Tràng Việt": (True, True, "80", 0, "Hội đồng quản trị"),
    "Brauerei Sonnenberg GmbH": (True, True, "240", 0, "Der Geschäftsführer, Herr Vogel"),
    "Maison Lefèvre": (True, True, "60", 0, "Le directeur financier"),
    "Hotel Alhambra Sol": (True, False, "75", 1, "El propietario"),
    "Al Noor Trading LLC": (True, True, "45", 0, "The owner's son"),
    "Tessitura Comasca S.r.l.": (None, True, "300", 1, ""),
    "Officine Meccaniche Rossi": (False, True, "12", 2, ""),
    "Blue Harbor Media Inc.": (True, None, "", None, ""),
}




def seed(tenant: Tenant) -> None:
    """The questionnaire and its answers, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Question)):
        return
    team = people()
    if not {"giulia", "lan", "owner"} <= set(team):
        return
    questions = []
    for kind, texts, rules, options in QUESTIONS:
        question = service.add_question(service.QuestionData(kind=kind, texts=texts, **rules),
                                        actor_id=team["owner"].id)
        for position, (labels, points) in enumerate(options, start=1):
            db.session.add(QuestionOption(question_id=question.id, labels=labels, points=points, position=position))
        questions.append(question)
    db.session.flush()
    service.set_threshold(15, actor_id=None)
    choice_options = list(db.session.scalars(select(QuestionOption).where(QuestionOption.question_id == questions[3].id)
                                             .order_by(QuestionOption.position)))
    qs = {q.id: q for q in service.questions()}
    for lead in db.session.scalars(select(Lead).where(Lead.company.in_(list(ANSWERS)))):
        coordinator = team["lan"] if lead.country in ("VN", "ES", "JP", "US") else team["giulia"]
        for question, answer in zip(questions, ANSWERS[lead.company]):
            if answer in (None, ""):
                continue
            record = Answer(lead_id=lead.id, question_id=question.id, answered_by_id=coordinator.id)
            if question.kind == "yes_no":
                record.yes = answer
            elif question.kind == "number":
                record.number = Decimal(answer)
            elif question.kind == "choice":
                record.option_id = choice_options[answer].id
            else:
                record.text = answer
            db.session.add(record)
        db.session.flush()
        lead.score = service.score_of(list(service.answers_of(lead).values()), qs)
        # The answers were recorded before the hand-off: it carried the score.
        for handoff in db.session.scalars(select(Handoff).where(Handoff.lead_id == lead.id)):
            handoff.score = lead.score
    db.session.commit()
