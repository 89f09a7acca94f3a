"""CSV import of leads as a job: read the upload once, map, preview, then import a chunk per request so
thousands of rows need no background worker; refused rows and flagged duplicates are kept to settle."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import islice

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from tenants import audit
from tenants.db import db, utcnow
from tenants.members import members_with_roles
from tenants.models import STAFF, Tenant
from tenants.pager import Keyset, Page
from tenants.scoping import require_tenant_id

from ..accounts.models import Account
from ..leads import service as leads
from ..leads.models import Lead, LeadTag, Status
from .formats import IDENTITY_FIELDS, SAMPLE_ROWS, detect_format, guess_mapping
from .models import ImportIssue, ImportJob, ImportStatus
from .reading import (
    MAX_ROWS,
    UnreadableFile,
    data_rows,
    data_start,
    decode,
    find_header,
    next_position,
    read_rows,
    rows_from,
    sniff_delimiter,
    table_rows,
)
from .values import Context, Row, _pick, clean_row, detect_date_order, lead_data, problem_text

CHUNK = 500
PREVIEW_ROWS = 10


# --- jobs -----------------------------------------------------------------------------------------------


def _owners(tenant: Tenant) -> dict[str, int]:
    """Members by lower-case name and email, so an export's owner column finds the same person here."""
    index: dict[str, int] = {}
    for membership in members_with_roles(tenant.id, STAFF):
        index[membership.user.name.lower()] = membership.user_id
        index[membership.user.email.lower()] = membership.user_id
    return index


def context(job: ImportJob, tenant: Tenant) -> Context:
    return Context(mapping={k: list(v) for k, v in (job.mapping or {}).items()}, width=len(job.headers),
                   base_currency=tenant.base_currency, timezone=tenant.timezone, date_order=job.date_order,
                   owners=_owners(tenant), default_owner=job.owner_id)


def _date_order(mapping: dict[str, list[int]], rows) -> str:
    columns = (mapping or {}).get("created") or []
    if not columns:
        return "dmy"
    return detect_date_order(_pick(cells, columns) for _line, cells in rows)


def create_job(tenant: Tenant, filename: str, data: bytes, *, owner_id: int | None, actor_id: int | None) -> ImportJob:
    """Read an upload, find its header and format, and keep it as a job to map, preview and run. Commits."""
    text, encoding = decode(data)
    if not text.strip():
        raise UnreadableFile(_l("The file is empty."))
    delimiter = sniff_delimiter(text)
    rows = read_rows(text, delimiter)
    header = find_header(rows)
    headers = [h.strip() for h in rows[header][1]] if rows else []
    if len(headers) < 2:
        raise UnreadableFile(_l("No columns found. The first line must name the columns, separated by commas or semicolons."))
    table = table_rows(rows, header)
    if not table:
        raise UnreadableFile(_l("The file has a header but no rows of data."))
    if len(table) > MAX_ROWS:
        raise UnreadableFile(_l("The file has more than %(num)d rows. Split it into smaller files.", num=MAX_ROWS))
    start = data_start(text, delimiter, header)
    job = ImportJob(filename=(filename or "leads.csv")[:200], raw=text, encoding=encoding, delimiter=delimiter,
                    header_line=header, headers=headers, owner_id=owner_id, created_by_id=actor_id, total=len(table),
                    read_offset=start.offset, read_line=start.line)
    samples = [cells for _line, cells in table[:SAMPLE_ROWS]]
    job.format, job.mapping = detect_format(headers, samples)
    if job.format is None:
        job.mapping = guess_mapping(headers, samples)
        job.status = ImportStatus.mapping.value
    else:
        job.status = ImportStatus.ready.value
    job.date_order = _date_order(job.mapping, table)
    db.session.add(job)
    db.session.commit()
    return job


def set_mapping(job: ImportJob, mapping: dict[str, list[int]]) -> None:
    """Keep the columns a person chose; the job is ready to preview. Commits."""
    job.mapping = {k: v for k, v in mapping.items() if v}
    job.date_order = _date_order(job.mapping, data_rows(job))
    job.status = ImportStatus.ready.value
    db.session.commit()


def mapping_is_usable(mapping: dict[str, list[int]]) -> bool:
    return any(mapping.get(f) for f in IDENTITY_FIELDS)


def jobs(limit: int = 20) -> list[ImportJob]:
    from sqlalchemy.orm import defer, joinedload

    # The file itself stays in the database; a list of jobs never needs it.
    return list(db.session.scalars(select(ImportJob).options(joinedload(ImportJob.created_by), defer(ImportJob.raw))
                                   .order_by(ImportJob.id.desc()).limit(limit)))


def get_job(job_id: int) -> ImportJob | None:
    return db.session.get(ImportJob, job_id)


