"""Which column of a CSV fills which field of a lead: known CRM exports map themselves, anything else
gets guesses from header names in several languages, confirmed by a person."""
from __future__ import annotations

import difflib
import re

from flask_babel import lazy_gettext as _l

from i18n.text import fold

from .values import FIELD_LABELS, _blank, parse_amount, parse_country, parse_currency, parse_date, parse_language

IMPORT_FIELDS = tuple(FIELD_LABELS)
IDENTITY_FIELDS = ("company", "first_name", "last_name", "contact_name", "email", "phone")

# --- known exports ---------------------------------------------------------------------------------------

FORMATS: dict[str, dict] = {
    "salesforce_report": {
        "label": _l("Salesforce lead report"),
        "signature": ("first name", "last name", "company / account", "lead status"),
        "map": {
            "company": ["Company / Account", "Company"], "first_name": ["First Name"], "last_name": ["Last Name"],
            "contact_title": ["Title"], "email": ["Email"], "phone": ["Phone", "Mobile"], "website": ["Website"],
            "country": ["Country"], "source": ["Lead Source"], "status": ["Lead Status"], "owner": ["Lead Owner"],
            "notes": ["Description / Additional Info", "Description"], "created": ["Create Date", "Created Date"],
            "tags": ["Rating"],
        },
    },
    "salesforce_export": {
        "label": _l("Salesforce data export"),
        "signature": ("firstname", "lastname", "company", "leadsource", "status"),
        "map": {
            "company": ["Company"], "first_name": ["FirstName"], "last_name": ["LastName"], "contact_title": ["Title"],
            "email": ["Email"], "phone": ["Phone", "MobilePhone"], "website": ["Website"], "country": ["Country"],
            "source": ["LeadSource"], "status": ["Status"], "notes": ["Description"],
            "created": ["CreatedDate"], "tags": ["Rating", "Industry"], "currency": ["CurrencyIsoCode"],
        },
        # OwnerId is not mapped: it holds record ids, which name nobody here (owners are matched by name or email).
        "ids": {"Id": "salesforce", "OwnerId": "salesforce"},
    },
    "hubspot_contacts": {
        "label": _l("HubSpot contacts"),
        "signature": ("record id", "first name", "last name", "email"),
        "map": {
            "company": ["Company Name", "Associated Company", "Company"], "first_name": ["First Name"],
            "last_name": ["Last Name"], "contact_title": ["Job Title"], "email": ["Email"],
            "phone": ["Phone Number", "Mobile Phone Number"], "website": ["Website URL"],
            "country": ["Country/Region", "Country"], "language": ["Preferred language"], "status": ["Lead Status"],
            "owner": ["Contact owner"], "created": ["Create Date"],
        },
        "ids": {"Record ID": "number"},
    },
    "hubspot_companies": {
        "label": _l("HubSpot companies"),
        "signature": ("record id", "company name"),
        "map": {
            "company": ["Company name", "Name"], "phone": ["Phone Number"],
            "website": ["Website URL", "Company Domain Name"], "country": ["Country/Region", "Country"],
            "owner": ["Company owner"], "notes": ["Description"], "created": ["Create Date"], "tags": ["Industry"],
        },
        "ids": {"Record ID": "number"},
    },
    "pipedrive_people": {
        "label": _l("Pipedrive people"),
        "signature": ("person - name", "person - organization"),
        "map": {
            "company": ["Person - Organization"], "contact_name": ["Person - Name"], "contact_title": ["Person - Title"],
            "email": ["Person - Email - Work", "Person - Email", "Person - Email - Other", "Person - Email - Home"],
            "phone": ["Person - Phone - Work", "Person - Phone", "Person - Phone - Mobile", "Person - Phone - Other",
                      "Person - Phone - Home"],
            "owner": ["Person - Owner"], "tags": ["Person - Labels", "Person - Label"],
            "created": ["Person - Person created", "Person - Add time"], "notes": ["Person - LinkedIn Page"],
        },
        "ids": {"Person - ID": "number", "Person - Organization ID": "number"},
    },
    "pipedrive_organizations": {
        "label": _l("Pipedrive organizations"),
        "signature": ("organization - name",),
        "map": {
            "company": ["Organization - Name"], "website": ["Organization - Website"],
            "phone": ["Organization - Phone"], "country": ["Organization - Address - Country",
                                                           "Organization - Country"],
            "owner": ["Organization - Owner"], "tags": ["Organization - Labels", "Organization - Label"],
            "created": ["Organization - Organization created", "Organization - Add time"],
        },
        "ids": {"Organization - ID": "number"},
    },
    "pipedrive_leads": {
        "label": _l("Pipedrive leads"),
        "signature": ("lead - title",),
        "map": {
            "company": ["Lead - Organization"], "contact_name": ["Lead - Contact person"], "value": ["Lead - Value"],
            "currency": ["Lead - Currency"], "owner": ["Lead - Owner"], "tags": ["Lead - Label(s)", "Lead - Labels"],
            "created": ["Lead - Lead created", "Lead - Lead created on"], "notes": ["Lead - Title"],
        },
        "ids": {"Lead - ID": "uuid"},
    },
}


