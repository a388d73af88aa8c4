"""One upload rule for attachments and Excel imports: type allowlist and size limit."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.uploads import validate_spreadsheet, validate_upload


@pytest.mark.parametrize("name", ["进展.pdf", "照片.JPG", "台账.xlsx", "材料.zip", "公文.ofd"])
def test_common_office_files_are_accepted(name):
    validate_upload(SimpleUploadedFile(name, b"x"))


@pytest.mark.parametrize("name", ["run.exe", "page.html", "script.js", "noextension"])
def test_other_types_are_refused_with_the_reason(name):
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        validate_upload(SimpleUploadedFile(name, b"x"))


def test_size_limit_comes_from_settings(settings):
    settings.QH_MAX_UPLOAD_MB = 1
    validate_upload(SimpleUploadedFile("a.pdf", b"x" * (1024 * 1024)))
    with pytest.raises(ValidationError, match="超过 1 MB"):
        validate_upload(SimpleUploadedFile("a.pdf", b"x" * (1024 * 1024 + 1)))


def test_imports_take_only_xlsx():
    validate_spreadsheet(SimpleUploadedFile("建议表.xlsx", b"x"))
    with pytest.raises(ValidationError):
        validate_spreadsheet(SimpleUploadedFile("建议表.xls", b"x"))
