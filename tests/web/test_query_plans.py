"""Every query a main page runs has an index behind it (issue 15): no full scan of a tenant table.

The pages are walked as a coordinator (who sees everything) over a few thousand contracts, deliverables and
leads; each statement they ran is then explained. On SQLite a plan line "SCAN <tenant table>" is a read of the
whole table (or of a whole index) where a SEARCH on the tenant's key range was possible. On PostgreSQL the
question is asked with sequential scans priced out (enable_seqscan off): a Seq Scan still chosen means no index
can serve the query at all. On SQLite a skip-scan ("ANY(tenant_id)") counts as a scan too: it probes the index once
for every tenant of the database.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import event, insert, select, text

from tenants.db import db, refresh_statistics
from tenants.scoping import tenant_context, tenant_tables
from web.accounts.models import Account
from web.contracts.models import Contract
from web.deliverables.models import Deliverable, DeliverableKind
from web.leads.models import Lead

from .. import factories as f

# Main pages and fragments, as the coordinator opens them ({c}: a contract, {l}: a lead, {a}: an account).
PAGES = [
    "/t/acme/", "/t/acme/contracts", "/t/acme/contracts?q=bulk+7", "/t/acme/contracts?status=active&country=US",
    "/t/acme/contracts/{c}", "/t/acme/contracts/total", "/t/acme/deliverables", "/t/acme/renewals",
    "/t/acme/renewals?view=month", "/t/acme/billing", "/t/acme/accounts", "/t/acme/accounts?q=harbor",
    "/t/acme/accounts/{a}", "/t/acme/leads", "/t/acme/leads?q=bulk+7", "/t/acme/leads?status=qualified",
    "/t/acme/leads/board", "/t/acme/leads/{l}", "/t/acme/activities", "/t/acme/leads/bonuses",
]


def _build(app, world, cf, size=3000):
    """Tables of a few thousand rows, so the planner judges them as it would a real tenant's (at a few hundred,
    reading a whole small table can be its honest best choice)."""
    account_id = cf.account(world.acme)
    cf.many_contracts(world.acme, account_id, world.rep, world.coordinator, size, start=date.today() - timedelta(days=60))
    contract_id = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator)
    statuses = ["new", "researching", "qualified", "handed_off", "converted", "disqualified"]
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(insert(Account), [
            dict(tenant_id=world.acme.id, name=f"Account {i}", name_key=f"account {i}", country="IT", currency="EUR",
                 version=1) for i in range(size // 3)])
        kind_id = db.session.scalar(select(DeliverableKind.id).order_by(DeliverableKind.id))
        contract_ids = db.session.scalars(select(Contract.id)).all()
        db.session.execute(insert(Deliverable), [
            dict(tenant_id=world.acme.id, contract_id=contract_ids[i % len(contract_ids)], kind_id=kind_id,
                 details=f"Placement {i}", due_on=date.today() + timedelta(days=i % 90 - 30),
                 status="planned" if i % 3 else "done", version=1) for i in range(size)])
        db.session.execute(insert(Lead), [
            dict(tenant_id=world.acme.id, company=f"Bulk {i}", company_key=f"bulk {i}", status=statuses[i % 6],
                 owner_id=world.rep.id, value_amount=100 + i, value_currency="EUR", source="cold_research", version=1)
            for i in range(size)])
        db.session.commit()
        lead_id = db.session.scalar(select(Lead.id).order_by(Lead.id))
    return {"c": contract_id, "l": lead_id, "a": account_id}


def test_no_page_reads_a_whole_tenant_table(app, client, world, cf):
    ids = _build(app, world, cf)
    client.login("coord@acme.example")
    with app.app_context():
        engine = db.engine
        tables = {t.name for t in tenant_tables()}
    seen: list[tuple[str, str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            seen.append((current[0], statement, parameters))

    current = [""]
    event.listen(engine, "before_cursor_execute", record)
    try:
        for page in PAGES:
            current[0] = page.format(**ids)
            response = client.get(current[0])
            assert response.status_code == 200, (current[0], response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", record)

    scans = []
    with app.app_context(), engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("SET enable_seqscan = off"))
        else:
            # Statistics as `coordina tick` keeps them, on this very connection: a pooled connection keeps the
            # statistics it loaded when it opened, whatever another connection's ANALYZE wrote since.
            refresh_statistics(conn)
        for page, statement, parameters in seen:
            plan = _plan(conn, statement, parameters)
            if postgres:
                full = [m.group(1) for line in plan if (m := re.search(r"Seq Scan on (\w+)", line))]
            else:
                full = [m.group(1) for line in plan if (m := re.match(r"SCAN (\w+)", line))]
                # A skip-scan, "ANY(tenant_id)": the index is probed once for every tenant of the database, where the
                # row's own key (or the tenant's range) finds it in one (approximate statistics lead SQLite there).
                full += [m.group(1) for line in plan if (m := re.match(r"SEARCH (\w+) .*ANY\(tenant_id\)", line))]
            for table in full:
                if table in tables:
                    sql = " ".join(statement.split())[:1500]
                    scans.append(f"{page}: {table}\n  {sql}\n  " + "\n  ".join(plan))
        if postgres:
            conn.execute(text("RESET enable_seqscan"))
    assert len(seen) > len(PAGES), "the pages ran no query: the listener saw nothing"
    assert not scans, "full scans of tenant tables:\n" + "\n".join(scans)


def _contracts_plan_problems(conn, statement, parameters, key: str) -> list[str]:
    """How a statement reads contracts other than through `key`'s index entries (an account's, a partner's): on
    SQLite a plan line on contracts without `key` in its index search, or a sort of the contracts read; on
    PostgreSQL (sequential scans priced out) a contracts node whose index condition does not name `key`, or a sort
    above one."""
    import json

    problems = []
    if conn.dialect.name == "postgresql":
        plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
        plan = plan if isinstance(plan, list) else json.loads(plan)

        def walk(node, under_sort=False):
            if node.get("Relation Name") == "contracts":
                cond = node.get("Index Cond", "") + node.get("Recheck Cond", "")
                by_key = key in cond or key.removesuffix("_id") in node.get("Index Name", "")
                if not by_key and "(id =" not in cond:
                    problems.append(f"{node['Node Type']} on contracts: {cond or 'no index condition'}")
                elif under_sort and key == "account_id":
                    problems.append("the account's contracts sorted")
            for child in node.get("Plans", []):
                walk(child, under_sort or node["Node Type"] in ("Sort", "Incremental Sort", "Unique"))

        walk(plan[0]["Plan"])
        return problems
    lines = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    for line in lines:
        # "key>?": the partner index's range, which holds credited contracts only (partial).
        if re.match(r"(SCAN|SEARCH) contracts\b", line) and not re.search(rf"{key}[=>]\?|rowid=\?", line):
            problems.append(line)
    if statement.lstrip().startswith("SELECT contracts.") and any("TEMP B-TREE FOR ORDER BY" in x for x in lines):
        problems.append("the contracts read sorted: " + " / ".join(lines))
    return problems


def _selects_of(app, client, pages: list[str], naming: str = "") -> list[tuple[str, str, object]]:
    """The SELECTs (those naming `naming`, if given) that `pages` ran, each page asked for once (200 expected)."""
    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, str, object]] = []
    current = [""]

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and naming in statement and not executemany:
            seen.append((current[0], statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        for page in pages:
            current[0] = page
            assert client.get(page).status_code == 200, page
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert {page for page, *_ in seen} == set(pages), f"a page ran no SELECT naming {naming!r}: the listener saw nothing"
    return seen


def _problems(app, seen, check) -> list[str]:
    """check(conn, statement, parameters) of each statement seen, with statistics as a deployment keeps them (and
    sequential scans priced out on PostgreSQL)."""
    problems = []
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            _analyze_as_owner()
            conn.execute(text("SET enable_seqscan = off"))
        else:
            refresh_statistics(conn)
        for page, statement, parameters in seen:
            problems += [f"{page}: {p}\n  {' '.join(statement.split())[:600]}" for p in check(conn, statement, parameters)]
    return problems


def test_an_accounts_page_reads_that_accounts_contracts_whatever_the_workspace_holds(app, client, world, cf):
    """An account's page lists its latest contracts and says whether one of their reps is away. In a workspace where
    one account holds nearly every contract, SQLite's statistics (an average per account) once sent both reads
    through the whole workspace for an account of one contract: 59 ms at 100,000 contracts, against 4 ms for the
    same page at 1,000; PostgreSQL sorted every contract of the large account. Each read now takes the account's
    own index entries, in order, for the large account and the small one alike."""
    from web.cover.models import Away

    ids = _build(app, world, cf)  # the rep owns 3,000 contracts of one account
    with app.app_context():
        other_rep = f.person(world.acme, "seller@acme.example", "rep")
    small = cf.account(world.acme, name="Small Shop")
    cf.contract(world.acme, small, other_rep)
    with app.app_context(), tenant_context(world.acme.id):
        # The large account's rep is away: "does the away rep own one of this account's contracts?"
        db.session.add(Away(user_id=world.rep.id, cover_id=world.coordinator.id, starts_on=date.today(),
                            ends_on=date.today() + timedelta(days=3)))
        db.session.commit()
    client.login("coord@acme.example")
    assert "Small Shop" in client.get(f"/t/acme/accounts/{small}").get_data(as_text=True)
    seen = _selects_of(app, client, [f"/t/acme/accounts/{small}", f"/t/acme/accounts/{ids['a']}"], " contracts")
    problems = _problems(app, seen, lambda conn, *statement: _contracts_plan_problems(conn, *statement, "account_id"))
    assert not problems, "\n".join(problems)


def test_the_partner_results_read_the_credited_contracts_only(app, client, world, cf):
    """The partner results add up the contracts credited to partners. Most of a workspace's contracts are its own:
    counted in the partner index as NULLs, they made each partner look like a tenth of the workspace, and the page
    read every signed contract (64 ms at 100,000). The index holds the credited contracts only (migration 0023)."""
    from .distributor_helpers import partners

    _build(app, world, cf)  # 3,000 contracts, the company's own
    p = partners(app, world)  # two partners, nothing credited to them yet
    client.login("coord@acme.example")
    page = client.get("/t/acme/distributors/results").get_data(as_text=True)
    assert "Lotus Trading" in page or p.gold.name in page
    seen = _selects_of(app, client, ["/t/acme/distributors/results"], " contracts")
    problems = _problems(app, seen, lambda conn, *statement: _contracts_plan_problems(conn, *statement, "distributor_id"))
    assert not problems, "\n".join(problems)


def _analyze_as_owner() -> None:
    from sqlalchemy import create_engine

    from ..conftest import PG_ADMIN_URL, _sqlalchemy_url

    owner = create_engine(_sqlalchemy_url(PG_ADMIN_URL))
    try:
        with owner.begin() as conn:
            conn.exec_driver_sql("ANALYZE contracts, accounts, cover_periods, distributors, leads, search_grams, "
                                 "deliverables, account_first_signatures, contract_signed_rollups, "
                                 "contract_month_rollups, contract_rollups")
    finally:
        owner.dispose()


def _plan(conn, statement, parameters) -> list[str]:
    """The statement's plan, a line a step: PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY PLAN."""
    if conn.dialect.name == "postgresql":
        return [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters)]
    return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]


