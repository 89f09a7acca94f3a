"""Demo leads for the `demo` tenant: every status, several countries and languages, hand-offs to Marco and
two conversions, one of whose contracts is signed. Answers, follow-ups and the bonus come with their features."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import current_app, has_request_context
from sqlalchemy import func, select

from i18n.money import Money
from tenants.db import commit, db, utcnow
from tenants.models import Tenant, User

from ..contracts import service as contracts
from . import conversion, handoffs, service
from .models import Lead

# company, contact, title, country, language, email, phone, source, value, currency, status, owner, days ago, tags
LEADS = [
    ("Pasticceria Dolce Vita", "Lucia Bianchi", "Titolare", "IT", "it", "lucia@dolcevita.example", "+39 06 555 0101",
     "web_form", "4500", "EUR", "new", "giulia", 1, "fiera 2027"),
    ("Tessitura Comasca S.r.l.", "Paolo Conti", "Assistente di direzione", "IT", "it", "p.conti@tessituracomasca.example",
     "+39 031 555 0102", "event", "28000", "EUR", "researching", "giulia", 6, "fiera 2027, tessile"),
    ("Cantina Colli Berici", "Elena Marchetti", "Export manager", "IT", "it", "elena@collibrici.example",
     "+39 0444 555 010", "referral", "15000", "EUR", "qualified", "giulia", 12, "vino"),
    ("Công ty TNHH Sao Mai", "Trần Thị Hoa", "Trợ lý giám đốc", "VN", "vi", "hoa.tran@saomai.example",
     "+84 28 5555 0104", "cold_research", "650000000", "VND", "researching", "lan", 4, "hà nội"),
    ("Cà Phê Núi Xanh", "Lê Văn Nam", "Giám đốc", "VN", "vi", "nam@nuixanh.example", "+84 24 5555 0105",
     "event", "420000000", "VND", "qualified", "lan", 9, "cà phê"),
    ("Gốm Sứ Bát Tràng Việt", "Phạm Minh Anh", "Trưởng phòng kinh doanh", "VN", "vi", "anh@battrang.example",
     "+84 24 5555 0106", "distributor", "300000000", "VND", "handed_off", "lan", 15, "gốm"),
    ("Brauerei Sonnenberg GmbH", "Katrin Vogel", "Assistentin der Geschäftsführung", "DE", "de",
     "k.vogel@sonnenberg.example", "+49 89 5550 107", "event", "36000", "EUR", "handed_off", "giulia", 18, "messe"),
    ("Maison Lefèvre", "Claire Dubois", "Directrice commerciale", "FR", "fr", "claire@maisonlefevre.example",
     "+33 1 55 50 01 08", "referral", "22000", "EUR", "converted", "giulia", 40, "luxe"),
    ("Hotel Alhambra Sol", "Javier Ortega", "Director general", "ES", "es", "javier@alhambrasol.example",
     "+34 958 555 109", "cold_research", "18000", "EUR", "converted", "lan", 35, ""),
    ("Northwind Outdoor Ltd", "Amelia Clarke", "PA to the MD", "GB", "en", "amelia@northwind.example",
     "+44 20 5550 0110", "web_form", "12000", "GBP", "new", "giulia", 2, ""),
    ("Blue Harbor Media Inc.", "Ethan Brooks", "VP Marketing", "US", "en", "ethan@blueharbor.example",
     "+1 415 555 0111", "event", "40000", "USD", "researching", "lan", 7, "trade show"),
    ("Van Dijk Bloemen B.V.", "Sanne van Dijk", "Inkoper", "NL", "nl", "sanne@vandijkbloemen.example",
     "+31 20 555 0112", "import", "9000", "EUR", "new", None, 3, "import"),
    ("Al Noor Trading LLC", "Omar Haddad", "Procurement lead", "AE", "ar", "omar@alnoor.example", "+971 4 555 0113",
     "distributor", "95000", "AED", "qualified", "giulia", 10, "dubai"),
    ("Sakura Kogyo K.K.", "Yui Tanaka", "Secretary to the president", "JP", "ja", "tanaka@sakurakogyo.example",
     "+81 3 5555 0114", "referral", "3500000", "JPY", "researching", "lan", 8, ""),
    ("Officine Meccaniche Rossi", "Marta Rossi", "Titolare", "IT", "it", "marta@omrossi.example", "+39 02 555 0115",
     "cold_research", None, None, "disqualified", "giulia", 25, ""),
    ("Phở Hà Thành", "Đỗ Quang Huy", "Chủ quán", "VN", "vi", "huy@phohathanh.example", "+84 24 5555 0116",
     "web_form", "80000000", "VND", "disqualified", "lan", 20, ""),
    ("Kaffeehaus Wien", "Lukas Huber", "Inhaber", "AT", "de", "lukas@kaffeehaus.example", "+43 1 555 0117",
     "event", "7000", "EUR", "new", "giulia", 0, "messe"),
    ("Lisboa Azulejos Lda", "Inês Costa", "Diretora", "PT", "pt", "ines@azulejos.example", "+351 21 555 0118",
     "referral", "11000", "EUR", "researching", "giulia", 5, ""),
    ("Stockholm Design AB", "Elsa Lind", "Office manager", "SE", "sv", "elsa@stockholmdesign.example",
     "+46 8 555 0119", "cold_research", "14000", "SEK", "disqualified", None, 30, ""),
    ("Ristorante Il Faro", "Giorgio Valli", "Gestore", "IT", "it", "giorgio@ilfaro.example", "+39 0187 555 020",
     "web_form", "3000", "EUR", "new", None, 1, ""),
]

def seed(tenant: Tenant) -> None:
    """The demo tenant's leads, once (nothing happens when it already has some)."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Lead)):
        return
    if has_request_context():
        _seed(tenant)
        return
    # Hand-off emails carry absolute links, which need a request.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        _seed(tenant)


