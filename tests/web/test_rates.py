"""Exchange rates in the app: the shared ECB table, corporate rates, the rates page, settings and the CLI."""
from __future__ import annotations

import io
import random
import time
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, func, select

from i18n.fx import RateUnavailable
from i18n.money import Money, is_currency
from tenants.audit import AuditEvent
from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import tenant_context
from web.rates import service
from web.rates.models import CorporateRate, EcbLoad, EcbRate

from .. import ecb_reference as ref
from .. import factories as f
from .. import servers


def _vnd_rate(app, world, rate="27450", day=date(2026, 1, 1)):
    with app.app_context(), tenant_context(world.acme.id):
        db.session.add(CorporateRate(currency="VND", base_currency="EUR", day=day, rate=Decimal(rate)))
        db.session.commit()


def test_the_database_ecb_table_agrees_with_the_bundled_file_for_random_pairs_and_dates(app):
    rng = random.Random(7)
    codes = [c for c in ref.currencies() if is_currency(c)]
    with app.test_request_context():
        book = service.book_for(None)
        checked = 0
        while checked < 600:
            source, target = rng.sample(codes, 2)
            day = date.fromordinal(rng.randint(date(1999, 1, 4).toordinal(), date(2026, 11, 23).toordinal()))
            amount = Decimal(rng.randint(1, 10**10)) / 100
            expected = ref.convert(amount, source, target, day)
            if expected is None:
                continue
            conversion = book.convert(Money(amount, source), target, day)
            assert conversion.amount.amount == expected[0], (amount, source, target, day)
            checked += 1


def test_vnd_converts_with_a_corporate_rate_and_says_so(app, client, world):
    _vnd_rate(app, world)
    client.login("coord@acme.example")
    response = client.get("/t/acme/rates/convert", query_string={"amount": "54900000", "source": "VND",
                                                                 "target": "EUR", "on": "2026-03-02"}, htmx=True)
    assert response.status_code == 200
    assert f.shows(response, "2.000,00\xa0€")  # Giulia reads Italian
    assert f.shows(response, f.translated("corporate rate", "it"))


def test_a_changed_corporate_rate_converts_at_once_though_rates_are_kept_between_requests(app, client, world):
    """Rates are worked out once a process for books whose sources hold the same (i18n.fx.RateBook.signature): an
    admin's new corporate rate is new content, so the very next conversion uses it."""
    _vnd_rate(app, world)
    client.login("admin@acme.example")
    ask = {"amount": "54900000", "source": "VND", "target": "EUR", "on": "2026-03-02"}
    for _ in range(2):  # the second answer is the kept rate's
        assert f.shows(client.get("/t/acme/rates/convert", query_string=ask, htmx=True), "€2,000.00")
    assert client.post("/t/acme/rates/corporate", {"currency": "VND", "day": "2026-01-01",
                                                   "rate": "30500"}).status_code == 303
    assert f.shows(client.get("/t/acme/rates/convert", query_string=ask, htmx=True), "€1,800.00")
    with app.test_request_context(), tenant_context(world.acme.id):
        tenant = db.session.get(Tenant, world.acme.id)
        one, two = service.book_for(tenant), service.book_for(tenant)
        assert one.convert(Money(61000, "VND"), "EUR", date(2026, 3, 2)).amount == Money("2.00", "EUR")
        # Two books of the same rows sign alike: the second finds the first one's rate.
        assert one.signature() == two.signature() and one.signature() is not None


def test_vnd_without_a_corporate_rate_gets_a_clear_message_not_a_one(app, client, world):
    client.login("admin@acme.example")
    response = client.get("/t/acme/rates/convert", query_string={"amount": "1000", "source": "VND",
                                                                 "target": "EUR"}, htmx=True)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "No exchange rate for VND" in page and "corporate rate" in page
    assert 'value="1000"' in page  # what was typed stays


