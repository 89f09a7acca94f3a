"""CSV import of leads: real CRM exports without mapping, other languages through the mapping screen,
10,000 rows a chunk per poll, bad rows by line number, duplicates flagged instead of doubled."""
from __future__ import annotations

import codecs
import csv
import io
import re
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import tenant_context
from web.imports import formats, reading, values
from web.imports import service as importer
from web.imports.models import ImportIssue, ImportJob
from web.leads.models import Lead, LeadTag

from .. import factories as f
from .. import lead_factories as lf

EXPORTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "crm-exports"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _upload(client, data: bytes, name: str = "leads.csv", owner=None):
    # Encoded here, in memory: the test client would spool a large body to a file it never closes.
    upload = FileStorage(stream=io.BytesIO(data), filename=name, content_type="text/csv")
    boundary, body = encode_multipart({"csrf_token": client.token(), "file": upload,
                                       "owner_id": str(owner.id) if owner else ""})
    return client.http.post("/t/acme/leads/imports", data=body,
                            content_type=f"multipart/form-data; boundary={boundary}")


def _job_id(response) -> int:
    return int(re.search(r"/imports/(\d+)", response.headers["Location"]).group(1))


def _run(client, job_id: int) -> list[str]:
    """Start the import and poll it as the progress bar does; returns each poll's fragment, then the summary."""
    assert client.post(f"/t/acme/leads/imports/{job_id}/start").status_code == 303
    polls = []
    for _ in range(1000):
        response = client.post(f"/t/acme/leads/imports/{job_id}/step", htmx=True)
        assert response.status_code == 200
        if response.headers.get("HX-Redirect"):  # done: the browser loads the summary page
            assert response.headers["HX-Redirect"].endswith(f"/leads/imports/{job_id}")
            polls.append(_text(client.get(response.headers["HX-Redirect"])))
            return polls
        assert 'hx-trigger="every 500ms"' in _text(response)
        polls.append(_text(response))
    raise AssertionError("the import never finished")


def _job(app, world, job_id) -> ImportJob:
    with app.app_context(), tenant_context(world.acme.id):
        return f.detach(db.session.get(ImportJob, job_id))


def _leads(app, world) -> dict[str, Lead]:
    with app.app_context(), tenant_context(world.acme.id):
        rows = db.session.scalars(select(Lead).order_by(Lead.id)).all()
        return {(r.company or r.contact_name or r.email or r.phone): f.detach(r) for r in rows}


def _import_known(app, client, world, path: Path):
    """A known export: upload, straight to the preview (no mapping screen), then run."""
    uploaded = _upload(client, path.read_bytes(), path.name)
    assert uploaded.status_code == 303 and "/mapping" not in uploaded.headers["Location"], path.name
    job_id = _job_id(uploaded)
    preview = client.get(f"/t/acme/leads/imports/{job_id}")
    assert preview.status_code == 200 and "The first rows, as they will be imported" in _text(preview)
    _run(client, job_id)
    return _job(app, world, job_id)


# --- real exports ------------------------------------------------------------------------------------------

needs_exports = pytest.mark.skipif(not EXPORTS.exists(), reason="the CRM export samples are not here")


@needs_exports
def test_a_salesforce_data_export_imports_without_mapping(app, client, world):
    client.login("admin@acme.example")
    job = _import_known(app, client, world, EXPORTS / "salesforce-data-export-service-lead.csv")
    assert (job.format, job.total, job.created, job.failed, job.duplicates) == ("salesforce_export", 12, 12, 0, 0)
    leads = _leads(app, world)
    bertha = leads["Farmers Coop. of Florida"]
    assert (bertha.contact_name, bertha.contact_title, bertha.email, bertha.phone, bertha.country) == (
        "Bertha Boxer", "Director of Vendor Relations", "bertha@fcof.example.net", "+1 850-555-0101", "US")  # stored in international form
    assert (bertha.source, bertha.status) == ("web_form", "researching")  # Web, Working - Contacted
    assert bertha.created_at == datetime(2018, 10, 13, 15, 16, 45, tzinfo=timezone.utc)  # 17:16:45 in Rome
    assert leads["Jackson Controls"].country == "TW" and leads["Pyramid Construction Inc."].country == "FR"
    assert leads["Burlington Textiles Corp of America"].status == "converted"
    assert leads["Zenith Industrial Partners"].status == "disqualified"
    assert leads["Zenith Industrial Partners"].disqualify_reason == "Closed - Not Converted"
    assert leads["Metropolitan Health Services"].source == "cold_research"  # Purchased List
    with app.app_context(), tenant_context(world.acme.id):
        tags = set(db.session.scalars(select(LeadTag.name).where(LeadTag.lead_id == bertha.id)))
    assert tags == {"hot", "agriculture"}