def _columns_named(headers: list[str], names: list[str], used: set[int]) -> list[int]:
    """Columns whose header is one of `names`: exact spelling first (two headers may differ only in case),
    then ignoring case and surrounding spaces; each column serves one field."""
    found: list[int] = []
    for name in names:
        exact = [i for i, h in enumerate(headers) if h.strip() == name and i not in used and i not in found]
        loose = [i for i, h in enumerate(headers)
                 if h.strip().lower() == name.lower() and i not in used and i not in found and i not in exact]
        found.extend(exact + loose)
    return found


def detect_format(headers: list[str], samples: list[list[str]] | None = None
                  ) -> tuple[str | None, dict[str, list[int]]]:
    """A known CRM export and its mapping, or (None, {}): its header names, and values like its own."""
    lowered = {h.strip().lower() for h in headers}
    for key, spec in FORMATS.items():
        if not all(s in lowered for s in spec["signature"]):
            continue
        mapping: dict[str, list[int]] = {}
        used: set[int] = set()
        for name, candidates in spec["map"].items():
            columns = _columns_named(headers, candidates, used)
            if columns:
                mapping[name] = columns
                used.update(columns)
        if samples is None or _looks_like(spec, headers, mapping, samples):
            return key, mapping
    return None, {}


def _looks_like(spec: dict, headers: list[str], mapping: dict[str, list[int]], samples: list[list[str]]) -> bool:
    """Whether the values are that CRM's: its record ids where it has them, its telling columns of their kind."""
    # Header names alone are easily shared by a homemade sheet.
    for name, kind in spec.get("ids", {}).items():
        for column in _columns_named(headers, [name], set()):
            if (fit := _share(column_values(samples, column), ID_KINDS[kind])) is not None and fit < MOSTLY:
                return False
    for field, columns in mapping.items():
        if field not in TELLING_FIELDS:
            continue
        for column in columns:
            if (fit := value_fit(field, column_values(samples, column))) is not None and fit < MOSTLY:
                return False
    return True


# --- what values look like -----------------------------------------------------------------------------------

SAMPLE_ROWS = 50  # the data rows whose values guesses and known formats are checked against
MOSTLY = 0.5  # the share of a column's values that must look right
# The fields whose values tell a CRM's export from a homemade sheet. Phones, countries and amounts are typed freely
# in every CRM too: an odd one is a problem of its row, not a sign of another kind of file.
TELLING_FIELDS = ("email", "created", "company", "first_name", "last_name", "contact_name", "owner")

ID_KINDS = {
    "number": re.compile(r"\d+").fullmatch,
    # 15 or 18 characters, case-sensitive (00Q4600000LbVvfEAF)
    "salesforce": re.compile(r"(?=(?:[A-Za-z]*\d){2})[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?").fullmatch,
    "uuid": re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}").fullmatch,
}


def _is_id(value: str) -> bool:
    """A record id as CRMs write them: a long number, a Salesforce id, a UUID."""
    return (len(value) >= 5 and value.isdigit()) or bool(ID_KINDS["salesforce"](value) or ID_KINDS["uuid"](value))


def _parses(parse):
    def check(value: str) -> bool:
        try:
            parse(value)
        except (ValueError, LookupError, ArithmeticError):
            return False
        return True
    return check


_is_date_dmy, _is_date_mdy = _parses(lambda v: parse_date(v, "dmy")), _parses(lambda v: parse_date(v, "mdy"))


def _is_date(value: str) -> bool:
    return _is_date_dmy(value) or _is_date_mdy(value)


def _is_email(value: str) -> bool:
    return "@" in value and " " not in value


def _is_words(value: str) -> bool:
    """A name, a title or a label: letters, and not an id, a date or an address."""
    return any(c.isalpha() for c in value) and not (_is_id(value) or _is_date(value) or _is_email(value))