def test_the_converter_refuses_bad_input_with_422_in_the_readers_language(client, world):
    client.login("coord@acme.example")
    response = client.get("/t/acme/rates/convert", query_string={"amount": "dieci", "source": "XXX",
                                                                 "target": "EUR"}, htmx=True)
    assert response.status_code == 422
    assert f.shows(response, f.translated("“%(text)s” is not an amount Coordina can read. Type it like %(example)s.",
                                          "it") % {"text": "dieci", "example": "1.234,56"})
    assert f.shows(response, f.translated("Choose a currency from the list (an ISO 4217 code such as EUR).", "it"))


def test_an_admin_adds_a_corporate_rate_and_bad_input_is_refused_and_kept(app, client, world):
    client.login("admin@acme.example")
    bad = client.post("/t/acme/rates/corporate", {"currency": "VND", "day": "2026-01-01", "rate": "-5", "note": "Q1 budget"})
    assert bad.status_code == 422
    assert "Enter a rate above 0" in bad.get_data(as_text=True) and 'value="Q1 budget"' in bad.get_data(as_text=True)
    base = client.post("/t/acme/rates/corporate", {"currency": "EUR", "day": "2026-01-01", "rate": "1"})
    assert base.status_code == 422
    ok = client.post("/t/acme/rates/corporate", {"currency": "VND", "day": "2026-01-01", "rate": "27450", "note": "Q1"})
    assert ok.status_code == 303
    again = client.post("/t/acme/rates/corporate", {"currency": "VND", "day": "2026-01-01", "rate": "27500"})
    assert again.status_code == 303  # the same day is replaced, not doubled
    with app.app_context(), tenant_context(world.acme.id):
        rows = db.session.scalars(select(CorporateRate)).all()
        assert [(r.currency, r.rate) for r in rows] == [("VND", Decimal("27500"))]
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "rates.corporate_set")) == 2
    page = client.get("/t/acme/rates/corporate").get_data(as_text=True)
    assert "27,500" in page


def test_only_admins_change_corporate_rates(client, world):
    client.login("coord@acme.example")
    assert client.get("/t/acme/rates/corporate").status_code == 200
    assert client.post("/t/acme/rates/corporate", {"currency": "VND", "day": "2026-01-01", "rate": "1"}).status_code == 403


