"""CSV files people open in a spreadsheet: UTF-8 with a BOM (accents survive Excel), streamed a batch at a
time, never cached, and never a formula: a text cell that starts with =, +, -, @ or a control character is
written with a leading apostrophe, so "=HYPERLINK(...)" in a name stays text (OWASP's CSV injection advice)."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from contextlib import nullcontext
from decimal import Decimal

from flask import Response, stream_with_context

from tenants.scoping import current_tenant_id, tenant_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value) -> str | int | Decimal:
    """A value as a CSV cell: numbers as numbers, text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, Decimal)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable], *, delimiter: str = ",") -> Response:
    """A download of `header` then `rows`, written as they are produced (a large export never sits in memory)."""
    tenant_id = current_tenant_id()

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")

        def flush() -> str:
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return text

        writer.writerow([cell(v) for v in header])
        yield "\ufeff" + flush()
        # The body streams after the view has returned: the tenant is set again for the queries it runs.
        with tenant_context(tenant_id) if tenant_id is not None else nullcontext():
            for i, row in enumerate(rows, 1):
                writer.writerow([cell(v) for v in row])
                if i % 500 == 0:
                    yield flush()
        yield flush()

    # A file name may come from an upload: only plain characters reach the header.
    safe_name = re.sub(r"[^\w.\-]+", "-", filename, flags=re.ASCII).strip("-.") or "export.csv"
    return Response(stream_with_context(lines()), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{safe_name}"',
        "Cache-Control": "private, no-store",
    })