_DEAL_SUFFIX = re.compile(r"\b(deal|opportunity)$", re.IGNORECASE)


def _is_job_title(value: str) -> bool:
    # Pipedrive names a deal after its organisation ("Acme Ltd deal"); "lead" is left alone for the Team Lead.
    return _is_words(value) and not _DEAL_SUFFIX.search(value.strip())


_IS = {
    "email": _is_email,
    "created": _is_date,
    "value": _parses(parse_amount),
    "currency": _parses(parse_currency),
    "country": _parses(parse_country),
    "language": _parses(parse_language),
    "website": lambda v: "." in v and " " not in v and "@" not in v,
    "phone": lambda v: sum(c.isdigit() for c in v) >= 5 and not _is_date(v),
    "company": lambda v: any(c.isalpha() for c in v) and not (_is_id(v) or _is_date(v)),
    "first_name": _is_words, "last_name": _is_words, "contact_name": _is_words, "contact_title": _is_job_title,
    "status": _is_words, "source": _is_words,
    # An owner is a member's name or email here, never a record id.
    "owner": lambda v: any(c.isalpha() for c in v) and not (_is_id(v) or _is_date(v)),
}


def column_values(samples: list[list[str]], column: int) -> list[str]:
    """The filled values of one column among the sampled rows."""
    return [row[column].strip() for row in samples if column < len(row) and not _blank(row[column])]


def _share(values: list[str], check) -> float | None:
    """The share of values that pass a check; None when there are none to judge by."""
    return sum(1 for v in values if check(v)) / len(values) if values else None


def value_fit(field: str, values: list[str]) -> float | None:
    """How well a column's values suit a field, 0 to 1; None for nothing to judge by or a field taking anything."""
    check = _IS.get(field)
    return _share(values, check) if check is not None else None


# Header names people and CRMs use for each field, in the languages we meet (plain form: see fold()).
SYNONYMS = {
    "company": """company; company name; organization; organisation; organization name; account; account name;
        business; business name; firm; azienda; societa; ragione sociale; impresa; nome azienda; cong ty; ten cong ty;
        doanh nghiep; to chuc; bedrijf; bedrijfsnaam; organisatie; firma; unternehmen; firmenname; societe;
        entreprise; raison sociale; empresa; compania; organizacion; nombre de la empresa; foretag; virksomhed""",
    "first_name": "first name; firstname; given name; forename; nome; ten; voornaam; vorname; prenom; nombre; fornamn",
    "last_name": """last name; lastname; surname; family name; cognome; ho; achternaam; nachname; nom de famille;
        apellido; apellidos; efternamn""",
    "contact_name": """name; full name; contact; contact name; contact person; person; person name; referente;
        nome e cognome; nome completo; persona di contatto; nguoi lien he; ho va ten; ho ten; contactpersoon; naam;
        ansprechpartner; kontaktperson; nom; nom complet; contacto; persona de contacto; namn""",
    "contact_title": """title; job title; position; job position; role; ruolo; qualifica; posizione; mansione;
        chuc vu; chuc danh; functie; functietitel; titel; berufsbezeichnung; poste; fonction; titre; cargo; puesto;
        befattning; titel""",
    "email": """email; e mail; email address; e mail address; mail; posta elettronica; indirizzo email; thu dien tu;
        dia chi email; e mailadres; emailadres; e post; e postadress; correo; correo electronico; courriel;
        adresse e mail; adresse email""",
    "phone": """phone; telephone; phone number; telephone number; mobile; mobile phone; cell; tel; telefono;
        cellulare; numero di telefono; dien thoai; so dien thoai; di dong; telefoon; telefoonnummer; mobiel;
        telefon; telefonnummer; handy; mobil; telephone portable; portable; movil; celular; numero de telefono""",
    "website": """website; web site; url; web; homepage; home page; domain; website url; company domain name; sito;
        sito web; sito internet; trang web; webseite; site web; site internet; sitio web; pagina web; hemsida""",
    "country": """country; country region; nation; paese; nazione; quoc gia; nuoc; land; pays; pais""",
    "language": """language; preferred language; lingua; ngon ngu; taal; sprache; langue; idioma; sprak""",
    "source": """source; lead source; origin; channel; fonte; origine; canale; nguon; nguon khach hang; bron; herkunft;
        quelle; origen; fuente; kalla""",
    "status": """status; lead status; stage; stato; fase; trang thai; giai doan; statut; estado; etapa; fas""",
    "value": """value; amount; deal value; estimated value; expected revenue; valore; importo; valore stimato;
        gia tri; so tien; waarde; bedrag; wert; betrag; valeur; montant; valor; importe; monto; varde; belopp""",
    "currency": """currency; currency code; valuta; divisa; tien te; don vi tien te; wahrung; devise; moneda""",
    "owner": """owner; lead owner; contact owner; assigned to; sales rep; responsabile; proprietario; assegnato a;
        nguoi phu trach; chu so huu; eigenaar; besitzer; inhaber; verantwortlich; proprietaire; responsable;
        propietario; agare""",
    "tags": """tags; tag; labels; label; etichette; etichetta; nhan; the; schlagworter; etiketten; etiquettes;
        etiquetas; etiketter""",
    "notes": """notes; note; description; comments; comment; remarks; descrizione; commenti; ghi chu; mo ta; notities;
        opmerkingen; beschrijving; notizen; beschreibung; bemerkungen; commentaires; notas; descripcion;
        anteckningar""",
    "created": """created; create date; created date; created at; created on; date created; creation date;
        data creazione; data di creazione; ngay tao; aangemaakt; aanmaakdatum; erstellt; erstellt am;
        erstellungsdatum; date de creation; fecha de creacion; skapad""",
}
_SYNONYMS = {f: [s.strip() for s in text.replace("\n", " ").split(";") if s.strip()] for f, text in SYNONYMS.items()}
# Entity prefixes CRMs put before every header ("Person - Email - Work").
_PREFIX = re.compile(r"^(person|lead|organization|organisation|deal|contact|company|persona|azienda|nguoi) ")


