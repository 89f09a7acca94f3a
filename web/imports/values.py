"""One CSV row as a lead: values as CRMs write them (countries, languages, amounts, dates, statuses) read,
checked and cleaned; each problem kept as a code worded in the reader's language when shown."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from i18n.locales import CUSTOMER_LANGUAGES, is_country, is_language
from i18n.money import Money, is_currency
from i18n.text import fold

from ..accounts.service import clean_phone, stored_phone
from ..leads import service as leads
from ..leads.models import Source, Status
from ..locale_context import label

# The fields of a lead an import fills, in the order the mapping screen shows them.
FIELD_LABELS = {
    "company": _l("Company"),
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "contact_name": _l("Contact person"),
    "contact_title": _l("Job title"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "website": _l("Website"),
    "country": _l("Country"),
    "language": _l("Language"),
    "source": _l("Source"),
    "status": _l("Status"),
    "value": _l("Estimated value"),
    "currency": _l("Currency"),
    "owner": _l("Owner"),
    "tags": _l("Tags"),
    "notes": _l("Notes"),
    "created": _l("Created on"),
}
# These take every mapped column (joined); the others take the first non-empty one.
JOINED_FIELDS = ("tags", "notes")

PROBLEMS = {
    "identity": lambda p: _("A lead needs a company, a person, an email or a phone."),
    "email": lambda p: _("“%(value)s” is not a valid email address.", value=p.get("value", "")),
    "country": lambda p: _("Unknown country “%(value)s”.", value=p.get("value", "")),
    "language": lambda p: _("Unknown language “%(value)s”.", value=p.get("value", "")),
    "currency": lambda p: _("Unknown currency “%(value)s”.", value=p.get("value", "")),
    "value": lambda p: _("“%(value)s” is not an amount.", value=p.get("value", "")),
    "date": lambda p: _("“%(value)s” is not a date.", value=p.get("value", "")),
    "website": lambda p: _("“%(value)s” is not a web address.", value=p.get("value", "")),
    "too_long": lambda p: _("%(field)s is longer than %(num)d characters.",
                            field=label(FIELD_LABELS, p.get("field")), num=p.get("num", 0)),
    "columns": lambda p: _("The line has %(found)d columns where the header has %(expected)d (a stray delimiter or "
                           "quote?).", found=p.get("found", 0), expected=p.get("expected", 0)),
}


def problem_text(code: str, params: dict | None) -> str:
    """A stored problem in the reader's language."""
    worder = PROBLEMS.get(code)
    return worder(params or {}) if worder is not None else code


# --- values as CRMs write them ------------------------------------------------------------------------

PLACEHOLDERS = leads.PLACEHOLDERS


def _blank(value: str | None) -> bool:
    return value is None or value.strip().lower() in PLACEHOLDERS or not value.strip()


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for locale in ("en", "it", "vi", "nl", "de", "fr", "es", "pt", "sv", "da", "pl", "en_GB"):
        for code, name in Locale.parse(locale).territories.items():
            if is_country(code):
                index.setdefault(fold(name), code)
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1 and is_country(targets[0]):
            index.setdefault(alias.lower(), targets[0])
    extra = {"usa": "US", "u s a": "US", "u s": "US", "america": "US", "united states of america": "US",
             "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
             "wales": "GB", "northern ireland": "GB", "holland": "NL", "the netherlands": "NL", "viet nam": "VN",
             "vietnam": "VN", "south korea": "KR", "korea": "KR", "russia": "RU", "czech republic": "CZ",
             "turkey": "TR", "turkiye": "TR", "uae": "AE", "emirates": "AE", "ivory coast": "CI", "macedonia": "MK"}
    index.update(extra)
    return index


def parse_country(value: str) -> str:
    text = value.strip()
    if len(text) == 2 and is_country(text.upper()):
        return text.upper()
    code = _country_index().get(fold(text))
    if code is None:
        raise ValueError
    return code


@lru_cache(maxsize=1)
def _language_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for locale in ("en", "it", "vi", "nl", "de", "fr", "es", "pt", "sv"):
        names = Locale.parse(locale).languages
        for code in CUSTOMER_LANGUAGES:
            if code in names:
                index.setdefault(fold(names[code]), code)
    return index


def parse_language(value: str) -> str:
    text = value.strip()
    code = re.split(r"[-_]", text.lower())[0]
    if is_language(code):
        return code
    code = _language_index().get(fold(text))
    if code is None:
        raise ValueError
    return code


SYMBOLS = {"€": "EUR", "£": "GBP", "US$": "USD", "$": "USD", "¥": "JPY", "₫": "VND", "₹": "INR", "₩": "KRW",
           "CHF": "CHF", "zł": "PLN", "kr": "SEK"}


