"""Accepting an upload: size and type checked before a byte is kept; names never reach the disk."""
from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from tenants.db import db
from tenants.scoping import require_tenant_id

from .models import StoredFile

# Extension -> the content type we serve it as, and the first bytes a real file of that kind starts with.
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "png": ("image/png", (b"\x89PNG",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": ("image/gif", (b"GIF8",)),
    "webp": ("image/webp", (b"RIFF",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK",)),
    "txt": ("text/plain", ()),
    "csv": ("text/csv", ()),
}


class UploadError(ValueError):
    """An upload refused, with the reader's reason."""


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def check(upload: FileStorage) -> tuple[bytes, str, str]:
    """(data, clean name, content type) of an acceptable upload, or UploadError saying why not."""
    # Control characters (a NUL, a line break) never reach a stored name or a download header.
    name = "".join(c for c in Path(upload.filename or "").name if c.isprintable()).strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise UploadError(_l("Files of this type are not accepted. Use PDF, an image, an Office document, TXT or CSV."))
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_l("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    if not data:
        raise UploadError(_l("The file is empty."))
    content_type, signatures = ALLOWED[extension]
    if signatures and not any(data.startswith(s) for s in signatures):
        raise UploadError(_l("The file's content does not match its name (.%(ext)s).", ext=extension))
    if not signatures and b"\x00" in data[:4096]:
        raise UploadError(_l("The file's content does not match its name (.%(ext)s).", ext=extension))
    return data, name[:200], content_type


def store(upload: FileStorage, user_id: int | None) -> StoredFile:
    """Check and keep an upload for the current tenant; the caller commits."""
    data, name, content_type = check(upload)
    tenant_id = require_tenant_id()
    key = f"{tenant_id}/{secrets.token_hex(16)}"
    path = _root() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    row = StoredFile(name=name, content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                     storage_key=key, uploaded_by_id=user_id)
    db.session.add(row)
    db.session.flush()
    return row


def path_of(stored: StoredFile) -> Path:
    return _root() / stored.storage_key