# --- duplicates of a batch of rows ------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str  # lead, account, or row (an earlier row of this chunk, by its index)
    id: int
    reason: str


def _keys(values: dict) -> dict[str, str | None]:
    return leads.keys_of(values.get("company"), values.get("email"), values.get("website"), values.get("phone"))


def find_hits(rows: list[Row]) -> list[Hit | None]:
    """For each good row: the existing lead or account it repeats, or an earlier row of the batch (two queries)."""
    keys = [_keys(r.values) if not r.problems else {} for r in rows]
    wanted = {k: {key[k] for key in keys if key.get(k)} for k in ("company_key", "domain", "phone_key")}
    known: dict[tuple[str, str], Hit] = {}
    lead_conditions = [getattr(Lead, k).in_(sorted(v)) for k, v in wanted.items() if v]
    if lead_conditions:
        for lead_id, company_key, domain, phone_key in db.session.execute(
                select(Lead.id, Lead.company_key, Lead.domain, Lead.phone_key).where(or_(*lead_conditions))
                .order_by(Lead.id)):
            for k, value in (("company_key", company_key), ("domain", domain), ("phone_key", phone_key)):
                if value and value in wanted[k]:
                    known.setdefault((k, value), Hit("lead", lead_id, k))
        columns = {"company_key": Account.name_key, "domain": Account.domain, "phone_key": Account.phone_key}
        for account_id, name_key, domain, phone_key in db.session.execute(
                select(Account.id, Account.name_key, Account.domain, Account.phone_key)
                .where(or_(*[columns[k].in_(sorted(v)) for k, v in wanted.items() if v])).order_by(Account.id)):
            for k, value in (("company_key", name_key), ("domain", domain), ("phone_key", phone_key)):
                if value and value in wanted[k]:
                    known.setdefault((k, value), Hit("account", account_id, k))
    hits: list[Hit | None] = []
    for index, key in enumerate(keys):
        hit = None
        for k in ("company_key", "domain", "phone_key"):
            if key.get(k) and (k, key[k]) in known:
                hit = known[(k, key[k])]
                break
        hits.append(hit)
        if hit is None and key:
            for k in ("company_key", "domain", "phone_key"):
                if key.get(k):
                    known.setdefault((k, key[k]), Hit("row", index, k))
    return hits


# --- preview and the run -------------------------------------------------------------------------------------


def preview(job: ImportJob, tenant: Tenant, n: int = PREVIEW_ROWS) -> list[tuple[Row, Hit | None]]:
    ctx = context(job, tenant)
    rows = [clean_row(line, cells, ctx, job.headers) for line, cells in islice(data_rows(job), n)]
    return list(zip(rows, find_hits(rows)))


def start(job: ImportJob) -> None:
    if job.status == ImportStatus.ready.value:
        job.status, job.started_at = ImportStatus.running.value, utcnow()
    db.session.commit()


