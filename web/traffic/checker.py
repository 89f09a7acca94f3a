"""The link checker: every live landing page at most once an hour (HEAD, then GET), bounded in time at every step;
the second failure in a row opens a case on the deliverable."""
from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from tenants.db import db, utcnow
from tenants.models import Tenant
from tenants.scoping import tenant_context

from ..cases import service as cases
from ..contracts.models import Contract
from ..deliverables.models import Deliverable
from .models import Placement
from .service import tenant_today

CHECK_EVERY = timedelta(hours=1)
USER_AGENT = "Coordina link checker (+https://coordina.example/link-checker)"


@dataclass
class Probe:
    ok: bool
    status: int | None
    error: str | None


_LOOKUPS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="link-check-dns")


def _lookup(url: str, timeout: float, private_ok: bool) -> str | None:
    """Resolve the address's host within `timeout` (a socket timeout does not bound a name lookup): None when it
    resolves to addresses the checker may visit, else what went wrong. In production an address on a private
    network (this machine, the LAN, a cloud metadata service) is never fetched on a tenant's behalf."""
    host = urllib.parse.urlsplit(url).hostname
    if not host:
        return "no host in the address"
    future = _LOOKUPS.submit(socket.getaddrinfo, host, None)
    try:
        found = future.result(timeout=timeout)
    except FutureTimeout:
        return f"no answer within {timeout:g} s (name lookup)"
    except OSError as exc:
        return f"name lookup failed: {exc}"[:300]
    if not private_ok:
        for *_rest, sockaddr in found:
            ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            if not ip.is_global:
                return f"{host} is a private network address ({ip}): not checked"
    return None


def _redirects(timeout: float, private_ok: bool):
    class Redirects(urllib.request.HTTPRedirectHandler):
        """Follow redirects (a landing page often moves to https or to a language), each target checked like the
        first address."""

        max_redirections = 5

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            problem = _lookup(newurl, timeout, private_ok)
            if problem is not None:
                raise urllib.error.URLError(f"redirected to {newurl}: {problem}")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return Redirects()


def _request(url: str, method: str, timeout: float, private_ok: bool) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    opener = urllib.request.build_opener(_redirects(timeout, private_ok))
    # `timeout` bounds the connection and every read: a server that accepts and never answers fails in time.
    with opener.open(request, timeout=timeout) as response:
        if method == "GET":
            response.read(16384)  # enough to know the page answers; never the whole of a large page
        return response.status


def probe(url: str, timeout: float, *, private_ok: bool = True) -> Probe:
    """HEAD the URL, then GET when the server refuses HEAD or answers it with an error (some do, for HEAD only).
    A network failure (refused, unreachable, timed out) is not retried with GET: it would fail the same way."""
    problem = _lookup(url, timeout, private_ok)
    if problem is not None:
        return Probe(False, None, problem)
    status = None
    for method in ("HEAD", "GET"):
        try:
            status = _request(url, method, timeout, private_ok)
            return Probe(True, status, None)
        except urllib.error.HTTPError as exc:
            status = exc.code
            exc.close()
            error = f"HTTP {exc.code} {exc.reason}"[:300]
            continue
        except (socket.timeout, TimeoutError):
            return Probe(False, None, f"no answer within {timeout:g} s")
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                return Probe(False, None, f"no answer within {timeout:g} s")
            return Probe(False, None, str(reason)[:300] or type(reason).__name__)
        except (OSError, ValueError) as exc:  # a reset connection, a malformed answer or address
            return Probe(False, None, f"{type(exc).__name__}: {exc}"[:300])
    return Probe(False, status, error)


def check_every() -> timedelta:
    """How long a check holds: an hour, unless LINK_CHECK_INTERVAL (seconds) says otherwise (a journey test)."""
    seconds = current_app.config.get("LINK_CHECK_INTERVAL")
    return CHECK_EVERY if seconds is None else timedelta(seconds=float(seconds))


def _due(now: datetime, today: date):
    return (select(Placement.id).where(Placement.starts_on <= today,
                                       or_(Placement.ends_on.is_(None), Placement.ends_on >= today),
                                       or_(Placement.checked_at.is_(None), Placement.checked_at <= now - check_every()))
            .order_by(Placement.checked_at.is_not(None), Placement.checked_at, Placement.id))