def _tenant_wide_reads(conn, statement, parameters, tables: set[str]) -> list[str]:
    """Plan steps that read one of `tables` over the whole workspace: on SQLite a SCAN, or a SEARCH whose only key is
    the tenant; on PostgreSQL (sequential scans priced out) a Seq Scan, as the walk of every page above asks. (At a
    few thousand rows PostgreSQL may walk a table's primary key backwards and merge it with the few ids found, its
    cheapest plan at that size, where its statistics see every value's share; SQLite's averages are the ones that
    sent it through every row at 100,000.)"""
    lines = _plan(conn, statement, parameters)
    if conn.dialect.name == "postgresql":
        return [line.strip() for line in lines
                if (m := re.search(r"Seq Scan on (\w+)", line)) and m.group(1) in tables]
    return [line for line in lines if (m := re.match(r"(SCAN|SEARCH) (\w+)\b(.*)", line)) and m.group(2) in tables
            and (m.group(1) == "SCAN" or re.search(r"\(tenant_id=\?\)$", m.group(3)))]


def test_a_registrations_conflict_check_reads_indexes_not_the_workspace(app, client, world, cf):
    """The conflict check looks for the customer among the accounts, leads and open contracts. "The customer's name
    starts with this one" (LIKE name || '%') can use no index, and an OR of the ways to match let SQLite walk every
    lead and contract by id: 70 ms at 100,000. Each way is now read from its index (tenants.search for the names)."""
    from decimal import Decimal

    from i18n.money import Money
    from tenants.scoping import partner_context
    from web.distributors import registrations as regs

    from .distributor_helpers import partners

    _build(app, world, cf)
    p = partners(app, world)
    with app.app_context(), tenant_context(world.acme.id), partner_context(p.lotus.id):
        reg_id = regs.register(p.lotus, regs.RegistrationData(
            company="Bulk 77 Trading", country="VN", value=Money(Decimal(1000), "VND"), website="bulk77.example",
            contact_name="Nam", contact_email="nam@bulk77.example"), actor_id=None).id
    client.login("coord@acme.example")
    page = f"/t/acme/distributors/registrations/{reg_id}"
    assert "Bulk 77" in client.get(page).get_data(as_text=True)  # the lead of that name is found
    tables = {"leads", "accounts", "contracts"}
    problems = _problems(app, _selects_of(app, client, [page]),
                         lambda conn, *statement: _tenant_wide_reads(conn, *statement, tables))
    assert not problems, "\n".join(problems)


