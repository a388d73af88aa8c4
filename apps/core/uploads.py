"""What users may upload: one rule for every form, API and service that takes a file."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Office documents, PDFs, images and archives: what units attach as evidence of progress.
ATTACHMENT_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".txt",
     ".jpg", ".jpeg", ".png", ".zip", ".rar", ".7z", ".ofd"}
)  # fmt: skip
SPREADSHEET_EXTENSIONS = frozenset({".xlsx"})


def max_upload_bytes() -> int:
    return settings.QH_MAX_UPLOAD_MB * 1024 * 1024


def validate_upload(upload, *, extensions: frozenset[str] = ATTACHMENT_EXTENSIONS) -> None:
    """Refuse a file of a type we do not accept or above the size limit, with the reason."""
    name = (getattr(upload, "name", "") or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if ext not in extensions:
        allowed = "、".join(sorted(extensions))
        raise ValidationError(
            _("不支持的文件类型“%(value)s”，请上传：%(allowed)s。")
            % {"value": ext or name, "allowed": allowed}
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("文件超过 %(QH_MAX_UPLOAD_MB)s MB。")
            % {"QH_MAX_UPLOAD_MB": settings.QH_MAX_UPLOAD_MB}
        )


def validate_spreadsheet(upload) -> None:
    validate_upload(upload, extensions=SPREADSHEET_EXTENSIONS)


PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png"})
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx", ".et",
                                 ".jpg", ".jpeg", ".png", ".zip", ".rar", ".7z"})  # fmt: skip


def validate_document(upload) -> None:
    """建议书 and approval documents: office/PDF/OFD files, scans, archives."""
    validate_upload(upload, extensions=DOCUMENT_EXTENSIONS)


def validate_photo(upload) -> None:
    """A JPEG or PNG that really is an image (the extension alone proves nothing)."""
    validate_upload(upload, extensions=PHOTO_EXTENSIONS)
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            if image.format not in ("JPEG", "PNG"):
                raise ValidationError(_("照片应为 JPEG 或 PNG 图片。"))
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("无法识别的图片文件，请上传 JPEG 或 PNG 照片。")) from exc
    finally:
        upload.seek(0)
