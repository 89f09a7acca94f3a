"""CSV import of leads: upload, map the columns (known exports map themselves), preview, run a chunk per
poll with a progress bar, and a summary of refused rows and flagged duplicates."""
from __future__ import annotations

from itertools import islice

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.models import STAFF
from tenants.resolve import TenantBlueprint, requires

from ..exports import csv_response
from ..htmx import hx_redirect, render, wants_fragment
from ..leads.routes import people
from ..leads.service import TEES_UP, LeadError
from . import service
from .formats import FIELD_LABELS, FORMATS, IMPORT_FIELDS
from .forms import ImportForm
from .models import ImportStatus
from .reading import UnreadableFile, data_rows

bp = TenantBlueprint("imports", __name__, segment="/leads/imports", roles=STAFF)


def _job_or_404(import_id: int):
    job = service.get_job(import_id)
    if job is None:
        abort(404)
    return job


def _index_context(form=None, error=None) -> dict:
    return {"jobs": service.jobs(), "form": form or ImportForm(formdata=None, people=people(),
                                                              owner_id=str(current_user().id)),
            "error": error, "formats": [spec["label"] for spec in FORMATS.values()]}


@bp.route("")
@requires(*TEES_UP)
def index():
    """Past imports and the upload form."""
    return render("imports/index.html", "imports/_upload.html", **_index_context())