def test_the_team_reports_read_the_periods_conversions_not_every_lead(app, client, world, cf):
    """The team report counts each rep's conversions in the period shown. Without an index on the conversion time it
    read every lead of the workspace; the conversions of the period are now a range of their own index."""
    from datetime import datetime, timezone

    from sqlalchemy import update

    _build(app, world, cf)  # 3,000 leads
    with app.app_context(), tenant_context(world.acme.id):
        first = db.session.scalars(select(Lead.id).order_by(Lead.id).limit(3)).all()
        db.session.execute(update(Lead).where(Lead.id.in_(first))
                           .values(status="converted", converted_at=datetime.now(timezone.utc)))
        db.session.commit()
    client.login("owner@acme.example")
    seen = _selects_of(app, client, ["/t/acme/reports"], " leads")
    assert any("converted_at" in statement for _page, statement, _ in seen), "the report counted no conversions"
    problems = _problems(app, seen, lambda conn, *statement: _tenant_wide_reads(conn, *statement, {"leads"}))
    assert not problems, "\n".join(problems)


# The tables that grow with the workspace (lead_rollups and lead_coordinator_rollups hold a few rows per person and
# status, whatever the number of leads: reading one whole is the planner's honest choice).
REPORT_TABLES = {"contracts", "leads", "deliverables", "contract_rollups", "contract_month_rollups",
                 "contract_signed_rollups", "account_first_signatures"}


