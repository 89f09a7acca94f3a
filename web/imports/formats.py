"""Which column of a CSV fills which field of a lead: known CRM exports map themselves, anything else
gets guesses from header names in several languages, confirmed by a person."""
from __future__ import annotations

import difflib
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from i18n.text import fold

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
IMPORT_FIELDS = tuple(FIELD_LABELS)
# These take every mapped column (joined); the others take the first non-empty one.
JOINED_FIELDS = ("tags", "notes")
IDENTITY_FIELDS = ("company", "first_name", "last_name", "contact_name", "email", "phone")

# Problems are stored as codes with their values and worded when shown, in the reader's language.
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
                            field=str(FIELD_LABELS.get(p.get("field"), p.get("field"))), num=p.get("num", 0)),
    "columns": lambda p: _("The line has %(found)d columns where the header has %(expected)d (a stray delimiter or "
                           "quote?).", found=p.get("found", 0), expected=p.get("expected", 0)),
}


def problem_text(code: str, params: dict | None) -> str:
    """A stored problem in the reader's language."""
    worder = PROBLEMS.get(code)
    return worder(params or {}) if worder is not None else code


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
            "source": ["LeadSource"], "status": ["Status"], "owner": ["OwnerId"], "notes": ["Description"],
            "created": ["CreatedDate"], "tags": ["Rating", "Industry"], "currency": ["CurrencyIsoCode"],
        },
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
    },
    "hubspot_companies": {
        "label": _l("HubSpot companies"),
        "signature": ("record id", "company name"),
        "map": {
            "company": ["Company name", "Name"], "phone": ["Phone Number"],
            "website": ["Website URL", "Company Domain Name"], "country": ["Country/Region", "Country"],
            "owner": ["Company owner"], "notes": ["Description"], "created": ["Create Date"], "tags": ["Industry"],
        },
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
    },
    "pipedrive_leads": {
        "label": _l("Pipedrive leads"),
        "signature": ("lead - title",),
        "map": {
            "company": ["Lead - Organization"], "contact_name": ["Lead - Contact person"], "value": ["Lead - Value"],
            "currency": ["Lead - Currency"], "owner": ["Lead - Owner"], "tags": ["Lead - Label(s)", "Lead - Labels"],
            "created": ["Lead - Lead created", "Lead - Lead created on"], "notes": ["Lead - Title"],
        },
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


def detect_format(headers: list[str]) -> tuple[str | None, dict[str, list[int]]]:
    """A known CRM export and its mapping, or (None, {})."""
    lowered = {h.strip().lower() for h in headers}
    for key, spec in FORMATS.items():
        if all(s in lowered for s in spec["signature"]):
            mapping: dict[str, list[int]] = {}
            used: set[int] = set()
            for name, candidates in spec["map"].items():
                columns = _columns_named(headers, candidates, used)
                if columns:
                    mapping[name] = columns
                    used.update(columns)
            return key, mapping
    return None, {}


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


def guess_mapping(headers: list[str]) -> dict[str, list[int]]:
    """Good guesses for an unknown export: the same name in one of several languages, else a close spelling."""
    scored: list[tuple[float, str, int]] = []
    for index, header in enumerate(headers):
        plain = fold(header)
        bare = _PREFIX.sub("", plain)
        if not plain:
            continue
        for name, synonyms in _SYNONYMS.items():
            best = 0.0
            for synonym in synonyms:
                if synonym in (plain, bare):
                    best = 1.0
                    break
                if len(synonym) > 3:
                    # A close spelling of the whole name beats a known word inside a longer one.
                    ratio = difflib.SequenceMatcher(None, bare, synonym).ratio()
                    if ratio >= 0.8:
                        best = max(best, 0.95 * ratio)
                if bare.startswith(synonym + " ") or (f" {synonym} " in f" {bare} " and len(synonym) > 3):
                    best = max(best, 0.7 - 0.01 * (len(bare.split()) - len(synonym.split())))
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