def parse_amount(value: str) -> tuple[Decimal, str | None]:
    """'1.234,56 €' -> (1234.56, 'EUR'); '900750000' -> (900750000, None); a currency code may come along."""
    text = value.replace("\u00a0", " ").strip()
    currency = None
    code = re.search(r"\b([A-Za-z]{3})\b", text)
    if code:
        currency = code.group(1).upper()
        if not is_currency(currency):
            raise LookupError(currency)
        text = text.replace(code.group(1), "")
    else:
        for symbol, iso in SYMBOLS.items():
            if symbol in text:
                currency = iso
                text = text.replace(symbol, "")
                break
    text = text.replace(" ", "").replace("'", "")
    negative = text.startswith("-")
    text = text.lstrip("+-")
    if not re.fullmatch(r"\d[\d.,]*", text):
        raise ValueError
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
    elif "," in text or "." in text:
        # One kind of mark: a thousands separator when it repeats or three digits follow (1.234, 1,234 —
        # amounts in thousandths are rare), else the decimal mark (12,5 · 130.0 · 0.125).
        mark = "," if "," in text else "."
        head, _sep, tail = text.rpartition(mark)
        thousands = text.count(mark) > 1 or (len(tail) == 3 and head.lstrip("0") != "")
        text = text.replace(mark, "") if thousands else f"{head}.{tail}"
    amount = Decimal(text)
    if negative or amount >= Decimal("1e14"):
        raise ValueError
    return amount, currency


def parse_currency(value: str) -> str:
    text = value.strip()
    code = SYMBOLS.get(text, text.upper())
    if not is_currency(code):
        raise ValueError
    return code


_DATE_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DATE_LOCAL = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?")


def parse_date(value: str, order: str = "dmy") -> datetime:
    """2018-10-13 17:16:45, 2026-01-20 14:55, 28-6-2018, 2/7/2018 (day or month first as the file's other
    dates show), 13.10.2018: a naive datetime."""
    text = value.strip()
    m = _DATE_ISO.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        hour, minute, second = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
        return datetime(year, month, day, hour, minute, second)
    m = _DATE_LOCAL.match(text)
    if not m:
        raise ValueError
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    if year < 100:
        year += 2000 if year < 70 else 1900
    day, month = (b, a) if order == "mdy" else (a, b)
    hour, minute, second = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
    if m[7]:
        hour = hour % 12 + (12 if m[7].lower() == "pm" else 0)
    return datetime(year, month, day, hour, minute, second)


def detect_date_order(values) -> str:
    """'mdy' when a date like 10/13/2018 shows the month comes first, else 'dmy'."""
    for value in values:
        m = _DATE_LOCAL.match((value or "").strip())
        if m:
            if int(m[1]) > 12:
                return "dmy"
            if int(m[2]) > 12:
                return "mdy"
    return "dmy"


def map_status(value: str) -> tuple[str, str | None]:
    """A CRM's lead status in our words; closed-lost ones keep their wording as the reason."""
    text = fold(value)
    if "not convert" in text or "unconvert" in text:
        return Status.disqualified.value, value.strip()
    if "convert" in text or text in ("won", "customer", "cliente", "khach hang"):
        return Status.converted.value, None
    if any(w in text for w in ("disqualif", "unqualif", "not qualif", "lost", "junk", "closed", "bad timing",
                               "reject", "dead", "not interested", "squalific", "perso")):
        return Status.disqualified.value, value.strip()
    if "not contacted" in text or "uncontacted" in text:
        return Status.new.value, None
    if "qualif" in text:
        return Status.qualified.value, None
    if any(w in text for w in ("working", "contact", "progress", "open deal", "attempt", "connected", "nurtur",
                               "information sent", "research", "lavorazione", "contattato", "dang xu ly")):
        return Status.researching.value, None
    return Status.new.value, None


def map_source(value: str) -> str:
    text = fold(value)
    if any(w in text for w in ("web", "form", "online", "sito")):
        return Source.web_form.value
    if any(w in text for w in ("event", "trade show", "tradeshow", "fair", "fiera", "expo", "conference", "seminar",
                               "webinar", "su kien", "hoi cho")):
        return Source.event.value
    if any(w in text for w in ("distribut", "reseller", "dealer", "rivenditor")):
        return Source.distributor.value
    if any(w in text for w in ("referr", "partner", "word of mouth", "passaparola", "gioi thieu", "segnalazione")):
        return Source.referral.value
    if any(w in text for w in ("cold", "purchased", "list", "research", "outbound", "prospect", "linkedin")):
        return Source.cold_research.value
    return Source.import_.value


_PHONE_HEAD = re.compile(r"[+\d(][\d\s().\-–—/+]*\d")


def tidy_phone(value: str) -> str | None:
    """What spreadsheets and CRMs add taken off: a leading apostrophe or space, trailing words."""
    phone = clean_phone(value)
    if phone is None:
        return None
    head = _PHONE_HEAD.search(phone)
    return head.group(0).strip() if head else phone


# --- one row ----------------------------------------------------------------------------------------------


@dataclass
class Context:
    mapping: dict[str, list[int]]
    width: int
    base_currency: str
    timezone: str
    date_order: str
    owners: dict[str, int]
    default_owner: int | None


@dataclass
class Row:
    line: int
    values: dict = field(default_factory=dict)  # the lead's fields, cleaned
    problems: list = field(default_factory=list)  # [(code, params)]
    raw: dict = field(default_factory=dict)  # what the file said, for the preview