@needs_exports
def test_a_dutch_salesforce_report_with_semicolons_and_day_first_dates_imports_without_mapping(app, client, world):
    client.login("admin@acme.example")
    job = _import_known(app, client, world, EXPORTS / "salesforce-lead-report-export-nl.csv")
    assert (job.format, job.delimiter, job.date_order) == ("salesforce_report", ";", "dmy")
    assert (job.total, job.created, job.failed, job.duplicates) == (15, 14, 1, 0)
    leads = _leads(app, world)
    field = leads["Fieldtester"]
    assert (field.contact_name, field.status, field.country, field.phone) == (
        "Pieter-Jan Proefhuis", "qualified", "NL", "+31 20 555 0101")  # read in the row's country
    assert field.created_at.date().isoformat() == "2018-07-02"  # 3-7-2018, midnight in Rome
    assert leads["Voorbeeld Beveiligingsgroep BV"].phone == "+31 6 55550105"
    placeholder = [l for l in leads.values() if l.phone == "+32 475 55 01 07"][0]
    assert (placeholder.company, placeholder.contact_name, placeholder.country) == (None, None, "BE")  # N/A and België
    assert "Unknown" not in {l.contact_name for l in leads.values()}
    with app.app_context(), tenant_context(world.acme.id):
        refused = db.session.scalars(select(ImportIssue)).one()
    assert refused.line == 54 and refused.problems == [["identity", {}]]  # the record that starts on line 54
    back = client.get(f"/t/acme/leads/imports/{job.id}/errors.csv").get_data(as_text=True)
    assert "MAX:  @Max Nepberg\u00a0\nINFO:" in back  # handed back as it was, non-breaking space and all


def test_refused_rows_come_back_as_text_never_as_formulas(app, client, world):
    text = 'Company,Email\nAcme,a@acme.example\n"=HYPERLINK(""http://x.example"")",not-an-email\n'
    job = lf.Bound(app).import_job(world.acme, text)
    client.login("admin@acme.example")
    back = list(csv.reader(io.StringIO(_text(client.get(f"/t/acme/leads/imports/{job.id}/errors.csv")))))
    assert back[1][:2] == ["'=HYPERLINK(\"http://x.example\")", "not-an-email"]


@needs_exports
def test_a_hubspot_contacts_export_imports_without_mapping(app, client, world):
    client.login("admin@acme.example")
    job = _import_known(app, client, world, EXPORTS / "hubspot-contacts-export.csv")
    assert (job.format, job.total, job.created, job.failed) == ("hubspot_contacts", 20, 19, 0)
    assert job.duplicates == 1  # HubSpot's two sample contacts share the hubspot domain
    leads = _leads(app, world)
    assert leads["EX HOTEL GROUP"].phone == "07 4555 0114"  # the trailing words are gone
    assert leads["EXAMPLE LINEN SUPPLY PTY LTD"].email == "accounts@als-sample.example.net"
    assert leads["hello@tribeseven.example.com"].phone == "415550102"  # a row with only an email and a phone
    assert leads["CLX STUDIOS/COD"].contact_name == "MAREE SAMPLEY"


@needs_exports
def test_a_hubspot_companies_export_imports_without_mapping(app, client, world):
    client.login("admin@acme.example")
    job = _import_known(app, client, world, EXPORTS / "hubspot-companies-export.csv")
    assert (job.format, job.total, job.created, job.failed, job.duplicates) == ("hubspot_companies", 15, 15, 0, 0)
    leads = _leads(app, world)
    assert leads["Vibe Sample Juice Bar"].phone == "+1 973-555-0115"  # HubSpot's leading space is gone
    assert leads["Antonella’s Pizza (5)*"].country == "US"  # "United States" as well as "US"
    assert leads["“Our” Pizza Shop"].country == "US"


@needs_exports
def test_a_pipedrive_people_export_imports_without_mapping(app, client, world):
    client.login("admin@acme.example")
    job = _import_known(app, client, world, EXPORTS / "pipedrive-people-export.csv")
    assert (job.format, job.total, job.created, job.failed, job.duplicates) == ("pipedrive_people", 19, 19, 0, 0)
    leads = _leads(app, world)
    leigh = leads["Ecosample Ltd"]
    assert (leigh.contact_name, leigh.contact_title, leigh.phone) == ("Leigh Dixby", "CEO", "+44 7705 550102")
    assert leads["ICEY LTD"].phone == "+44 1375 550106"  # found in the "Other" phone slot, apostrophe gone
    assert leads["Electronic Waste Sample Ltd"].phone == "07815550105"  # the mobile slot
    assert leads["Cyxample"].email == "dawid.gieser@cyxample.example.com"
    with app.app_context(), tenant_context(world.acme.id):
        assert "nurture 2" in set(db.session.scalars(select(LeadTag.name)))