def _claim(placement_id: int, now: datetime) -> Placement | None:
    """Take a placement for this check: the conditional update wins on one machine only, so a landing URL is
    checked at most once an hour however many ticks run at once. Commits."""
    won = db.session.execute(
        update(Placement).where(Placement.id == placement_id,
                                or_(Placement.checked_at.is_(None), Placement.checked_at <= now - check_every()))
        .values(checked_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if won != 1:
        return None
    return db.session.get(Placement, placement_id, populate_existing=True)


def check_tenant(tenant: Tenant, limit: int, now: datetime | None = None, deadline: float | None = None) -> dict:
    """Check the tenant's live landing URLs not checked in the last hour, least recently checked first; none is
    started after `deadline` (time.monotonic()), so a tick of slow sites stays short."""
    now = now or utcnow()
    today = tenant_today(tenant.timezone, now)
    config = current_app.config
    timeout = float(config["LINK_CHECK_TIMEOUT"])
    private_ok = config.get("LINK_CHECK_PRIVATE", config.get("ENV_NAME") != "production")
    done = {"checked": 0, "failed": 0, "cases": 0}
    for placement_id in db.session.scalars(_due(now, today).limit(limit)).all():
        if deadline is not None and time.monotonic() > deadline:
            break
        placement = _claim(placement_id, now)
        if placement is None:
            continue
        url = placement.landing_url
        db.session.commit()  # no transaction stays open while the network answers (or does not)
        result = probe(url, timeout, private_ok=private_ok)
        placement = db.session.get(Placement, placement_id, populate_existing=True)
        if placement is None or placement.landing_url != url:
            db.session.rollback()
            continue  # removed or changed while it was being checked: the new address is checked next tick
        done["checked"] += 1
        if record_check(tenant, placement, result, now):
            done["cases"] += 1
        if not result.ok:
            done["failed"] += 1
        db.session.commit()
    return done


def record_check(tenant: Tenant, placement: Placement, result: Probe, now: datetime) -> bool:
    """Write what the check saw; the second failure in a row opens a case on the deliverable (unless one is open).
    True when a case was opened. Flushes."""
    placement.checked_at = now
    placement.check_status = result.status
    placement.check_error = result.error
    if result.ok:
        placement.check_failures = 0
        placement.last_ok_at = now
        db.session.flush()
        return False
    placement.check_failures += 1
    db.session.flush()
    if placement.check_failures < 2 or cases.open_case_on_deliverable(placement.deliverable_id) is not None:
        return False
    open_link_case(tenant, placement, result, now)
    return True


def failure_text(result: Probe) -> str:
    """What went wrong, in the reader's words (the language in force)."""
    if result.status is not None:
        return _("the page answers with the error %(status)d", status=result.status)
    if result.error and result.error.startswith("no answer"):
        return _("the site did not answer in time")
    return _("the site cannot be reached (%(error)s)", error=result.error or "?")


def open_link_case(tenant: Tenant, placement: Placement, result: Probe, now: datetime):
    """A high-priority case on the deliverable, written in the tenant's language, saying the URL and what failed."""
    contract = db.session.get(Contract, placement.contract_id)
    details = db.session.scalar(select(Deliverable.details).where(Deliverable.id == placement.deliverable_id))
    with force_locale(tenant.default_locale):
        subject = _("The landing page of “%(details)s” does not work", details=details)
        description = _("The link checker could not open %(url)s twice in a row: %(problem)s. The banner's visitors "
                        "land on a broken page until the address is fixed or the client's site works again.",
                        url=placement.landing_url, problem=failure_text(result))
    return cases.open_case(subject=subject[:200], channel="link_check", priority="high", description=description,
                           account_id=contract.account_id if contract else None, contract_id=placement.contract_id,
                           deliverable_id=placement.deliverable_id, now=now)


def check_links(app) -> dict:
    """The tick job: every tenant's live landing URLs due a check, LINK_CHECK_BATCH at most in all."""
    left = int(app.config["LINK_CHECK_BATCH"])
    deadline = time.monotonic() + float(app.config["LINK_CHECK_BUDGET"])
    total = {"checked": 0, "failed": 0, "cases": 0}
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id)).all():
        if left <= 0 or time.monotonic() > deadline:
            break
        with tenant_context(tenant.id):
            done = check_tenant(tenant, left, deadline=deadline)
        left -= done["checked"]
        for key in total:
            total[key] += done[key]
    return total