def test_the_reports_read_rollups_and_ranges_not_the_workspace(app, client, world, cf):
    """The forecast, the team report and the compiled report once summed every open lead and contract, every
    signature of the period and every renewal at risk (forecast 181 ms, compiled report 248 ms at 100,000 rows
    against 10 and 25 at 1,000). They read rollups the database keeps (migration 0025) and index ranges: no read of
    a whole workspace's table; the renewals at risk are counted by their notice deadline, the overdue work among
    the open deliverables."""
    from sqlalchemy import update

    _build(app, world, cf)
    with app.app_context(), tenant_context(world.acme.id):
        # Each of the thousand other accounts signed once, over two years: their first signatures.
        accounts = db.session.scalars(select(Account.id).where(Account.name.like("Account %"))).all()
        today = date.today()
        db.session.execute(insert(Contract), [
            dict(tenant_id=world.acme.id, number=f"F-{n}", account_id=account_id, owner_id=world.rep.id,
                 title=f"First {n}", status="active", signed_on=today - timedelta(days=n % 730),
                 starts_on=today - timedelta(days=n % 730), ends_on=today + timedelta(days=400), value_amount=100,
                 value_currency="EUR", auto_renew=False, notice_days=30, version=1)
            for n, account_id in enumerate(accounts)])
        # Few renewals at risk among thousands running: the case where reading by end date would walk them all.
        db.session.execute(update(Contract).where(Contract.title.like("Bulk %"), Contract.id % 500 != 0)
                           .values(ends_on=today + timedelta(days=500)))
        db.session.commit()
    client.login("owner@acme.example")
    pages = ["/t/acme/reports", "/t/acme/reports/forecast", "/t/acme/reports/compiled"]
    seen = _selects_of(app, client, pages)
    problems = _problems(app, seen, lambda conn, *statement: _tenant_wide_reads(conn, *statement, REPORT_TABLES))

    counts = [(page, statement, parameters) for page, statement, parameters in seen
              if re.match(r"\s*SELECT (/\* custom plan \*/ )?count\(\*\)", statement)
              and ("notice_d" in statement or "deliverables" in statement)]
    assert len(counts) == 2, "the compiled report counted no renewals at risk or no overdue work"
    # The deadline bounds the range read (a key of the index, not a filter of what it read): SQLite's plan names the
    # expression as a key, PostgreSQL's index condition the stored deadline.
    by_deadline = re.compile(r"ix_contracts_deadline \(.*<expr><|Index Cond: .*notice_deadline <=")

    def counted_by_their_index(conn, statement, parameters) -> list[str]:
        plan = _plan(conn, statement, parameters)
        if "notice_d" in statement:
            wanted, found = "the deadline's index", any(by_deadline.search(line) for line in plan)
        else:
            wanted, found = "ix_deliverables_open", any("ix_deliverables_open" in line for line in plan)
        return [] if found else [f"counted without {wanted}: {plan}"]

    problems += _problems(app, counts, counted_by_their_index)
    assert not problems, "\n".join(problems)