def step(job: ImportJob, tenant: Tenant, *, chunk: int = CHUNK) -> bool:
    """Import the next chunk of rows if nobody else has taken it; True when this call did some work. Commits."""
    begin = job.processed
    if job.status != ImportStatus.running.value or begin >= job.total:
        return False
    end = min(begin + chunk, job.total)
    # Read only this chunk, from where the last one stopped; the claim below moves that place on with `processed`,
    # so whoever wins the claim has read exactly the rows it takes.
    at = next_position(job)
    taken, after = rows_from(job, at, end - begin)
    same_place = (ImportJob.read_offset.is_(None) if job.read_offset is None
                  else ImportJob.read_offset == job.read_offset)
    claimed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.processed == begin, same_place,
                                ImportJob.status == ImportStatus.running.value)
        .values(processed=end, read_offset=after.offset, read_line=after.line)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(job)
        return False
    ctx = context(job, tenant)
    rows = [clean_row(line, cells, ctx, job.headers) for line, cells in taken]
    hits = find_hits(rows)
    tenant_id = require_tenant_id()
    now = utcnow()
    new_rows: list[dict] = []
    new_tags: list[list[str]] = []
    made_index: dict[int, int] = {}  # row index -> position in new_rows
    issues: list[dict] = []
    for index, (row, hit) in enumerate(zip(rows, hits)):
        if row.problems:
            issues.append({"tenant_id": tenant_id, "job_id": job.id, "line": row.line, "kind": "error",
                           "problems": [list(p) for p in row.problems], "data": None})
            continue
        if hit is not None:
            issues.append({"tenant_id": tenant_id, "job_id": job.id, "line": row.line, "kind": "duplicate",
                           "problems": [], "data": row.values, "_hit": hit, "match_reason": hit.reason})
            continue
        v = row.values
        keys = _keys(v)
        made_index[index] = len(new_rows)
        new_rows.append({
            "tenant_id": tenant_id, "company": v["company"], "company_key": keys["company_key"],
            "contact_name": v["contact_name"], "contact_title": v["contact_title"], "country": v["country"],
            "language": v["language"], "email": v["email"], "phone": v["phone"], "phone_key": keys["phone_key"],
            "website": v["website"], "domain": keys["domain"], "source": v["source"],
            "value_amount": Decimal(v["value_amount"]) if v["value_amount"] is not None else None,
            "value_currency": v["value_currency"], "status": v["status"], "disqualify_reason": v["disqualify_reason"],
            "notes": v["notes"], "owner_id": v["owner_id"], "created_by_id": job.created_by_id,
            "created_at": datetime.fromisoformat(v["created_at"]) if v["created_at"] else now, "updated_at": now,
            "version": 1,
        })
        new_tags.append(v["tags"])
    ids: list[int] = []
    if new_rows:
        ids = list(db.session.scalars(insert(Lead).returning(Lead.id, sort_by_parameter_order=True), new_rows))
        tags = [{"tenant_id": tenant_id, "lead_id": lead_id, "name": name}
                for lead_id, names in zip(ids, new_tags) for name in names]
        if tags:
            db.session.execute(insert(LeadTag), tags)
    for issue in issues:
        hit = issue.pop("_hit", None)
        issue["match_lead_id"] = issue["match_account_id"] = None
        if hit is not None:
            if hit.kind == "lead":
                issue["match_lead_id"] = hit.id
            elif hit.kind == "account":
                issue["match_account_id"] = hit.id
            else:
                issue["match_lead_id"] = ids[made_index[hit.id]]
    if issues:
        db.session.execute(insert(ImportIssue), issues)
    failed = sum(1 for i in issues if i["kind"] == "error")
    values = {"created": ImportJob.created + len(ids), "failed": ImportJob.failed + failed,
              "duplicates": ImportJob.duplicates + (len(issues) - failed)}
    if end >= job.total:
        values.update(status=ImportStatus.done.value, finished_at=utcnow())
    db.session.execute(update(ImportJob).where(ImportJob.id == job.id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(job)
    if job.status == ImportStatus.done.value and end >= job.total:
        audit.record("leads.imported", actor_id=job.created_by_id, subject_type="lead_import", subject_id=job.id,
                     details={"file": job.filename, "created": job.created, "refused": job.failed,
                              "duplicates": job.duplicates})
        db.session.commit()
    return True


BY_LINE = Keyset(ImportIssue.line, ImportIssue.id)


def issues_page(job: ImportJob, kind: str, *, after: str | None = None, limit: int = 100) -> Page:
    """Refused rows ("error") or flagged duplicates of an import, by line, a keyset page at a time."""
    stmt = select(ImportIssue).where(ImportIssue.job_id == job.id, ImportIssue.kind == kind)
    if kind == "duplicate":
        stmt = stmt.options(joinedload(ImportIssue.match_lead), joinedload(ImportIssue.match_account))
    return BY_LINE.page(stmt, after, limit=limit)


def get_issue(job: ImportJob, issue_id: int) -> ImportIssue | None:
    return db.session.scalar(select(ImportIssue).where(ImportIssue.id == issue_id, ImportIssue.job_id == job.id))


def resolve(issue: ImportIssue, action: str, *, actor_id: int | None) -> Lead | None:
    """Settle a flagged duplicate: create it anyway, merge it into the lead it matches, or skip it. Commits."""
    if issue.kind != "duplicate" or issue.resolution is not None or not issue.data:
        raise leads.LeadError(_l("This row is settled already."))
    data = lead_data(issue.data)
    lead = None
    if action == "create":
        account = db.session.get(Account, issue.match_account_id) if issue.match_account_id and not issue.match_lead_id else None
        lead = leads.create_lead(data, actor_id=actor_id, status=issue.data.get("status") or Status.new.value,
                                   account=account)
        lead.disqualify_reason = issue.data.get("disqualify_reason")
    elif action == "merge" and issue.match_lead_id:
        lead = db.session.scalar(select(Lead).where(Lead.id == issue.match_lead_id)
                                 .options(selectinload(Lead.tags)))
        leads.merge_into(lead, data, actor_id=actor_id, origin=f"import line {issue.line}")
    elif action != "skip":
        raise leads.LeadError(_l("Choose what to do with the row."))
    issue.resolution = {"create": "created", "merge": "merged", "skip": "skipped"}[action]
    db.session.commit()
    return lead


def error_rows(job: ImportJob):
    """The refused rows as they were, with a last cell saying what is wrong: fix them and import again."""
    problems = {i.line: i.problems for i in db.session.scalars(
        select(ImportIssue).where(ImportIssue.job_id == job.id, ImportIssue.kind == "error"))}
    for line, cells in data_rows(job):
        if line in problems:
            yield [*cells, "; ".join(problem_text(code, params) for code, params in problems[line])]