# A deal's own title or name ("Deal title", "Lead - Title", "Opportunity name"): no person's name or job title.
_DEAL_TITLE = re.compile(r"^(?:(?:deal|deals|opportunity|opportunities|opportunita|trattativa|affare|co hoi"
                         r"|oportunidad|opportunite|affaire|kans|verkaufschance)(?: name| title| titolo| nome| ten"
                         r"| tieu de| naam| titel| titre| nom| nombre| titulo)?"
                         r"|lead(?: title| titolo| tieu de| titel| titre| titulo))$")
PERSON_FIELDS = ("first_name", "last_name", "contact_name", "contact_title")


def _header_score(plain: str, bare: str, synonyms: list[str]) -> float:
    """How well a header names a field: the same name in one of several languages, else a close spelling."""
    best = 0.0
    for synonym in synonyms:
        if synonym in (plain, bare):
            return 1.0
        if len(synonym) > 3:
            # A close spelling of the whole name beats a known word inside a longer one.
            ratio = difflib.SequenceMatcher(None, bare, synonym).ratio()
            if ratio >= 0.8:
                best = max(best, 0.95 * ratio)
        if bare.startswith(synonym + " ") or (f" {synonym} " in f" {bare} " and len(synonym) > 3):
            best = max(best, 0.7 - 0.01 * (len(bare.split()) - len(synonym.split())))
    return best


def guess_mapping(headers: list[str], samples: list[list[str]] | None = None) -> dict[str, list[int]]:
    """Good guesses for an unknown export: a header naming a field, and values in `samples` that look like it."""
    scored: list[tuple[float, str, int]] = []
    for index, header in enumerate(headers):
        plain = fold(header)
        bare = _PREFIX.sub("", plain)
        if not plain:
            continue
        values = column_values(samples, index) if samples else []
        for name, synonyms in _SYNONYMS.items():
            if name in PERSON_FIELDS and _DEAL_TITLE.match(plain):
                continue
            best = _header_score(plain, bare, synonyms)
            fit = value_fit(name, values)
            if name == "email" and not best and fit is not None and fit >= 0.8:
                best = 0.5  # no header says so, but the values do: a "Contact" column of addresses
            if best and fit is not None:
                # The header proposes, the values dispose: most must look right, and the better they look the
                # better the guess ranks against another column with the same name.
                best = best * (0.5 + 0.5 * fit) if fit >= MOSTLY else 0.0
            if best:
                scored.append((best, name, index))
    mapping: dict[str, list[int]] = {}
    taken: set[int] = set()
    for _score, name, index in sorted(scored, key=lambda s: (-s[0], s[2])):
        if name in mapping or index in taken:
            continue
        mapping[name] = [index]
        taken.add(index)
    return mapping
