"""Handing an uploaded or generated file to a user — only from a view that asked the policy.

Files under MEDIA_ROOT (job results, progress-report attachments, …) are never reachable by a
static URL, in any mode: there is no /media/ route. A download view first finds the record
through the policy (``apps/core/permissions.py``: the record is outside the user's scope → 404)
and then returns ``file_download(record.some_file, filename=...)``.
"""

import mimetypes
import re
import unicodedata
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def safe_filename(name: str | None, default: str = "download") -> str:
    """The last path component of ``name`` without control or reserved characters.

    Keeps CJK and other letters (the header carries them as RFC 5987 ``filename*``); never
    returns an empty name, a dot-file or a path.
    """
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[:150] or default


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the exact UTF-8 name (RFC 6266)."""
    if filename.isascii():
        ascii_name = filename
    else:  # old clients that ignore filename* still get the right extension
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else ""
        ascii_name = "download" + (f".{suffix}" if suffix.isascii() and suffix.isalnum() else "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=utf-8''{quote(filename, safe='')}"


def file_download(file: FieldFile | None, *, filename: str | None = None) -> FileResponse:
    """Stream ``file`` as an attachment; 404 when the record has none or it left the disk."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404 from None
    name = safe_filename(filename or file.name)
    response = FileResponse(handle, content_type=_content_type(name))
    response["Content-Disposition"] = content_disposition(name)
    # Never rendered by the browser as a page of ours, whatever the upload contains.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stream_download(handle, *, filename: str, content_type: str | None = None) -> FileResponse:
    """Stream an open file the server generated (an export written to a temporary file) as an
    attachment, with the same headers as ``file_download``; the response closes ``handle``."""
    name = safe_filename(filename)
    response = FileResponse(handle, content_type=content_type or _content_type(name))
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _content_type(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    if guessed is None or guessed.startswith("text/html") or "xml" in guessed or "svg" in guessed:
        return "application/octet-stream"  # nothing that could run script if opened inline
    return guessed
