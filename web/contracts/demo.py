"""Demo accounts and contracts: five currencies, drafts and signed ones, ends spread across four quarters."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from i18n.money import Money
from tenants.db import db
from tenants.models import Tenant, User

from ..accounts import service as accounts
from ..accounts.models import Account
from . import service

ACCOUNTS = [
    # name, country, language, currency, website, phone, contact (name, role, email, language)
    ("Rossi Arredamenti S.r.l.", "IT", "it", "EUR", "rossiarredamenti.example.it", "+39 02 5550 1201",
     ("Chiara Rossi", "Marketing manager", "chiara.rossi@rossiarredamenti.example.it", "it")),
    ("Nordwind Reisen GmbH", "DE", "de", "EUR", "nordwind-reisen.example.de", "+49 40 5550 3300",
     ("Jonas Weber", "Head of brand", "j.weber@nordwind-reisen.example.de", "de")),
    ("Harbor Lane Outfitters Inc.", "US", "en", "USD", "harborlane.example.com", "+1 617 555 0140",
     ("Emily Carter", "Media buyer", "emily@harborlane.example.com", "en")),
    ("Sakura Kitchenware K.K.", "JP", "ja", "JPY", "sakura-kitchen.example.jp", "+81 3 5550 7788",
     ("Yuki Tanaka", "Export manager", "y.tanaka@sakura-kitchen.example.jp", "ja")),
    ("Công ty TNHH Sao Mai Travel", "VN", "vi", "VND", "saomaitravel.example.vn", "+84 28 5550 2468",
     ("Phạm Minh Anh", "Giám đốc marketing", "anh.pham@saomaitravel.example.vn", "vi")),
    ("Maison Lumière SARL", "FR", "fr", "EUR", "maisonlumiere.example.fr", "+33 1 5550 4455",
     ("Camille Martin", "Directrice commerciale", "camille@maisonlumiere.example.fr", "fr")),
    ("Thames Valley Cycles Ltd", "GB", "en", "GBP", "tvcycles.example.co.uk", "+44 118 555 0199",
     ("Oliver Hughes", "Owner", "oliver@tvcycles.example.co.uk", "en")),
    ("Bodega Alta Rioja S.L.", "ES", "es", "EUR", "altarioja.example.es", "+34 941 555 012",
     ("Lucía García", "Export", "lucia@altarioja.example.es", "es")),
    ("Pacific Rim Surf Co.", "US", "en", "USD", "pacificrimsurf.example.com", "+1 310 555 0177",
     ("Jake Morales", "Marketing lead", "jake@pacificrimsurf.example.com", "en")),
    ("Hanoi Silk House", "VN", "vi", "VND", "hanoisilk.example.vn", "+84 24 5550 1357",
     ("Trần Thu Hà", "Chủ cửa hàng", "ha.tran@hanoisilk.example.vn", "vi")),
    ("Osaka Design Lab", "JP", "ja", "JPY", "osakadesign.example.jp", "+81 6 5550 2222",
     ("Kenji Sato", "Creative director", "sato@osakadesign.example.jp", "ja")),
    ("Van der Berg Tuinen B.V.", "NL", "nl", "EUR", "vdbergtuinen.example.nl", "+31 20 555 0123",
     ("Sanne van der Berg", "Eigenaar", "sanne@vdbergtuinen.example.nl", "nl")),
]

# account index, title, currency, value, months until the end, term in months, signed?, auto-renew, notice days
CONTRACTS = [
    (0, "Spring catalogue 2026: three full pages", "EUR", "18500", 1, 12, True, False, 60),
    (1, "Travel supplement sponsorship", "EUR", "42000", 2, 12, True, True, 90),
    (2, "US trade show package", "USD", "27500", 3, 12, True, False, 60),
    (3, "Japan market launch campaign", "JPY", "4800000", 4, 12, True, False, 45),
    (4, "Vietnam tourism feature", "VND", "385000000", 5, 12, True, False, 30),
    (5, "Lighting design awards partnership", "EUR", "15800", 6, 12, True, True, 60),
    (6, "Cycling weekly: web banners", "GBP", "9600", 7, 12, True, False, 30),
    (7, "Wine & travel advertorials", "EUR", "12300", 8, 12, True, False, 60),
    (8, "Summer surf special", "USD", "16400", 9, 12, True, False, 30),
    (9, "Silk route newsletter", "VND", "96000000", 10, 12, True, False, 30),
    (10, "Design week booth and print", "JPY", "2650000", 11, 12, True, False, 60),
    (11, "Garden fair 2027 stand", "EUR", "8900", 12, 12, True, False, 30),
    (0, "Autumn catalogue (renewal pending)", "EUR", "16000", -1, 12, True, False, 60),
    (2, "Holiday gift guide", "USD", "12000", 14, 12, False, False, 30),
    (4, "Hoi An heritage campaign", "VND", "210000000", 13, 12, False, False, 30),
]

def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def seed(tenant: Tenant) -> None:
    """Accounts with contacts and contracts in EUR, USD, JPY, VND and GBP, once."""
    if db.session.scalar(select(func.count()).select_from(Account)):
        return
    if tenant.slug == "rival":
        owner = _user("owner@rival.example.com")
        account = accounts.create_account(accounts.AccountData(name="Lakeside Boats LLC", country="US", currency="USD",
                                                               language="en"), actor_id=owner.id)
        today = date.today()
        service.create_contract(tenant, service.ContractData(
            account_id=account.id, owner_id=owner.id, coordinator_id=None, title="Boat show 2027",
            starts_on=today - timedelta(days=200), ends_on=today + timedelta(days=165),
            value=Money("22000", "USD"), notice_days=30), actor_id=owner.id, signed_on=today - timedelta(days=210))
        service.commit()
        return
    if tenant.slug != "demo":
        return
    reps = [_user("marco@demo.example.com"), _user("hana@demo.example.com"), _user("owner@demo.example.com")]
    coordinators = [_user("giulia@demo.example.com"), _user("lan@demo.example.com")]
    created = []
    for name, country, language, currency, website, phone, (cname, role, email, clang) in ACCOUNTS:
        account = accounts.create_account(accounts.AccountData(
            name=name, country=country, language=language, currency=currency, website=website, phone=phone,
            billing_address=f"{name}\n{country}"), actor_id=reps[2].id)
        accounts.add_contact(account, accounts.ContactData(name=cname, job_title=role, email=email, phone=phone,
                                                           language=clang), actor_id=reps[2].id)
        created.append(account)
    today = date.today()
    for i, (a, title, currency, value, months_left, term, signed, auto, notice) in enumerate(CONTRACTS):
        ends = service.add_months(today, months_left) - timedelta(days=today.day % 10)
        starts = service.add_months(ends, -term) + timedelta(days=1)
        owner, coordinator = reps[i % 3], coordinators[i % 2]
        service.create_contract(tenant, service.ContractData(
            account_id=created[a].id, owner_id=owner.id, coordinator_id=coordinator.id, title=title,
            starts_on=starts, ends_on=ends, value=Money(value, currency), auto_renew=auto, notice_days=notice,
            notes=None), actor_id=owner.id, signed_on=min(starts - timedelta(days=14), today) if signed else None)
    service.commit()