LIMITS = {"company": 200, "contact_name": 160, "contact_title": 120, "email": 254, "website": 300}


def _pick(cells: list[str], columns: list[int]) -> str:
    for column in columns:
        if column < len(cells) and not _blank(cells[column]):
            return cells[column].strip()
    return ""


def clean_row(line: int, cells: list[str], ctx: Context, headers: list[str] | None = None) -> Row:
    """Check one data row: the lead it makes, or every problem with it."""
    row = Row(line)
    m = ctx.mapping
    get = {name: _pick(cells, columns) for name, columns in m.items() if name not in JOINED_FIELDS}
    row.raw = dict(get)
    v = row.values
    problems = row.problems
    extra = [c for c in cells[ctx.width:] if c.strip()]
    if extra:
        problems.append(("columns", {"found": len(cells), "expected": ctx.width}))
    v["company"] = get.get("company") or None
    name = get.get("contact_name") or " ".join(p for p in (get.get("first_name"), get.get("last_name")) if p)
    v["contact_name"] = name.strip() or None
    v["contact_title"] = get.get("contact_title") or None
    for key, limit in LIMITS.items():
        if key in v and v[key] and len(v[key]) > limit:
            problems.append(("too_long", {"field": key, "num": limit}))
    v["email"] = None
    if get.get("email"):
        try:
            v["email"] = validate_email(get["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            problems.append(("email", {"value": get["email"]}))
    v["phone"] = tidy_phone(get.get("phone"))[:40] if get.get("phone") else None
    v["website"] = None
    if get.get("website"):
        site = get["website"]
        if " " in site or "." not in site or len(site) > 300:
            problems.append(("website", {"value": site}))
        else:
            v["website"] = site
    v["country"] = None
    if get.get("country"):
        try:
            v["country"] = parse_country(get["country"])
        except ValueError:
            problems.append(("country", {"value": get["country"]}))
    # In international form when it can be read in the row's country; an unreadable one is kept as it is (a
    # row is never refused for its phone: a coordinator can report it in the hygiene queue and fix it there).
    v["phone"] = stored_phone(v["phone"], v["country"])
    v["language"] = None
    if get.get("language"):
        try:
            v["language"] = parse_language(get["language"])
        except ValueError:
            problems.append(("language", {"value": get["language"]}))
    v["source"] = map_source(get["source"]) if get.get("source") else Source.import_.value
    v["status"], v["disqualify_reason"] = map_status(get["status"]) if get.get("status") else (Status.new.value, None)
    if v["disqualify_reason"]:
        v["disqualify_reason"] = v["disqualify_reason"][:300]
    currency = None
    if get.get("currency"):
        try:
            currency = parse_currency(get["currency"])
        except ValueError:
            problems.append(("currency", {"value": get["currency"]}))
    v["value_amount"] = v["value_currency"] = None
    if get.get("value"):
        try:
            amount, own_currency = parse_amount(get["value"])
        except LookupError as exc:
            problems.append(("currency", {"value": str(exc.args[0])}))
        except (ValueError, InvalidOperation):
            problems.append(("value", {"value": get["value"]}))
        else:
            code = own_currency or currency or ctx.base_currency
            value = Money(amount, code).rounded()
            v["value_amount"], v["value_currency"] = str(value.amount), code
    owner = get.get("owner")
    v["owner_id"] = ctx.owners.get(owner.strip().lower(), ctx.default_owner) if owner else ctx.default_owner
    tag_columns = m.get("tags", [])
    v["tags"] = leads.parse_tags(";".join(cells[c] for c in tag_columns if c < len(cells) and not _blank(cells[c])))
    note_columns = [c for c in m.get("notes", []) if c < len(cells) and not _blank(cells[c])]
    if len(note_columns) == 1:
        v["notes"] = cells[note_columns[0]].strip()
    elif note_columns:
        v["notes"] = "\n".join(f"{headers[c].strip() if headers else ''}: {cells[c].strip()}" for c in note_columns)
    else:
        v["notes"] = None
    v["created_at"] = None
    if get.get("created"):
        try:
            naive = parse_date(get["created"], ctx.date_order)
            v["created_at"] = naive.replace(tzinfo=ZoneInfo(ctx.timezone)).astimezone(timezone.utc).isoformat()
        except (ValueError, OverflowError):
            problems.append(("date", {"value": get["created"]}))
    if not any(v.get(k) for k in ("company", "contact_name", "email", "phone")):
        problems.insert(0, ("identity", {}))
    return row


def lead_data(values: dict) -> leads.LeadData:
    """The service's LeadData from a cleaned row (as stored with a flagged duplicate)."""
    value = None
    if values.get("value_amount") is not None:
        value = Money(Decimal(values["value_amount"]), values["value_currency"])
    return leads.LeadData(
        company=values.get("company"), contact_name=values.get("contact_name"),
        contact_title=values.get("contact_title"), email=values.get("email"), phone=values.get("phone"),
        website=values.get("website"), country=values.get("country"), language=values.get("language"),
        source=values.get("source") or Source.import_.value, value=value, owner_id=values.get("owner_id"),
        tags=list(values.get("tags") or []), notes=values.get("notes"))