@needs_exports
def test_an_export_whose_owner_is_a_member_here_gives_them_the_lead(app, client, world):
    text = (EXPORTS / "pipedrive-people-export.csv").read_text().replace("Dan Example", "Giulia Coordinator")
    client.login("admin@acme.example")
    uploaded = _upload(client, text.encode(), "people.csv", owner=world.admin)
    _run(client, _job_id(uploaded))
    owners = {l.owner_id for l in _leads(app, world).values()}
    assert owners == {world.coordinator.id, world.admin.id}  # Lars and Mikkel are not members: the importer's pick


def test_a_salesforce_report_footer_is_left_out(app, client, world):
    text = ('"First Name","Last Name","Company / Account","Email","Lead Status","Lead Source"\n'
            '"Ada","Byron","Analytical Engines Ltd","ada@engines.example","Open","Web"\n'
            '"Alan","Turing","Bombe Works","alan@bombe.example","Qualified","Event"\n'
            '\n'
            '"Leads by source"\n'
            '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
            '"Confidential Information - Do Not Distribute"\n'
            '"Generated By:  Ada Byron  26/11/2026 10:04"\n'
            '"Analytical Engines Ltd"\n')
    client.login("admin@acme.example")
    job_id = _job_id(_upload(client, text.encode("cp1252"), "report1789733621567.csv"))
    _run(client, job_id)
    job = _job(app, world, job_id)
    assert (job.format, job.total, job.created, job.failed) == ("salesforce_report", 2, 2, 0)
    assert set(_leads(app, world)) == {"Analytical Engines Ltd", "Bombe Works"}


# --- other languages and other CRMs: the mapping screen -----------------------------------------------------------


ITALIAN = ("Ragione sociale;Referente;E-mail;Telefono;Paese;Valore stimato;Valuta;Data creazione;Note\n"
           "Caffè Sant’Eustachio;Marta Neri;marta@santeustachio.example;'+39 06 555 0101;Italia;1.234,56;EUR;28/06/2018;Più tardi\n"
           "Pasticceria Sacher;Hans Müller;hans@sacher.example;+43 1 555 0102;Österreich;€ 2.500;;13/07/2018;\n"
           "Boulangerie Paul;;pierre-at-paul;;Francia;12,5;XYZ;31/02/2018;\n")


def test_an_italian_export_from_another_crm_goes_to_the_mapping_screen_with_good_guesses(app, client, world):
    client.login("admin@acme.example")
    uploaded = _upload(client, ITALIAN.encode("cp1252"), "esportazione.csv")
    assert uploaded.status_code == 303 and uploaded.headers["Location"].endswith("/mapping")
    job_id = _job_id(uploaded)
    job = _job(app, world, job_id)
    assert (job.encoding, job.delimiter, job.format, job.status) == ("cp1252", ";", None, "mapping")
    guessed = {name: job.headers[columns[0]] for name, columns in job.mapping.items()}
    assert guessed == {"company": "Ragione sociale", "contact_name": "Referente", "email": "E-mail",
                       "phone": "Telefono", "country": "Paese", "value": "Valore stimato", "currency": "Valuta",
                       "created": "Data creazione", "notes": "Note"}
    screen = _text(client.get(f"/t/acme/leads/imports/{job_id}/mapping"))
    assert '<option value="0" selected>Ragione sociale' in screen and "Caffè Sant’Eustachio" in screen
    assert client.get(f"/t/acme/leads/imports/{job_id}").headers["Location"].endswith("/mapping")

    nothing = client.post(f"/t/acme/leads/imports/{job_id}/mapping", {"map-notes": "8"})
    assert nothing.status_code == 422 and f.shows(nothing, "a lead needs one of them")
    form = {f"map-{name}": str(columns[0]) for name, columns in job.mapping.items()}
    assert client.post(f"/t/acme/leads/imports/{job_id}/mapping", form).status_code == 303
    preview = _text(client.get(f"/t/acme/leads/imports/{job_id}"))
    assert f.shows(preview, "“pierre-at-paul” is not a valid email address.")
    assert f.shows(preview, "Unknown currency “XYZ”.") and f.shows(preview, "“31/02/2018” is not a date.")
    _run(client, job_id)
    job = _job(app, world, job_id)
    assert (job.created, job.failed) == (2, 1)
    leads = _leads(app, world)
    caffe = leads["Caffè Sant’Eustachio"]
    assert (caffe.value_amount, caffe.value_currency, caffe.country, caffe.phone) == (
        Decimal("1234.56"), "EUR", "IT", "+39 06 555 0101")
    assert caffe.created_at.date().isoformat() == "2018-06-27" and caffe.notes == "Più tardi"
    sacher = leads["Pasticceria Sacher"]
    assert (sacher.value_amount, sacher.value_currency, sacher.country) == (Decimal("2500"), "EUR", "AT")
    summary = _text(client.get(f"/t/acme/leads/imports/{job_id}"))
    assert "Import finished" in summary and f.shows(summary, "“pierre-at-paul” is not a valid email address.")