def people() -> dict[str, User]:
    """The demo's people by first name (the other features' demos use them too)."""
    emails = {"giulia": "giulia@demo.example.com", "lan": "lan@demo.example.com", "marco": "marco@demo.example.com",
              "hana": "hana@demo.example.com", "owner": "owner@demo.example.com"}
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails.values())))}
    return {key: users[email] for key, email in emails.items() if email in users}


def _seed(tenant: Tenant) -> None:
    team = people()
    if not {"giulia", "lan", "marco"} <= set(team):
        return
    giulia, lan, marco = team["giulia"], team["lan"], team["marco"]
    now = utcnow()
    leads: dict[str, Lead] = {}
    for (company, contact, title, country, language, email, phone, source, value, currency, status, owner, days,
         tags) in LEADS:
        owner_user = team.get(owner) if owner else None
        coordinator = lan if owner == "lan" else giulia
        data = service.LeadData(company=company, contact_name=contact, contact_title=title, email=email, phone=phone,
                                website=email.split("@")[1], country=country, language=language, source=source,
                                value=Money(Decimal(value), currency) if value else None,
                                owner_id=owner_user.id if owner_user else None, tags=service.parse_tags(tags),
                                notes=None)
        lead = service.create_lead(data, actor_id=coordinator.id,
                                   status="qualified" if status in ("handed_off", "converted") else status)
        lead.created_at = now - timedelta(days=days, hours=3)
        if status == "disqualified":
            lead.disqualify_reason = {"Officine Meccaniche Rossi": "Nessun budget fino al 2028",
                                      "Phở Hà Thành": "Quán quá nhỏ cho gian hàng hội chợ",
                                      "Stockholm Design AB": "Works only with a Swedish agency"}[company]
        leads[company] = lead
    db.session.commit()

    # Hand-offs: two wait for Marco, the converted ones were accepted.
    notes = {
        "Gốm Sứ Bát Tràng Việt": "Chị Anh muốn gặp trước hội chợ tháng 3. Gọi buổi sáng, giờ Việt Nam.",
        "Brauerei Sonnenberg GmbH": "Frau Vogel sets up a call with the MD. Budget confirmed for a stand at the spring fair.",
        "Maison Lefèvre": "Claire is ready to sign for the autumn catalogue; send the French contract.",
        "Hotel Alhambra Sol": "Javier wants two pages in the summer issue. Call after 5 pm Madrid time.",
    }
    for company, note in notes.items():
        lead = leads[company]
        coordinator = lan if company in ("Gốm Sứ Bát Tràng Việt", "Hotel Alhambra Sol") else giulia
        handoffs.hand_off(lead, tenant, coordinator=coordinator, rep=marco, note=note)
        if company in ("Maison Lefèvre", "Hotel Alhambra Sol"):
            handoffs.accept(lead, marco)
    db.session.commit()

    for company, signed in (("Maison Lefèvre", date.today() - timedelta(days=12)), ("Hotel Alhambra Sol", None)):
        lead = leads[company]
        starts = date.today().replace(day=1)
        _account, contract = conversion.convert(lead, tenant, conversion.ConversionData(
            account_name=lead.company, contact_name=lead.contact_name, contact_email=lead.email,
            contact_phone=lead.phone, contract_title=f"{lead.company} · 2027", starts_on=starts,
            ends_on=contracts.default_end(starts), value=lead.value), actor=marco)
        commit()
        if signed is not None:
            contracts.sign(contract, tenant, signed, actor_id=marco.id)
            commit()