def test_csv_import_keeps_good_lines_and_reports_bad_ones_by_number(app, client, world):
    client.login("admin@acme.example")
    csv = ("currency;date;rate\n"
           "VND;2026-01-01;27450\n"
           "AED;2026-01-01;4,05\n"
           "XYZ;2026-01-01;1\n"
           "SAR;01/02/2026;4.1\n"
           "SAR;2026-02-01;-4\n"
           "EUR;2026-01-01;1\n")
    response = client.post("/t/acme/rates/corporate/import",
                           {"file": (io.BytesIO(csv.encode()), "rates.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 added, 0 updated, 4 refused." in page
    for line in (4, 5, 6, 7):
        assert f"Line {line}:" in page
    with app.app_context(), tenant_context(world.acme.id):
        assert {(r.currency, r.rate) for r in db.session.scalars(select(CorporateRate))} == {
            ("VND", Decimal("27450")), ("AED", Decimal("4.05"))}
    again = client.post("/t/acme/rates/corporate/import",
                        {"file": (io.BytesIO(csv.encode()), "rates.csv")}, content_type="multipart/form-data")
    assert "0 added, 2 updated" in again.get_data(as_text=True)


def test_a_file_without_the_right_columns_is_refused(client, world):
    client.login("admin@acme.example")
    response = client.post("/t/acme/rates/corporate/import",
                           {"file": (io.BytesIO(b"code,when,value\nVND,2026-01-01,1\n"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "currency, date and rate" in response.get_data(as_text=True)


def test_the_rates_page_lists_todays_rates_and_draws_the_history(app, client, world):
    _vnd_rate(app, world)
    client.login("admin@acme.example")
    page = client.get("/t/acme/rates").get_data(as_text=True)
    assert "USD" in page and "1.1172" in page  # the ECB's last figure in the bundled file
    assert "27,450" in page  # the corporate VND rate
    assert "Oct 30, 2026" in page
    assert '<svg viewBox="0 0 760 300" role="img"' in page
    assert '<path class="series" d="M' in page
    chart = client.get("/t/acme/rates", query_string={"source": "EUR", "target": "JPY", "period": "5y"}, htmx=True)
    html = chart.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="rate-chart"')  # only the chart, for the swap
    assert "1 EUR in JPY" in html
    assert "HX-Request" in chart.headers["Vary"]


@pytest.mark.parametrize("language, month", [("it", "ott 26"), ("vi", "thg 10 26")])
def test_the_rates_page_in_italian_and_vietnamese(client, world, language, month):
    client.login("admin@acme.example")
    client.post("/language", {"locale": language, "next": "/"})
    page = client.get("/t/acme/rates", query_string={"source": "EUR", "target": "USD", "period": "1y"})
    assert f.shows(page, f.translated("Exchange rates", language))
    assert f.shows(page, f.translated("History of a pair", language))
    assert f.shows(page, month)  # axis labels in the reader's language
    corporate = client.get("/t/acme/rates/corporate")
    assert f.shows(corporate, f.translated("Import from CSV", language))


def test_a_pair_without_data_says_so(client, world):
    client.login("admin@acme.example")
    chart = client.get("/t/acme/rates", query_string={"source": "EUR", "target": "VND", "period": "1y"}, htmx=True)
    assert "There are no rates for this pair in this period." in chart.get_data(as_text=True)


def test_admins_choose_base_currency_and_sources_and_it_is_audited(app, client, world):
    client.login("admin@acme.example")
    bad = client.post("/t/acme/settings", {"name": "Acme Media", "base_currency": "ZZZ", "default_locale": "en",
                                            "timezone": "Europe/Rome", "fx_use_ecb": "y"})
    assert bad.status_code == 422 and 'value="Acme Media"' in bad.get_data(as_text=True)
    ok = client.post("/t/acme/settings", {"name": "Acme Media Group", "base_currency": "USD", "default_locale": "it",
                                           "timezone": "Europe/Rome", "fx_use_ecb": "y"})
    assert ok.status_code == 303
    with app.app_context():
        tenant = db.session.get(Tenant, world.acme.id)
        assert (tenant.name, tenant.base_currency, tenant.default_locale) == ("Acme Media Group", "USD", "it")
        with tenant_context(world.acme.id):
            event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "settings.updated")).one()
        assert event.details["base_currency"] == ["EUR", "USD"]
    rep = client.__class__(app)
    rep.login("rep@acme.example")
    assert rep.get("/t/acme/settings").status_code == 403


def test_without_the_ecb_only_corporate_rates_answer(app, client, world):
    _vnd_rate(app, world)
    with app.app_context():
        db.session.get(Tenant, world.acme.id).fx_use_ecb = False
        db.session.commit()
    client.login("admin@acme.example")
    usd = client.get("/t/acme/rates/convert", query_string={"amount": "10", "source": "USD", "target": "EUR"}, htmx=True)
    assert usd.status_code == 422
    vnd = client.get("/t/acme/rates/convert", query_string={"amount": "27450", "source": "VND", "target": "EUR"}, htmx=True)
    assert vnd.status_code == 200


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers: the worst a live provider can do."""
    with servers.silent_server() as port:
        yield f"http://127.0.0.1:{port}/api/"


def test_an_unreachable_live_provider_fails_fast_with_a_message_and_the_others_still_answer(app, client, world, silent_server):
    app.config.update(FX_LIVE_ENABLED=True, FX_LIVE_TIMEOUT=0.5, FX_LIVE_URL=silent_server)
    with app.app_context():
        db.session.get(Tenant, world.acme.id).fx_use_live = True
        db.session.commit()
    client.login("admin@acme.example")
    started = time.monotonic()
    vnd = client.get("/t/acme/rates/convert", query_string={"amount": "1000", "source": "VND", "target": "EUR"}, htmx=True)
    elapsed = time.monotonic() - started
    assert vnd.status_code == 422
    assert "live rate provider could not be reached" in vnd.get_data(as_text=True)
    assert elapsed < 5, "a silent provider must not hold the page"
    usd = client.get("/t/acme/rates/convert", query_string={"amount": "10", "source": "USD", "target": "EUR",
                                                            "on": "2026-10-30"}, htmx=True)
    assert usd.status_code == 200 and "ECB" in usd.get_data(as_text=True)


# --- the command line ---------------------------------------------------------------------------------


def test_cli_convert_prints_amount_rate_date_and_source(app):
    from flask.cli import ScriptInfo

    from web.cli import cli

    result = CliRunner().invoke(cli, ["rates", "convert", "100", "USD", "JPY", "--on", "2026-10-31"],
                                obj=ScriptInfo(create_app=lambda: app), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "15725 JPY"
    assert lines[1].startswith("rate: 157.250")
    assert lines[2] == "rate date: 2026-10-30"
    assert lines[3] == "source: ecb"


def test_cli_convert_vnd_needs_a_corporate_rate_and_exits_non_zero_without(app, world):
    from flask.cli import ScriptInfo

    from web.cli import cli

    info = ScriptInfo(create_app=lambda: app)
    missing = CliRunner().invoke(cli, ["rates", "convert", "27450000", "VND", "EUR", "--tenant", "acme"], obj=info)
    assert missing.exit_code != 0
    assert "no exchange rate for VND" in missing.output and "corporate rate" in missing.output
    _vnd_rate(app, world)
    found = CliRunner().invoke(cli, ["rates", "convert", "27450000", "VND", "EUR", "--tenant", "acme",
                                     "--on", "2026-02-01"], obj=info)
    assert found.exit_code == 0, found.output
    assert found.output.splitlines()[0] == "1000.00 EUR"
    assert "source: corporate" in found.output
    bad = CliRunner().invoke(cli, ["rates", "convert", "ten", "USD", "EUR"], obj=info)
    assert bad.exit_code == 2


@pytest.fixture
def newer_ecb_file(tmp_path, app):
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text("Date,USD,JPY,\n2026-11-20,1.1200,176.10,\n2026-11-19,1.1190,N/A,\n2026-10-30,1.1172,175.68,\n")
    yield path
    with app.app_context():
        db.session.execute(delete(EcbRate).where(EcbRate.day > date(2026, 10, 30)))
        db.session.execute(delete(EcbLoad).where(EcbLoad.origin.like("file:%")))
        db.session.commit()
        service.forget_cached_rates()


def test_cli_refresh_loads_a_newer_file_once(app, newer_ecb_file):
    from flask.cli import ScriptInfo

    from web.cli import cli

    info = ScriptInfo(create_app=lambda: app)
    first = CliRunner().invoke(cli, ["rates", "refresh", "--file", str(newer_ecb_file)], obj=info)
    assert first.exit_code == 0, first.output
    assert "added 3 rates; latest 2026-11-20" in first.output
    second = CliRunner().invoke(cli, ["rates", "refresh", "--file", str(newer_ecb_file)], obj=info)
    assert "added 0 rates" in second.output
    with app.test_request_context():
        conversion = service.book_for(None).convert(Money(100, "USD"), "EUR", date(2026, 11, 21))
    assert conversion.rate_date == date(2026, 11, 20)


def test_cli_refresh_offline_fails_fast_with_a_clear_message(app, silent_server):
    from flask.cli import ScriptInfo

    from web.cli import cli

    started = time.monotonic()
    result = CliRunner().invoke(cli, ["rates", "refresh", "--url", silent_server + "x.zip", "--timeout", "0.5"],
                                obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code != 0
    assert "could not download" in result.output
    assert time.monotonic() - started < 5


def test_a_missing_rate_never_becomes_one(app):
    with app.test_request_context(), pytest.raises(RateUnavailable):
        service.book_for(None).convert(Money(1, "AED"), "EUR", date(2026, 1, 1))