def test_guesses_read_headers_in_several_languages():
    swedish = ["ID", "Namn", "Organisation", "E-post - Arbete", "Telefon - Mobil", "Ägare", "Värde", "Fas"]
    assert formats.guess_mapping(swedish) == {"contact_name": [1], "company": [2], "email": [3], "phone": [4],
                                               "owner": [5], "value": [6], "status": [7]}
    vietnamese = ["Tên công ty", "Người liên hệ", "Số điện thoại", "Quốc gia", "Ngôn ngữ", "Nguồn", "Giá trị"]
    assert formats.guess_mapping(vietnamese) == {"company": [0], "contact_name": [1], "phone": [2], "country": [3],
                                                  "language": [4], "source": [5], "value": [6]}
    german = ["Firma", "Vorname", "Nachname", "Telefon", "E-Mail-Adresse", "Land", "Webseite"]
    assert formats.guess_mapping(german) == {"company": [0], "first_name": [1], "last_name": [2], "phone": [3],
                                              "email": [4], "country": [5], "website": [6]}
    assert formats.guess_mapping(["Compnay Name", "Emial"]) == {"company": [0], "email": [1]}  # typos


def _sheet(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


@pytest.mark.parametrize("text, expected", [
    # dates are never the email, whatever the header says; addresses are, whatever it says
    ("Company,Last email,Contact\nAcme,2024-03-01,Ada Byron\nBeta,13/02/2024,Alan Turing\n",
     {"company": [0], "contact_name": [2]}),
    ("Company,Reach,Name\nAcme,ada@acme.example,Ada\nBeta,alan@beta.example,Alan\n",
     {"company": [0], "email": [1], "contact_name": [2]}),
    # record ids are never the owner (Salesforce's 18 characters, HubSpot's numbers); names are
    ("Company,Owner\nAcme,0054600000A1bCdEAF\nBeta,0054600000B2cDeFAQ\n", {"company": [0]}),
    ("Company,HubSpot Owner\nAcme,51234567\nBeta,51234568\n", {"company": [0]}),
    ("Company,Owner\nAcme,Dana Sample\n", {"company": [0], "owner": [1]}),
    # a deal's title is never a person's job title (or name), by its header or by its values
    ("Deal title,Organization,Contact person,Title\nAcme renewal,Acme,Ada Byron,CEO\n",
     {"company": [1], "contact_name": [2], "contact_title": [3]}),
    ("Lead - Title,Lead - Organization,Lead - Contact person\nWebsite relaunch,Acme,Ada Byron\n",
     {"company": [1], "contact_name": [2]}),
    ("Opportunity name,Account name,Title\nBig renewal,Acme,CFO\n", {"company": [1], "contact_title": [2]}),
    ("Company,Title\nAcme,Acme Ltd deal\nBeta,Beta Srl deal\n", {"company": [0]}),
])
def test_guesses_look_at_the_values_too(text, expected):
    assert formats.guess_mapping(*_sheet(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Record ID,First Name,Last Name,Email\n51,Ada,Byron,ada@engines.example\n", "hubspot_contacts"),
    ("Record ID,First Name,Last Name,Email\nC-001,Ada,Byron,ada@engines.example\n", None),
    ("Id,FirstName,LastName,Company,LeadSource,Status\n00Q4600000LbVvfEAF,Ada,Byron,Acme,Web,Open\n",
     "salesforce_export"),
    ("Id,FirstName,LastName,Company,LeadSource,Status\n17,Ada,Byron,Acme,Web,Open\n", None),
    ("First Name,Last Name,Company / Account,Lead Status,Email\nAda,Byron,Acme,Open,ada@acme.example\n",
     "salesforce_report"),
    ("First Name,Last Name,Company / Account,Lead Status,Email\nAda,Byron,Acme,Open,2024-01-02\n", None),
    ("First Name,Last Name,Company,Lead Status,Email\nAda,Byron,Acme,Open,ada@acme.example\n", None),
])
def test_a_file_is_a_known_export_only_when_its_values_are_that_crms_too(app, client, world, text, expected):
    assert formats.detect_format(*_sheet(text))[0] == expected
    client.login("admin@acme.example")
    job = _job(app, world, _job_id(_upload(client, text.encode())))
    assert job.format == expected and (expected or job.mapping == formats.guess_mapping(*_sheet(text)))


def test_a_utf16_tab_separated_spreadsheet_imports(app, client, world):
    text = "Company\tEmail\tCountry\nHanoi Silk\tha@hanoisilk.example\tViệt Nam\nOsaka Lab\tsato@osakalab.example\tJapan\n"
    client.login("admin@acme.example")
    job_id = _job_id(_upload(client, codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "unicode.txt"))
    client.post(f"/t/acme/leads/imports/{job_id}/mapping", {"map-company": "0", "map-email": "1", "map-country": "2"})
    _run(client, job_id)
    leads = _leads(app, world)
    assert leads["Hanoi Silk"].country == "VN" and leads["Osaka Lab"].country == "JP"


@pytest.mark.parametrize("data, name, message", [
    (b"", "empty.csv", "The file is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.csv", "This is not a text file."),
    (b"company,email\n", "header.csv", "The file has a header but no rows of data."),
    (b"just one column\nand nothing else\n", "one.csv", "No columns found."),
])
def test_files_that_cannot_be_imported_are_refused_with_a_clear_message(app, client, world, data, name, message):
    client.login("admin@acme.example")
    response = _upload(client, data, name)
    assert response.status_code == 422 and f.shows(response, message)
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0


# --- ten thousand rows ---------------------------------------------------------------------------------------


BAD = [("email", "buyer-at-nowhere"), ("country", "Atlantis"), ("currency", "XYZ"), ("value", "lots"),
       ("identity", None)]


def _big_file(n=10_000, bad_every=200) -> tuple[str, dict[int, str]]:
    """n rows (the header is line 1); every `bad_every`th row is wrong in one of five ways."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Company", "Contact", "Email", "Phone", "Country", "Value", "Currency"])
    bad: dict[int, str] = {}
    for i in range(n):
        row = [f"Ditta {i:05d} Trasporti", f"Persona {i}", f"buyer{i}@ditta{i:05d}.example", f"+39 02 {i:07d}", "IT",
               str(1000 + i), "EUR"]
        if (i + 1) % bad_every == 0:
            kind, value = BAD[(i // bad_every) % len(BAD)]
            column = {"email": 2, "country": 4, "currency": 6, "value": 5}.get(kind)
            if column is None:
                row = ["", "", "", "", "IT", "", ""]
            else:
                row[column] = value
            bad[i + 2] = kind
        writer.writerow(row)
    return out.getvalue(), bad


def test_ten_thousand_rows_with_fifty_bad_ones_keep_the_good_report_the_bad_by_line_and_show_progress(
        app, client, world, monkeypatch):
    text, bad = _big_file()
    assert len(bad) == 50
    client.login("admin@acme.example")
    uploaded = _upload(client, text.encode(), "ten-thousand.csv")
    job_id = _job_id(uploaded)
    job = _job(app, world, job_id)
    form = {f"map-{name}": str(columns[0]) for name, columns in job.mapping.items()}
    assert set(job.mapping) == {"company", "contact_name", "email", "phone", "country", "value", "currency"}
    client.post(f"/t/acme/leads/imports/{job_id}/mapping", form)
    page = _text(client.get(f"/t/acme/leads/imports/{job_id}"))
    assert page.count('<td class="num">') >= 10  # the preview of the first rows

    records, reads = reading.records, []  # every record the reader yields while the import runs
    monkeypatch.setattr(reading, "records", lambda *args: (reads.append(r) or r for r in records(*args)))
    polls = _run(client, job_id)
    monkeypatch.undo()
    assert len(reads) == 10_000  # each chunk read its own 500 rows (from the top every time, it read 200,020)
    assert len(polls) == 20  # a chunk of 500 per poll (the last one loads the summary)
    assert '<progress max="10000" value="500"' in polls[0] and f.shows(polls[0], "500 of 10,000 rows")
    assert f.shows(polls[9], "5,000 of 10,000 rows")
    assert "Import finished" in polls[-1] and 'hx-trigger="every' not in polls[-1]
    job = _job(app, world, job_id)
    assert (job.status, job.total, job.created, job.failed, job.duplicates) == ("done", 10_000, 9_950, 50, 0)
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(Lead)) == 9_950
        issues = db.session.scalars(select(ImportIssue).where(ImportIssue.job_id == job_id)).all()
    assert {i.line: i.problems[0][0] for i in issues} == bad
    summary = client.get(f"/t/acme/leads/imports/{job_id}")
    refused = re.findall(r'<tr><td class="num">(\d+)</td>', _text(summary))
    assert sorted(int(line) for line in refused) == sorted(bad)
    corrections = client.get(f"/t/acme/leads/imports/{job_id}/errors.csv")
    rows = list(csv.reader(io.StringIO(_text(corrections).lstrip("\ufeff"))))
    assert len(rows) == 51 and rows[0][-1] == "Problems" and rows[1][:2] == ["Ditta 00199 Trasporti", "Persona 199"]
    assert rows[1][-1] == "“buyer-at-nowhere” is not a valid email address."

    again = _job_id(_upload(client, text.encode(), "ten-thousand.csv"))
    client.post(f"/t/acme/leads/imports/{again}/mapping", form)
    _run(client, again)
    second = _job(app, world, again)
    assert (second.created, second.failed, second.duplicates) == (0, 50, 9_950)  # flagged, not doubled
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(Lead)) == 9_950


def test_two_pollers_never_import_the_same_rows(app, client, world):
    text, _bad = _big_file(n=1200, bad_every=10_000)
    with _started(app, world, text) as (row, tenant):
        before = {"processed": 0, "read_offset": row.read_offset, "read_line": row.read_line}
        assert importer.step(row, tenant) is True
        for name, value in before.items():  # a second server that read the job before the first claimed it
            set_committed_value(row, name, value)
        assert importer.step(row, tenant) is False
        assert (row.processed, row.read_line) == (500, 502)  # it sees the claim, and where to read on, and moves on
        while importer.step(row, tenant):
            pass
        assert db.session.scalar(select(func.count()).select_from(Lead)) == 1200
        assert importer.step(row, tenant) is False  # done: nothing more to take


@contextmanager
def _started(app, world, text: str):
    """An uploaded job, mapped by its guesses and started: (job, tenant) to step in a request context."""
    job = lf.Bound(app).import_job(world.acme, text, run=False)
    with app.test_request_context(), tenant_context(world.acme.id):
        row = db.session.get(ImportJob, job.id)
        importer.set_mapping(row, row.mapping)
        importer.start(row)
        yield row, db.session.get(Tenant, world.acme.id)


# Windows line ends, a value over three lines, blank lines, a character outside the BMP, and a report footer.
REPORT = ('"First Name","Last Name","Company / Account","Email","Lead Status","Description"\r\n'
          '"Ada","Byron","Engines 🚂 Ltd","ada@engines.example","Open","first line\r\nsecond, ""quoted""\r\n"\r\n\r\n'
          '"","","","","Open","nobody"\r\n"Alan","Turing","Bombe Works","alan@bombe.example","Qualified",""\r\n'
          '"Grace","Hopper","Cobol & Co","grace@cobol.example","Open","bug, found"\r\n'
          '\r\n"Leads by source"\r\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n')


@pytest.mark.parametrize("chunk", [1, 2, 500])
def test_each_chunk_reads_on_from_where_the_last_stopped_and_never_into_the_footer(app, world, chunk):
    with _started(app, world, REPORT) as (job, tenant):
        while importer.step(job, tenant, chunk=chunk):
            pass
        notes = dict(db.session.execute(select(Lead.company, Lead.notes)).all())
        refused = db.session.scalars(select(ImportIssue.line)).all()
    assert (job.format, job.total, job.created, job.failed) == ("salesforce_report", 4, 3, 1)
    assert notes == {"Engines 🚂 Ltd": 'first line\r\nsecond, "quoted"', "Bombe Works": None, "Cobol & Co": "bug, found"}
    assert refused == [6] and job.read_line == 9  # the blank line before the footer is line 9


def test_a_job_uploaded_before_places_were_kept_goes_on_from_its_own_row(app, world):
    text = "Company,Email\n" + "".join(f"Ditta {i},buyer@ditta{i}.example\n" for i in range(5))
    with _started(app, world, text) as (job, tenant):
        assert importer.step(job, tenant, chunk=2) and (job.processed, job.read_line) == (2, 4)
        db.session.execute(update(ImportJob).values(read_offset=None, read_line=None))  # as the migration left it
        db.session.commit()
        db.session.refresh(job)
        while importer.step(job, tenant, chunk=2):
            pass
    assert (job.created, job.duplicates, job.read_offset) == (5, 0, len(text))  # rows 0 and 1 not read again


def test_flagged_duplicates_are_merged_imported_anyway_or_skipped(app, client, world):
    existing = lf.Bound(app).lead(world.acme, company="Caffè Roma", email="info@cafferoma.example")
    text = ("Company,Email,Phone,Tags\n"
            "Caffe Roma S.r.l.,,+39 06 555 0199,fair\n"   # same company
            "Roma Beans,sales@cafferoma.example,,\n"       # same domain
            "Torrefazione Nord,nord@torrefazione.example,+39 02 555 0100,\n"
            "Torrefazione Nord Srl,,,\n")                  # repeats the row above
    client.login("admin@acme.example")
    job_id = _job_id(_upload(client, text.encode(), "beans.csv"))
    client.post(f"/t/acme/leads/imports/{job_id}/mapping", {"map-company": "0", "map-email": "1", "map-phone": "2",
                                                            "map-tags": "3"})
    _run(client, job_id)
    assert (_job(app, world, job_id).created, _job(app, world, job_id).duplicates) == (1, 3)
    summary = _text(client.get(f"/t/acme/leads/imports/{job_id}"))
    assert summary.count(f'href="/t/acme/leads/{existing.id}"') == 2
    with app.app_context(), tenant_context(world.acme.id):
        issues = {i.line: f.detach(i) for i in db.session.scalars(select(ImportIssue))}
        nord = db.session.scalar(select(Lead.id).where(Lead.company == "Torrefazione Nord"))
    assert issues[5].match_lead_id == nord  # a row that repeats an earlier row of the same file
    merged = client.post(f"/t/acme/leads/imports/{job_id}/issues/{issues[2].id}", {"action": "merge"})
    assert merged.status_code == 303
    after = _leads(app, world)["Caffè Roma"]
    assert after.phone == "+39 06 555 0199" and after.email == "info@cafferoma.example"
    created = client.post(f"/t/acme/leads/imports/{job_id}/issues/{issues[3].id}", {"action": "create"})
    assert created.status_code == 303 and "Roma Beans" in _leads(app, world)
    assert client.post(f"/t/acme/leads/imports/{job_id}/issues/{issues[5].id}", {"action": "skip"}).status_code == 303
    again = client.post(f"/t/acme/leads/imports/{job_id}/issues/{issues[5].id}", {"action": "create"})
    assert again.status_code == 303 and "Torrefazione Nord Srl" not in _leads(app, world)  # settled once
    with app.app_context(), tenant_context(world.acme.id):
        tags = set(db.session.scalars(select(LeadTag.name).where(LeadTag.lead_id == existing.id)))
    assert tags == {"fair"}


# --- reading values ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, order, expected", [
    ("2018-10-13 17:16:45", "dmy", datetime(2018, 10, 13, 17, 16, 45)),
    ("2026-01-20 14:55", "dmy", datetime(2026, 1, 20, 14, 55)),
    ("2024-08-16", "dmy", datetime(2024, 8, 16)),
    ("28-6-2018", "dmy", datetime(2018, 6, 28)),
    ("2/7/2018", "dmy", datetime(2018, 7, 2)),
    ("2/7/2018", "mdy", datetime(2018, 2, 7)),
    ("13.10.2018", "dmy", datetime(2018, 10, 13)),
    ("10/13/18 5:16 PM", "mdy", datetime(2018, 10, 13, 17, 16)),
    ("2018-10-13T17:16:45Z", "dmy", datetime(2018, 10, 13, 17, 16, 45)),
])
def test_dates_as_exports_write_them(text, order, expected):
    assert values.parse_date(text, order) == expected


def test_the_date_order_comes_from_the_files_own_dates():
    assert values.detect_date_order(["2/7/2018", "28-6-2018"]) == "dmy"
    assert values.detect_date_order(["2/7/2018", "10/13/2018"]) == "mdy"
    assert values.detect_date_order(["2/7/2018"]) == "dmy"


@pytest.mark.parametrize("text, expected", [
    ("900750000", (Decimal("900750000"), None)), ("130.0", (Decimal("130.0"), None)),
    ("1.234,56", (Decimal("1234.56"), None)), ("1,234.56", (Decimal("1234.56"), None)),
    ("12,5", (Decimal("12.5"), None)), ("1,234", (Decimal("1234"), None)), ("€ 2.500,00", (Decimal("2500.00"), "EUR")),
    ("1 500 000 VND", (Decimal("1500000"), "VND")), ("US$ 99", (Decimal("99"), "USD")), ("1.234.567", (Decimal("1234567"), None)),
    ("2.500", (Decimal("2500"), None)), ("0.125", (Decimal("0.125"), None)),
])
def test_amounts_as_exports_write_them(text, expected):
    assert values.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["lots", "-5", "1e50", "12 XYZ"])
def test_amounts_that_are_not(text):
    with pytest.raises((ValueError, LookupError, ArithmeticError)):
        values.parse_amount(text)


@pytest.mark.parametrize("text, code", [("USA", "US"), ("United States", "US"), ("us", "US"), ("Nederland", "NL"),
                                        ("België", "BE"), ("United Kingdom", "GB"), ("UK", "GB"), ("Italia", "IT"),
                                        ("Việt Nam", "VN"), ("Vietnam", "VN"), ("Deutschland", "DE"), ("Taiwan", "TW"),
                                        ("ESP", "ES")])
def test_countries_in_any_language(text, code):
    assert values.parse_country(text) == code


@pytest.mark.parametrize("text, status", [
    ("Open - Not Contacted", "new"), ("Working - Contacted", "researching"), ("Closed - Converted", "converted"),
    ("Closed - Not Converted", "disqualified"), ("Qualified", "qualified"), ("Information Sent", "researching"),
    ("Disqualified", "disqualified"), ("NEW", "new"), ("UNQUALIFIED", "disqualified"), ("IN_PROGRESS", "researching"),
])
def test_crm_statuses_in_our_words(text, status):
    assert values.map_status(text)[0] == status


@pytest.mark.parametrize("data, encoding", [
    ("Città;Società\n".encode("utf-8"), "utf-8"), (codecs.BOM_UTF8 + "Città\n".encode(), "utf-8-sig"),
    ("Città;Società\n".encode("cp1252"), "cp1252"), (codecs.BOM_UTF16_LE + "Città\n".encode("utf-16-le"), "utf-16"),
])
def test_encodings(data, encoding):
    text, found = reading.decode(data)
    assert found == encoding and text.startswith("Citt") and "à" in text


@pytest.mark.parametrize("text, encoding", [
    ("Firma,Osoba\nŁódzka Spółka Handlowa,Michał Wiśniewski\n", "cp1250"),  # no ż or ź: Windows-1252 reads it too
    ("Empresa,Contacto\nCompañía Española,José Núñez\n", "cp1252"),
    ("Firma,Kontakt\nGrüße GmbH,Jürgen Weiß\n", "cp1252"),
    ("Société,Contact\nCafé de la Gare,Hélène Dupré\n", "cp1252"), ("Company,Notes\nAcme,“quoted” – €5\n", "cp1252"),
])
def test_the_code_page_of_a_few_short_lines(text, encoding):
    assert reading.decode(text.encode(encoding)) == (text, encoding)


@pytest.mark.parametrize("rows, encoding", [
    ([("Łódzka Spółka Handlowa", "Zażółć Gęślą-Jaźń"), ("Zażółć gęślą jaźń", "Michał Wiśniewski"),
      ("Przedsiębiorstwo Źródło", "Bożena Kaczyńska-Ćwik")], "cp1250"),
    ([("Crème Brûlée SARL", "Hélène Lefèvre"), ("Bäckerei Größe GmbH", "Jürgen Weiß"),
      ("Société d’Œnologie", "François Noël")], "cp1252"),
])
def test_a_file_in_a_windows_code_page_keeps_its_names(app, client, world, rows, encoding):
    text = "Firma;Osoba\n" + "".join(f"{company};{person}\n" for company, person in rows)
    client.login("admin@acme.example")
    job_id = _job_id(_upload(client, text.encode(encoding), "leady.csv"))
    client.post(f"/t/acme/leads/imports/{job_id}/mapping", {"map-company": "0", "map-contact_name": "1"})
    _run(client, job_id)
    assert _job(app, world, job_id).encoding == encoding
    assert {company: lead.contact_name for company, lead in _leads(app, world).items()} == dict(rows)


def test_phones_lose_what_spreadsheets_add():
    assert values.tidy_phone("'+44 7705 550102") == "+44 7705 550102"
    assert values.tidy_phone(" +1 973-555-0115") == "+1 973-555-0115"
    assert values.tidy_phone("07 4555 0114  fred") == "07 4555 0114"
    assert values.tidy_phone("(+32) 0475 55 01 07") == "(+32) 0475 55 01 07"


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_import_problems_read_in_the_readers_language(app, locale):
    with app.test_request_context(headers={"Accept-Language": locale}):
        assert importer.problem_text("identity", {}) == f.translated(
            "A lead needs a company, a person, an email or a phone.", locale)
        assert importer.problem_text("country", {"value": "Atlantis"}) == f.translated(
            "Unknown country “%(value)s”.", locale, value="Atlantis")



def test_an_imported_phone_is_stored_in_international_form_and_an_unreadable_one_is_kept_not_refused(app, world):
    text = ("Company,Phone,Country\nBottega Verdi,'02 1234 5678,IT\nSao Mai,090 123 4567,Vietnam\n"
            "Kaffeehaus Wien,+43 1 5320000,IT\nOld Ledger Ltd,ask for Tom,GB\n")
    job = lf.Bound(app).import_job(world.acme, text)
    assert (job.created, job.failed) == (4, 0)  # a legacy phone never costs the row; hygiene can fix it later
    leads = _leads(app, world)
    assert leads["Bottega Verdi"].phone == "+39 02 1234 5678" and leads["Sao Mai"].phone == "+84 901 234 567"
    assert leads["Kaffeehaus Wien"].phone == "+43 1 5320000"
    assert leads["Old Ledger Ltd"].phone == "ask for Tom"
    assert leads["Bottega Verdi"].phone_key == "212345678" and leads["Sao Mai"].phone_key == "901234567"