@bp.route("", methods=["POST"])
@requires(*TEES_UP)
def create():
    """Read the upload: a known CRM export goes straight to the preview, anything else to the column mapping."""
    form = ImportForm(people=people())
    if not form.validate_on_submit():
        return render("imports/index.html", "imports/_upload.html", status=422, **_index_context(form))
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    try:
        data = form.file.data.read(limit + 1)
    finally:
        form.file.data.close()  # a large upload is a temporary file: give it back now
    try:
        if len(data) > limit:
            raise UnreadableFile(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
        job = service.create_job(g.tenant, form.file.data.filename, data,
                                  owner_id=form.owner_id.data,
                                  actor_id=current_user().id)
    except UnreadableFile as exc:
        form.file.errors.append(str(exc))
        return render("imports/index.html", "imports/_upload.html", status=422, **_index_context(form))
    if job.status == ImportStatus.mapping.value:
        return redirect(url_for("imports.mapping", import_id=job.id), 303)
    return redirect(url_for("imports.show", import_id=job.id), 303)


def _samples(job, n: int = 3) -> list[list[str]]:
    return [cells for _line, cells in islice(data_rows(job), n)]


def _mapping_context(job, chosen=None, error=None) -> dict:
    samples = _samples(job)
    columns = []
    for index, header in enumerate(job.headers):
        example = next((row[index] for row in samples if index < len(row) and row[index].strip()), "")
        columns.append((index, header, example[:40]))
    mapping = chosen if chosen is not None else {k: v for k, v in (job.mapping or {}).items()}
    return {"job": job, "columns": columns, "fields": [(f, FIELD_LABELS[f]) for f in IMPORT_FIELDS],
            "mapping": mapping, "error": error}


@bp.route("/<int:import_id>/mapping")
@requires(*TEES_UP)
def mapping(import_id: int):
    """Which column fills which field; our guesses are chosen already."""
    job = _job_or_404(import_id)
    if job.status not in (ImportStatus.mapping.value, ImportStatus.ready.value):
        return redirect(url_for("imports.show", import_id=job.id), 303)
    return render("imports/mapping.html", "imports/_mapping.html", **_mapping_context(job))


@bp.route("/<int:import_id>/mapping", methods=["POST"])
@requires(*TEES_UP)
def update_mapping(import_id: int):
    """Keep the mapping and show the preview."""
    job = _job_or_404(import_id)
    if job.status not in (ImportStatus.mapping.value, ImportStatus.ready.value):
        return redirect(url_for("imports.show", import_id=job.id), 303)
    chosen: dict[str, list[int]] = {}
    for name in IMPORT_FIELDS:
        raw = request.form.get(f"map-{name}", "")
        if raw.isdigit() and int(raw) < len(job.headers):
            chosen[name] = [int(raw)]
    if not service.mapping_is_usable(chosen):
        return render("imports/mapping.html", "imports/_mapping.html", status=422,
                      **_mapping_context(job, chosen, _("Choose the column of the company, a name, an email or "
                                                        "a phone: a lead needs one of them.")))
    service.set_mapping(job, chosen)
    return redirect(url_for("imports.show", import_id=job.id), 303)


def _show_context(job) -> dict:
    ctx = {"job": job, "format_label": FORMATS.get(job.format, {}).get("label")}
    if job.status == ImportStatus.ready.value:
        ctx["preview"] = service.preview(job, g.tenant)
        ctx["fields"] = [(f, FIELD_LABELS[f]) for f in IMPORT_FIELDS if (job.mapping or {}).get(f)]
    if job.status == ImportStatus.done.value:
        ctx["errors"] = service.issues_page(job, "error", after=request.args.get("after_error"))
        ctx["duplicates"] = service.issues_page(job, "duplicate", after=request.args.get("after_duplicate"))
    return ctx


@bp.route("/<int:import_id>")
@requires(*TEES_UP)
def show(import_id: int):
    """The import as it stands: the preview before it starts, the progress while it runs, then the summary."""
    job = _job_or_404(import_id)
    if job.status == ImportStatus.mapping.value:
        return redirect(url_for("imports.mapping", import_id=job.id), 303)
    return render("imports/show.html", "imports/_run.html", **_show_context(job))


@bp.route("/<int:import_id>/start", methods=["POST"])
@requires(*TEES_UP)
def start(import_id: int):
    """Start the import; the progress page then loads it a chunk at a time."""
    job = _job_or_404(import_id)
    service.start(job)
    return redirect(url_for("imports.show", import_id=job.id), 303)


@bp.route("/<int:import_id>/step", methods=["POST"])
@requires(*TEES_UP)
def step(import_id: int):
    """Load the next chunk (each poll of the progress bar does one) and show how far it is."""
    job = _job_or_404(import_id)
    service.step(job, g.tenant)
    if not wants_fragment() or job.status == ImportStatus.done.value:
        # Finished: the whole page changes (status, summary), so load it afresh.
        return hx_redirect(url_for("imports.show", import_id=job.id))
    return render("imports/show.html", "imports/_run.html", **_show_context(job))


@bp.route("/<int:import_id>/errors.csv")
@requires(*TEES_UP)
def errors(import_id: int):
    """The refused rows as they were, each with what is wrong, to fix and import again."""
    job = _job_or_404(import_id)
    name = job.filename.rsplit(".", 1)[0] + "-refused.csv"
    return csv_response(name, [*job.headers, _("Problems")], service.error_rows(job), delimiter=job.delimiter)


@bp.route("/<int:import_id>/issues/<int:issue_id>", methods=["POST"])
@requires(*TEES_UP)
def resolve(import_id: int, issue_id: int):
    """Settle a flagged duplicate: import it anyway, merge it into the lead it matches, or skip it."""
    job = _job_or_404(import_id)
    issue = service.get_issue(job, issue_id)
    if issue is None:
        abort(404)
    action = request.form.get("action", "")
    try:
        lead = service.resolve(issue, action, actor_id=current_user().id)
    except LeadError as exc:
        flash(str(exc), "error")
    else:
        messages = {"create": _("Line %(line)d is imported as a new lead."),
                    "merge": _("Line %(line)d is merged into the lead it matched."),
                    "skip": _("Line %(line)d is skipped.")}
        flash(messages[action] % {"line": issue.line}, "success")
        if lead is not None and action == "create":
            return redirect(url_for("leads.show", lead_id=lead.id), 303)
    return redirect(url_for("imports.show", import_id=job.id) + "#duplicates", 303)
